import { describe, expect, it } from 'vitest'
import { interpolateWords, mapToTimeline, stitchPieces, type PieceResult } from '../../../../src/domain/transcript/index.js'

const piece = (offsetS: number, durationS: number, words: Array<[string, number, number]>, language: string | null = 'en'): PieceResult => ({
  offsetS,
  durationS,
  language,
  words: words.map(([text, start, end]) => ({ text, start, end })),
  segments: words.length ? [{ text: words.map((w) => w[0]).join(' '), start: words[0]![1], end: words[words.length - 1]![2] }] : [],
})

describe('stitchPieces', () => {
  it('moves every word and segment by its piece offset, in order', () => {
    const s = stitchPieces([piece(600.25, 600, [['later', 1.5, 2]]), piece(0, 600.25, [['first', 0.5, 0.9], ['words', 1, 1.4]])])
    expect(s.words.map((w) => [w.text, w.start, w.end])).toEqual([
      ['first', 0.5, 0.9],
      ['words', 1, 1.4],
      ['later', 601.75, 602.25],
    ])
    expect(s.segments.map((x) => [x.text, x.start, x.end])).toEqual([
      ['first words', 0.5, 1.4],
      ['later', 601.75, 602.25],
    ])
    expect(s.wordTimestamps).toBe(true)
  })

  it("keeps a piece's times inside its own span", () => {
    const s = stitchPieces([piece(10, 5, [['over', 4.5, 6]])])
    expect(s.words[0]).toMatchObject({ start: 14.5, end: 15 })
  })

  it('drops empty words and segments', () => {
    const s = stitchPieces([{ offsetS: 0, durationS: 5, language: null, words: [{ text: ' ', start: 0, end: 1 }], segments: [{ text: '', start: 0, end: 1 }] }])
    expect(s).toEqual({ words: [], segments: [], language: null, wordTimestamps: true })
  })

  it('interpolates words inside segments when a piece has segment times only', () => {
    const s = stitchPieces([{ offsetS: 100, durationS: 50, language: 'en', words: [], segments: [{ text: 'ab abcd', start: 0, end: 6 }] }])
    expect(s.wordTimestamps).toBe(false)
    expect(s.words).toEqual([
      { text: 'ab', start: 100, end: 102 },
      { text: 'abcd', start: 102, end: 106 },
    ])
  })

  it('reports the language most pieces heard', () => {
    const s = stitchPieces([piece(0, 1, [], 'de'), piece(1, 1, [], 'en'), piece(2, 1, [], 'en'), piece(3, 1, [], null)])
    expect(s.language).toBe('en')
  })
})

describe('interpolateWords', () => {
  it('covers the segment exactly, in order, one word per token', () => {
    const words = interpolateWords([{ text: '  one two   three ', start: 1, end: 12 }])
    expect(words.map((w) => w.text)).toEqual(['one', 'two', 'three'])
    expect(words[0]!.start).toBe(1)
    expect(words[2]!.end).toBeCloseTo(12, 9)
  })
})

describe('mapToTimeline', () => {
  it('drops what was cut and shifts what was kept', () => {
    // Kept [0, 10) and [20, 30): original 25 -> processed 15.
    const map = (start: number, end: number) => {
      const m = (t: number) => (t <= 10 ? t : t >= 20 && t <= 30 ? t - 10 : null)
      const s = m(start) ?? (start < 20 && end > 20 ? 10 : null)
      const e = m(end) ?? (start < 10 && end > 10 ? 10 : null)
      return s === null || e === null ? null : { start: s, end: e }
    }
    const out = mapToTimeline(
      {
        words: [
          { text: 'kept', start: 1, end: 2 },
          { text: 'cut', start: 12, end: 13 },
          { text: 'later', start: 25, end: 26 },
        ],
        segments: [{ text: 'kept cut later', start: 1, end: 26 }],
      },
      map,
    )
    expect(out.words).toEqual([
      { text: 'kept', start: 1, end: 2 },
      { text: 'later', start: 15, end: 16 },
    ])
    expect(out.segments).toEqual([{ text: 'kept cut later', start: 1, end: 16 }])
  })
})
