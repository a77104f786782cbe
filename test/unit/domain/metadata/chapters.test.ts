import { describe, expect, it } from 'vitest'
import { parseSync } from 'subtitle'
import { buildChapters, chapterList, chaptersWebVtt } from '../../../../src/domain/metadata/chapters.js'

describe('buildChapters', () => {
  it('renders one "M:SS Title" line per topic, the first at 0:00', () => {
    const out = buildChapters(
      [
        { title: 'Intro', start: 4 },
        { title: 'Vectors', start: 300 },
        { title: 'Matrices', start: 3725 },
      ],
      4000,
    )
    expect(out.lines).toEqual(['0:00 Intro', '5:00 Vectors', '1:02:05 Matrices'])
    expect(out.warnings).toEqual([])
  })

  it('sorts by start time and skips topics without one', () => {
    const out = buildChapters(
      [{ title: 'B', start: 120 }, { title: 'No time' }, { title: 'A', start: 0 }, { title: 'C', start: 240 }],
      600,
    )
    expect(out.lines).toEqual(['0:00 A', '2:00 B', '4:00 C'])
  })

  it('drops chapters shorter than 10 seconds and near the end, and says so', () => {
    const out = buildChapters(
      [
        { title: 'A', start: 0 },
        { title: 'too soon', start: 5 },
        { title: 'B', start: 60 },
        { title: 'C', start: 120 },
        { title: 'at the end', start: 595 },
      ],
      600,
    )
    expect(out.lines).toEqual(['0:00 A', '1:00 B', '2:00 C'])
    expect(out.warnings[0]).toMatch(/left out 2 topic/)
  })

  it('renders none, and says why, when fewer than three would be valid', () => {
    const out = buildChapters([{ title: 'A', start: 0 }, { title: 'B', start: 60 }, { title: 'C', start: 65 }], 600)
    expect(out.lines).toEqual([])
    expect(out.warnings).toEqual([expect.stringMatching(/left out 1/), expect.stringMatching(/only 2; YouTube shows chapters only from 3 on, so none are rendered/)])
  })

  it('is valid for YouTube by construction, whatever the topics (first at 0, >= 3, each >= 10 s, ascending, inside the duration)', () => {
    let seed = 7
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (let round = 0; round < 500; round++) {
      const duration = Math.floor(random() * 4000)
      const topics = Array.from({ length: Math.floor(random() * 12) }, (_, i) => ({ title: `T${i}`, start: random() * duration * 1.2 - 5 }))
      const { chapters } = chapterList(topics, duration)
      if (chapters.length === 0) continue
      expect(chapters.length).toBeGreaterThanOrEqual(3)
      expect(chapters[0]!.start).toBe(0)
      chapters.forEach((c, i) => {
        const end = chapters[i + 1]?.start ?? duration
        expect(end - c.start).toBeGreaterThanOrEqual(10)
      })
    }
  })

  it('renders nothing without timed topics', () => {
    expect(buildChapters([{ title: 'A' }], 100)).toEqual({ lines: [], warnings: [] })
  })
})

describe('chaptersWebVtt', () => {
  it('writes one cue per chapter, each ending where the next starts, that a WebVTT parser reads back', () => {
    const vtt = chaptersWebVtt([{ title: 'Intro', start: 3 }, { title: 'Logs --> replicas', start: 300 }, { title: 'Election', start: 3725.4 }], 4000.5)!
    expect(vtt.startsWith('WEBVTT\n\n')).toBe(true)
    const cues = parseSync(vtt).filter((n) => n.type === 'cue').map((n) => n.data as { start: number; end: number; text: string })
    expect(cues).toEqual([
      { start: 0, end: 300_000, text: 'Intro' },
      { start: 300_000, end: 3_725_000, text: 'Logs → replicas' },
      { start: 3_725_000, end: 4_000_500, text: 'Election' },
    ])
  })

  it('writes nothing without a valid chapter list', () => {
    expect(chaptersWebVtt([{ title: 'A', start: 0 }], 100)).toBeNull()
  })
})
