import { parseSync, type NodeCue } from 'subtitle'
import { describe, expect, it } from 'vitest'
import {
  buildCues,
  MAX_CUE_MS,
  MAX_LINE_CHARS,
  MAX_LINES,
  MIN_CUE_MS,
  writeSrt,
  writeVtt,
  type Cue,
  type CueWord,
} from '../../../../src/domain/subtitles/index.js'
import { seededRandom as rng } from '../../../support/seeded-random.js'

const LETTERS = 'abcdefghijklmnopqrstuvwxyzäöüßабвгдеёжзий'
const PUNCT = ['', '', '', '', '', ',', '.', '?', '!', ';', ':', '…']

/**
 * A random word stream. `tidy` streams look like speech (words follow each other, pauses now and then);
 * untidy ones add what broken providers send: words at the same instant, overlapping or backwards times,
 * zero-length words, words longer than a line, words longer than 7 s.
 */
function wordStream(seed: number, tidy: boolean): CueWord[] {
  const r = rng(seed)
  const n = Math.floor(r() * 400)
  const words: CueWord[] = []
  let t = r() * 5
  for (let i = 0; i < n; i++) {
    const huge = r() < 0.01
    const len = huge ? 43 + Math.floor(r() * 60) : 1 + Math.floor(r() * (r() < 0.1 ? 20 : 9))
    let text = ''
    for (let c = 0; c < len; c++) text += LETTERS[Math.floor(r() * LETTERS.length)]
    text += PUNCT[Math.floor(r() * PUNCT.length)]
    // Spoken words take time in proportion to their length.
    const dur = tidy ? 0.05 + 0.06 * len + r() * 0.2 : r() < 0.05 ? 9 + r() * 5 : r() < 0.3 ? 0 : r() * 0.6
    const gap = r() < 0.1 ? 0.7 + r() * 4 : r() * 0.25
    words.push({ text, start: t, end: t + dur })
    if (!tidy && r() < 0.25) continue // the next word starts at the same instant
    t += tidy ? dur + gap : r() < 0.1 ? -r() : dur + gap
    t = Math.max(0, t)
  }
  return words
}

const wordsOf = (cues: readonly Cue[]) => cues.flatMap((c) => c.lines.flatMap((l) => l.split(' ')))
const length = (s: string) => [...s].length

/** Every limit a cue must keep; the broken ones, described (one expect per stream keeps 600 streams fast). */
function limitViolations(cues: readonly Cue[]): string[] {
  const out: string[] = []
  for (const [k, c] of cues.entries()) {
    const at = `cue ${k + 1}`
    if (c.lines.length < 1 || c.lines.length > MAX_LINES) out.push(`${at}: ${c.lines.length} lines`)
    for (const line of c.lines) {
      if (line === '') out.push(`${at}: an empty line`)
      // Only a single word longer than a line may exceed it, alone on its line.
      if (length(line) > MAX_LINE_CHARS && line.includes(' ')) out.push(`${at}: line of ${length(line)} characters`)
    }
    if (!Number.isInteger(c.startMs) || !Number.isInteger(c.endMs)) out.push(`${at}: times not in whole ms`)
    const shown = c.endMs - c.startMs
    if (shown < MIN_CUE_MS || shown > MAX_CUE_MS) out.push(`${at}: on screen ${shown} ms`)
    const next = cues[k + 1]
    if (next && c.endMs > next.startMs) out.push(`${at}: overlaps the next cue`)
  }
  return out
}

const expectLimits = (cues: readonly Cue[], label = '') => expect(limitViolations(cues), label).toEqual([])

describe('buildCues on random word streams', () => {
  it('keeps every word exactly once, in order, within every limit (speech-like streams, 300 seeds)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const words = wordStream(seed, true)
      const cues = buildCues(words)
      expect(wordsOf(cues), `seed ${seed}`).toEqual(words.map((w) => w.text))
      expectLimits(cues, `seed ${seed}`)
      // Speech-like timing never needs a delay: each cue starts with its first word (to the millisecond).
      let w = 0
      const late: number[] = []
      for (const c of cues) {
        if (c.startMs !== Math.round(words[w]!.start * 1000)) late.push(c.startMs)
        w += c.lines.join(' ').split(' ').length
      }
      expect(late, `seed ${seed}`).toEqual([])
    }
  })

  it('keeps every word exactly once, in order, within every limit (broken timestamps, 300 seeds)', () => {
    for (let seed = 1000; seed < 1300; seed++) {
      const words = wordStream(seed, false)
      const cues = buildCues(words)
      expect(wordsOf(cues), `seed ${seed}`).toEqual(words.map((w) => w.text))
      expectLimits(cues, `seed ${seed}`)
    }
  })

  it('writes SRT and VTT that an independent parser reads back as the same cues and words', () => {
    const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
    for (let seed = 2000; seed < 2040; seed++) {
      const words = wordStream(seed, seed % 2 === 0)
      const cues = buildCues(words)
      const srt = parseSync(writeSrt(cues)).filter((n): n is NodeCue => n.type === 'cue')
      const vtt = parseSync(writeVtt(cues)).filter((n): n is NodeCue => n.type === 'cue')
      for (const parsed of [srt, vtt]) {
        expect(parsed.map((p) => [p.data.start, p.data.end])).toEqual(cues.map((c) => [c.startMs, c.endMs]))
      }
      expect(srt.map((p) => p.data.text)).toEqual(cues.map((c) => c.lines.join('\n')))
      expect(vtt.map((p) => decode(p.data.text))).toEqual(cues.map((c) => c.lines.join('\n')))
      expect(srt.flatMap((p) => p.data.text.split(/\s+/))).toEqual(words.map((w) => w.text))
    }
  })
})

const timed = (text: string, opts: { from?: number; step?: number; pauseAfter?: Record<number, number> } = {}): CueWord[] => {
  let t = opts.from ?? 0
  return text.split(' ').map((w, i) => {
    const word = { text: w, start: t, end: t + (opts.step ?? 0.4) - 0.1 }
    t += (opts.step ?? 0.4) + (opts.pauseAfter?.[i] ?? 0)
    return word
  })
}

describe('buildCues', () => {
  it('gives no cues for no words, or only blank ones', () => {
    expect(buildCues([])).toEqual([])
    expect(buildCues([{ text: '  ', start: 1, end: 2 }])).toEqual([])
  })

  it('cuts at a sentence end rather than mid-phrase', () => {
    const cues = buildCues(timed('We start with vectors today. Then we move on to matrices and their inverses, which take longer.'))
    expect(cues[0]!.lines.join(' ')).toBe('We start with vectors today.')
    expect(cues[1]!.startMs).toBe(5 * 400)
  })

  it('cuts at a pause rather than showing one cue across it', () => {
    // Eight words, then 1.5 s of silence in the middle of an unpunctuated run.
    const cues = buildCues(timed('so this is the part where we look at the kernel of the map and its image', { pauseAfter: { 7: 1.5 } }))
    expect(cues.map((c) => c.lines.join(' '))).toEqual(['so this is the part where we look', 'at the kernel of the map and its image'])
    expect(cues[1]!.startMs).toBe(8 * 400 + 1500)
  })

  it('splits two lines evenly, preferring a comma', () => {
    const [cue] = buildCues(timed('The determinant is zero, so the matrix has no inverse at all'))
    expect(cue!.lines).toEqual(['The determinant is zero,', 'so the matrix has no inverse at all'])
  })

  it('keeps a word longer than a line whole, alone on its line', () => {
    const long = 'https://example.org/lectures/linear-algebra/week-3/notes.pdf'
    const cues = buildCues(timed(`the notes are at ${long} as usual`))
    expect(wordsOf(cues)).toEqual(['the', 'notes', 'are', 'at', long, 'as', 'usual'])
    const holder = cues.find((c) => c.lines.includes(long))!
    expect(holder).toBeDefined()
    expectLimits(cues)
  })

  it('keeps a short cue on screen 0.8 s, and a cue over a 20 s word at most 7 s', () => {
    const cues = buildCues([
      { text: 'Yes.', start: 1, end: 1.2 },
      { text: 'Mmmmmm', start: 10, end: 30 },
    ])
    expect(cues.map((c) => [c.startMs, c.endMs])).toEqual([
      [1000, 1800],
      [10_000, 17_000],
    ])
  })

  it('lingers 0.5 s after the last word when nothing follows at once, never into the next cue', () => {
    const cues = buildCues(timed('First sentence here is long enough to stand. Second one follows right away.', { step: 0.5 }))
    expect(cues).toHaveLength(2)
    expect(cues[0]!.endMs).toBe(cues[1]!.startMs)
    const last = cues[1]!
    expect(last.endMs).toBe(12 * 500 + 400 + 500)
  })

  it('delays a cue only when words are packed too tightly for 0.8 s cues', () => {
    const words = Array.from({ length: 30 }, (_, i) => ({ text: `word${i}`, start: 5, end: 5 }))
    const cues = buildCues(words)
    expect(wordsOf(cues)).toEqual(words.map((w) => w.text))
    expectLimits(cues)
    expect(cues[0]!.startMs).toBe(5000)
  })
})

describe('writers', () => {
  it('write an empty transcript as a valid empty file', () => {
    expect(writeSrt([])).toBe('')
    expect(writeVtt([])).toBe('WEBVTT\n')
    expect(parseSync(writeSrt([]))).toEqual([])
    expect(parseSync(writeVtt([])).filter((n) => n.type === 'cue')).toEqual([])
  })

  it('escape markup in VTT and the arrow in SRT', () => {
    const cues: Cue[] = [{ startMs: 3_723_004, endMs: 3_724_000, lines: ['a <b> & c --> d'] }]
    expect(writeVtt(cues)).toBe('WEBVTT\n\n01:02:03.004 --> 01:02:04.000\na &lt;b&gt; &amp; c --&gt; d\n')
    expect(writeSrt(cues)).toBe('1\n01:02:03,004 --> 01:02:04,000\na <b> & c → d\n')
  })
})
