import { cueLines, WordRuns } from './cue-lines.js'
import { CLAUSE_END, MAX_CUE_MS, MAX_LINE_CHARS, MAX_LINES, MIN_CUE_MS, SENTENCE_END, textLength, type Cue } from './cue-limits.js'

/*
 * Subtitle cues from a transcript's timed words (pure). Guarantees, whatever the input:
 * - every word appears exactly once, in order (its text as given, runs of white space made one space);
 * - a line holds at most 42 characters and a cue at most 2 lines (a single word longer than a line stands alone
 *   on its line, whole: see cue-lines.ts);
 * - a cue is on screen at least 0.8 s and at most 7 s, and cues never overlap.
 * A word whose text is blank has nothing to show and makes no cue.
 *
 * Where to cut is chosen by dynamic programming over the break points (each cue holds a bounded number of
 * words, so this is linear in the words): cuts go at sentence ends and pauses when possible, after a comma
 * before mid-phrase, a pause is never spanned by one cue if another split exists, and cues are filled evenly.
 * A cue starts when its first word is spoken. Only when words are packed too tightly for 0.8 s cues (broken
 * timestamps: many words in one instant) is a cue delayed, after the previous one.
 */

export interface CueWord {
  text: string
  /** Seconds. */
  start: number
  /** Seconds. */
  end: number
}

interface Word {
  text: string
  length: number
  startMs: number
  endMs: number
}

/** A silence this long between words is a pause: a natural cut, and never shown inside one cue. */
const PAUSE_MS = 700
/** A shorter gap still marks a phrase boundary. */
const BREATH_MS = 300
/** After the last word, a cue stays up this long when nothing follows at once (time to finish reading). */
const LINGER_MS = 500

// Costs of the dynamic programme (only their ratios matter).
const CUE_COST = 10
const CUT_AT_SENTENCE = 0
const CUT_AT_CLAUSE = 4
const CUT_MID_PHRASE = 10
const SENTENCE_INSIDE = 20
const PAUSE_INSIDE = 25
const EMPTY_ROOM = 10
const DELAYED = 1000

const toMs = (s: number): number => (Number.isFinite(s) ? Math.max(0, Math.round(s * 1000)) : 0)

/** Texts cleaned, times in whole ms and made monotonic (a word never starts before the one it follows). */
function normalise(words: readonly CueWord[]): Word[] {
  const out: Word[] = []
  let lastStart = 0
  for (const w of words) {
    const text = w.text.replace(/\s+/gu, ' ').trim()
    if (text === '') continue
    const startMs = Math.max(toMs(w.start), lastStart)
    lastStart = startMs
    out.push({ text, length: textLength(text), startMs, endMs: Math.max(toMs(w.end), startMs) })
  }
  return out
}

/** How good a cut is between word `i - 1` and word `i` (0 best). */
function cutCost(words: readonly Word[], i: number): number {
  if (i === 0 || i === words.length) return CUT_AT_SENTENCE
  const before = words[i - 1]!
  const gap = words[i]!.startMs - before.endMs
  if (SENTENCE_END.test(before.text) || gap >= PAUSE_MS) return CUT_AT_SENTENCE
  if (CLAUSE_END.test(before.text) || gap >= BREATH_MS) return CUT_AT_CLAUSE
  return CUT_MID_PHRASE
}

/** The cut points (word indexes where a cue starts), by dynamic programming over [i, j) spans. */
function chooseCuts(words: readonly Word[], runs: WordRuns): number[] {
  const n = words.length
  const cut = Array.from({ length: n + 1 }, (_, i) => cutCost(words, i))
  // Prefix counts of the sentence ends and pauses inside a span, for its penalty in O(1).
  const sentences = [0]
  const pauses = [0]
  for (let i = 1; i <= n; i++) {
    const inner = i < n
    const sentence = inner && SENTENCE_END.test(words[i - 1]!.text)
    const pause = inner && words[i]!.startMs - words[i - 1]!.endMs >= PAUSE_MS
    sentences.push(sentences[i - 1]! + (sentence ? 1 : 0))
    pauses.push(pauses[i - 1]! + (pause ? 1 : 0))
  }
  const capacity = MAX_LINES * MAX_LINE_CHARS
  const best = new Array<number>(n + 1).fill(Infinity)
  const from = new Array<number>(n + 1).fill(0)
  best[0] = 0
  for (let j = 1; j <= n; j++) {
    for (let i = j - 1; i >= 0; i--) {
      const single = j - i === 1
      // Growing the span to the left only makes it longer in text and in time: the first misfit ends the scan.
      if (!single && (!runs.fitsTwoLines(i, j) || words[j - 1]!.endMs - words[i]!.startMs > MAX_CUE_MS)) break
      const room = Math.max(0, capacity - runs.length(i, j)) / capacity
      // Inner boundaries are those between i and j-1: the counts at j-1 minus those at i.
      const inside = (sentences[j - 1]! - sentences[i]!) * SENTENCE_INSIDE + (pauses[j - 1]! - pauses[i]!) * PAUSE_INSIDE
      const tooShort = j < n && words[j]!.startMs - words[i]!.startMs < MIN_CUE_MS ? DELAYED : 0
      const cost = best[i]! + CUE_COST + cut[j]! + EMPTY_ROOM * room * room + inside + tooShort
      if (cost < best[j]!) {
        best[j] = cost
        from[j] = i
      }
    }
  }
  const starts: number[] = []
  for (let j = n; j > 0; j = from[j]!) starts.push(from[j]!)
  return starts.reverse()
}

/** Builds the cues of a transcript's words; see the guarantees at the top of this file. */
export function buildCues(input: readonly CueWord[]): Cue[] {
  const words = normalise(input)
  if (words.length === 0) return []
  const runs = new WordRuns(words.map((w) => w.length))
  const starts = chooseCuts(words, runs)
  const cues: Cue[] = []
  let previousEnd = 0
  for (const [k, i] of starts.entries()) {
    const j = starts[k + 1] ?? words.length
    const span = words.slice(i, j)
    const startMs = Math.max(span[0]!.startMs, previousEnd)
    const nextSpeech = j < words.length ? words[j]!.startMs : Infinity
    let endMs = Math.min(span[span.length - 1]!.endMs + LINGER_MS, nextSpeech)
    endMs = Math.min(Math.max(endMs, startMs + MIN_CUE_MS), startMs + MAX_CUE_MS)
    cues.push({ startMs, endMs, lines: cueLines(span.map((w) => w.text), span.map((w) => w.length)) })
    previousEnd = endMs
  }
  return cues
}
