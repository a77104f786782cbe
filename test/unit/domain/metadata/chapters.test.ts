import { describe, expect, it } from 'vitest'
import { buildChapters } from '../../../../src/domain/metadata/chapters.js'

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

  it('warns when there are fewer than three chapters', () => {
    const out = buildChapters([{ title: 'A', start: 0 }, { title: 'B', start: 60 }], 600)
    expect(out.lines).toHaveLength(2)
    expect(out.warnings).toEqual([expect.stringMatching(/only 2; YouTube shows chapters only from 3/)])
  })

  it('renders nothing without timed topics', () => {
    expect(buildChapters([{ title: 'A' }], 100)).toEqual({ lines: [], warnings: [] })
  })
})
