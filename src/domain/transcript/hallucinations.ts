import type { Hallucination, TranscriptSegment, TranscriptWord } from './transcript.js'

/*
 * Spans that look invented by the speech model rather than heard. Whisper-style models fill silence and noise
 * with stock phrases learnt from subtitled videos, and sometimes loop on one phrase. They are flagged (in the
 * artefact and in `recordings show`), never removed: the user decides.
 */

/** Stock endings of subtitled videos that such models produce on silence (lowercase, no punctuation). */
export const KNOWN_OUTROS: readonly string[] = [
  'thank you for watching',
  'thanks for watching',
  'thank you so much for watching',
  'please subscribe to my channel',
  'please like and subscribe',
  'dont forget to like and subscribe',
  'subtitles by the amaraorg community',
  'subtitles by the amara org community',
  'subtitles made by the community of amaraorg',
  'transcription by castingwords',
  'transcript emily beynon',
  'продолжение следует',
  'субтитры сделал dimatorzok',
  'субтитры создавались сообществом amaraorg',
  'редактор субтитров асемкин корректор аегорова',
  'untertitel der amaraorg community',
  'untertitel im auftrag des zdf',
  'soustitrage société radiocanada',
  'soustitres réalisés para la communauté damaraorg',
]

/** Lowercase, punctuation dropped, spaces collapsed ("Thank you for watching!" -> "thank you for watching"). */
export function normalizePhrase(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
}

/** A segment that is (or contains) a known outro. */
export function findKnownOutros(segments: readonly TranscriptSegment[]): Hallucination[] {
  const out: Hallucination[] = []
  for (const s of segments) {
    const text = normalizePhrase(s.text)
    if (text !== '' && KNOWN_OUTROS.some((phrase) => text.includes(phrase))) {
      out.push({ kind: 'known_outro', text: s.text.trim(), start: s.start, end: s.end })
    }
  }
  return out
}

/** The same segment text this many times in a row is a loop, not speech. */
export const MIN_REPEATED_SEGMENTS = 3
/** A phrase of up to MAX_PHRASE_WORDS words repeated back to back at least this many times ... */
export const MIN_REPEATS = 4
/** ... covering at least this many words ("no, no, no, no" is speech; 8 × "thank you" is not). */
export const MIN_REPEATED_WORDS = 8
const MAX_PHRASE_WORDS = 8

/** Runs of identical segments, and phrases looped back to back in the word stream. */
export function findRepeatedPhrases(words: readonly TranscriptWord[], segments: readonly TranscriptSegment[]): Hallucination[] {
  const out: Hallucination[] = []
  // Identical consecutive segments.
  for (let i = 0; i < segments.length; ) {
    const text = normalizePhrase(segments[i]!.text)
    let j = i + 1
    while (j < segments.length && text !== '' && normalizePhrase(segments[j]!.text) === text) j++
    if (j - i >= MIN_REPEATED_SEGMENTS) {
      out.push({ kind: 'repeated_phrase', text: `${segments[i]!.text.trim()} (×${j - i})`, start: segments[i]!.start, end: segments[j - 1]!.end })
    }
    i = j
  }
  // A phrase of n words repeated back to back.
  const tokens = words.map((w) => normalizePhrase(w.text))
  for (let i = 0; i < tokens.length; ) {
    let found: { n: number; reps: number } | undefined
    for (let n = 1; n <= MAX_PHRASE_WORDS && i + n * MIN_REPEATS <= tokens.length; n++) {
      let reps = 1
      while (i + (reps + 1) * n <= tokens.length && sameRun(tokens, i, i + reps * n, n)) reps++
      if (reps >= MIN_REPEATS && reps * n >= MIN_REPEATED_WORDS && (!found || reps * n > found.reps * found.n)) found = { n, reps }
    }
    if (!found) {
      i++
      continue
    }
    const end = i + found.n * found.reps
    const phrase = words.slice(i, i + found.n).map((w) => w.text.trim()).join(' ')
    const span = { start: words[i]!.start, end: words[end - 1]!.end }
    // A run already reported as repeated segments is not reported twice.
    if (!out.some((h) => h.start <= span.start + 1e-6 && h.end >= span.end - 1e-6)) {
      out.push({ kind: 'repeated_phrase', text: `${phrase} (×${found.reps})`, ...span })
    }
    i = end
  }
  return out
}

function sameRun(tokens: readonly string[], a: number, b: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (tokens[a + k] === '' || tokens[a + k] !== tokens[b + k]) return false
  return true
}

/** Every flag, in time order. */
export function findHallucinations(words: readonly TranscriptWord[], segments: readonly TranscriptSegment[]): Hallucination[] {
  return [...findRepeatedPhrases(words, segments), ...findKnownOutros(segments)].sort((a, b) => a.start - b.start || a.end - b.end)
}
