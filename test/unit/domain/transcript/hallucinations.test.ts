import { describe, expect, it } from 'vitest'
import { findHallucinations, findKnownOutros, findRepeatedPhrases, normalizePhrase } from '../../../../src/domain/transcript/index.js'

const words = (text: string, start = 0, step = 0.5) =>
  text.split(' ').map((t, i) => ({ text: t, start: start + i * step, end: start + i * step + step * 0.8 }))
const seg = (text: string, start: number, end: number) => ({ text, start, end })

describe('normalizePhrase', () => {
  it('lowercases and drops punctuation', () => {
    expect(normalizePhrase('  Thank you for watching!  ')).toBe('thank you for watching')
    expect(normalizePhrase('Subtitles by the Amara.org community')).toBe('subtitles by the amaraorg community')
  })
})

describe('findKnownOutros', () => {
  it('flags the stock endings speech models invent on silence', () => {
    const flags = findKnownOutros([
      seg('So that is consensus.', 0, 3),
      seg(' Thank you for watching!', 100, 102),
      seg('Subtitles by the Amara.org community', 110, 113),
      seg('Продолжение следует...', 120, 122),
    ])
    expect(flags).toEqual([
      { kind: 'known_outro', text: 'Thank you for watching!', start: 100, end: 102 },
      { kind: 'known_outro', text: 'Subtitles by the Amara.org community', start: 110, end: 113 },
      { kind: 'known_outro', text: 'Продолжение следует...', start: 120, end: 122 },
    ])
  })

  it('leaves a lecturer saying thank you alone', () => {
    expect(findKnownOutros([seg('Thank you, and see you next week.', 0, 3), seg('Thank you.', 4, 5)])).toEqual([])
  })
})

describe('findRepeatedPhrases', () => {
  it('flags a segment repeated three times in a row', () => {
    const segments = [seg('Intro.', 0, 1), seg('I am going to', 1, 2), seg('I am going to', 2, 3), seg('i am going to!', 3, 4), seg('Next.', 4, 5)]
    expect(findRepeatedPhrases([], segments)).toEqual([{ kind: 'repeated_phrase', text: 'I am going to (×3)', start: 1, end: 4 }])
  })

  it('flags a phrase looped back to back in the words', () => {
    const w = [...words('so the leader'), ...words('thank you thank you thank you thank you thank you', 10)]
    const flags = findRepeatedPhrases(w, [])
    expect(flags).toHaveLength(1)
    expect(flags[0]).toMatchObject({ kind: 'repeated_phrase', text: 'thank you (×5)', start: 10 })
    expect(flags[0]!.end).toBeCloseTo(w[w.length - 1]!.end, 9)
  })

  it('does not flag ordinary repetition in speech', () => {
    expect(findRepeatedPhrases(words('no no no we do not do that, that that is not it'), [])).toEqual([])
    expect(findRepeatedPhrases([], [seg('Yes.', 0, 1), seg('Yes.', 1, 2)])).toEqual([])
  })

  it('reports a loop of identical segments once, not again as a word loop', () => {
    const text = 'the end of the story'
    const segments = [0, 1, 2, 3].map((i) => seg(text, i * 3, i * 3 + 2.5))
    const w = [0, 1, 2, 3].flatMap((i) => words(text, i * 3))
    const flags = findHallucinations(w, segments)
    expect(flags).toEqual([{ kind: 'repeated_phrase', text: 'the end of the story (×4)', start: 0, end: 11.5 }])
  })
})
