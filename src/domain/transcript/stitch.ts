import type { TranscriptSegment, TranscriptWord } from './transcript.js'

/*
 * Stitching: each piece's words and segments (times relative to the piece file) are moved by the piece's exact
 * offset in the audio that was cut, kept inside the piece's own span, and joined in order.
 */

/** One piece's answer, as a provider client gives it (times relative to the piece). */
export interface PieceResult {
  offsetS: number
  durationS: number
  language: string | null
  words: ReadonlyArray<{ text: string; start: number; end: number; probability?: number }>
  segments: ReadonlyArray<{ text: string; start: number; end: number }>
}

export interface Stitched {
  words: TranscriptWord[]
  segments: TranscriptSegment[]
  /** The language most pieces reported (null when none did). */
  language: string | null
  /** False when some piece with speech came back without word times (its words were interpolated). */
  wordTimestamps: boolean
}

const clamp = (t: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Number.isFinite(t) ? t : lo))

/**
 * Words from segments alone: each segment's text split at spaces, its time shared out by character count. Used
 * for services that give segment times only (the artefact then says word_timestamps: false).
 */
export function interpolateWords(segments: ReadonlyArray<{ text: string; start: number; end: number }>): TranscriptWord[] {
  const out: TranscriptWord[] = []
  for (const seg of segments) {
    const tokens = seg.text.trim().split(/\s+/).filter((t) => t !== '')
    if (tokens.length === 0) continue
    const total = tokens.reduce((sum, t) => sum + t.length, 0)
    const span = Math.max(0, seg.end - seg.start)
    let at = seg.start
    for (const token of tokens) {
      const length = (span * token.length) / total
      out.push({ text: token, start: at, end: at + length })
      at += length
    }
  }
  return out
}

export function stitchPieces(pieces: readonly PieceResult[]): Stitched {
  const words: TranscriptWord[] = []
  const segments: TranscriptSegment[] = []
  let wordTimestamps = true
  const languages = new Map<string, number>()
  for (const piece of [...pieces].sort((a, b) => a.offsetS - b.offsetS)) {
    const lo = piece.offsetS
    const hi = piece.offsetS + piece.durationS
    const move = (t: number) => clamp(lo + t, lo, hi)
    const pieceSegments = piece.segments
      .map((s) => ({ text: s.text.trim(), start: move(s.start), end: move(s.end) }))
      .filter((s) => s.text !== '')
      .map((s) => ({ ...s, end: Math.max(s.start, s.end) }))
    let pieceWords = piece.words
      .map((w) => ({ ...w, text: w.text.trim(), start: move(w.start), end: move(w.end) }))
      .filter((w) => w.text !== '')
      .map((w) => ({ ...w, end: Math.max(w.start, w.end) }))
    if (pieceWords.length === 0 && pieceSegments.length > 0) {
      wordTimestamps = false
      pieceWords = interpolateWords(pieceSegments)
    }
    words.push(...pieceWords.sort((a, b) => a.start - b.start))
    segments.push(...pieceSegments.sort((a, b) => a.start - b.start))
    if (piece.language) languages.set(piece.language, (languages.get(piece.language) ?? 0) + 1)
  }
  let language: string | null = null
  let most = 0
  for (const [code, count] of languages) if (count > most) (language = code), (most = count)
  return { words, segments, language, wordTimestamps }
}

/** Maps a span of the transcribed audio onto the processed timeline; null when all of it was cut. */
export type SpanMapper = (start: number, end: number) => { start: number; end: number } | null

/**
 * Moves every time into the processed video's timeline (when the original was transcribed, through the process
 * stage's edit list): a word or segment that was cut entirely is dropped, one that straddles a cut spans from its
 * first kept moment to its last.
 */
export function mapToTimeline(stitched: Pick<Stitched, 'words' | 'segments'>, map: SpanMapper): Pick<Stitched, 'words' | 'segments'> {
  const words: TranscriptWord[] = []
  for (const w of stitched.words) {
    const span = map(w.start, w.end)
    if (span) words.push({ ...w, start: span.start, end: span.end })
  }
  const segments: TranscriptSegment[] = []
  for (const s of stitched.segments) {
    const span = map(s.start, s.end)
    if (span) segments.push({ ...s, start: span.start, end: span.end })
  }
  return { words, segments }
}
