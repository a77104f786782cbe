/*
 * How a recording's audio is cut into pieces for transcription: enough pieces to stay under the provider's upload
 * limit AND to keep `transcription.concurrency` requests busy on a long recording, each cut placed in a silence
 * near an even split point (so no word is cut in two and the pieces take about as long as each other).
 */

/** Below this a piece is not worth its own request: short recordings are not split for parallelism. */
export const MIN_PARALLEL_PIECE_S = 300
/**
 * Above this a piece is split even with a pool of one and no upload limit: one failed or timed-out request then
 * costs at most this much audio again, and no single upload runs for hours.
 */
export const MAX_PIECE_S = 50 * 60
/** Pieces are planned this much under the size limit, so a cut moved into a nearby silence still fits. */
const SIZE_HEADROOM = 0.9
/** How far a cut may move from its even split point to reach a silence, as a share of the even piece length. */
const WINDOW_SHARE = 0.05
/** ... and at most this many seconds (one minute holds plenty of pauses in speech). */
const MAX_WINDOW_S = 60

export interface SplitInput {
  durationS: number
  /** The longest piece the upload limit allows (from the audio format's bytes per second); Infinity = no limit. */
  maxPieceS: number
  /** Requests in flight at once (transcription.concurrency). */
  concurrency: number
}

export interface SplitPlan {
  pieceCount: number
  /** Where each cut should be looked for (n - 1 windows, in order), each around its even split point. */
  windows: Array<{ ideal: number; start: number; end: number }>
}

/**
 * The number of pieces: the upload limit's minimum and at least one per MAX_PIECE_S, raised to the concurrency
 * when the recording is long enough
 * (pieces of at least MIN_PARALLEL_PIECE_S), then rounded up to a whole number of rounds of the pool so that no
 * round runs one piece alone.
 */
export function planSplit(input: SplitInput): SplitPlan {
  const { durationS } = input
  const concurrency = Math.max(1, Math.floor(input.concurrency))
  const bySize = Number.isFinite(input.maxPieceS) ? Math.ceil(durationS / (input.maxPieceS * SIZE_HEADROOM)) : 1
  const byLength = Math.ceil(durationS / MAX_PIECE_S)
  const byParallelism = Math.min(concurrency, Math.floor(durationS / MIN_PARALLEL_PIECE_S))
  let n = Math.max(1, bySize, byLength, byParallelism)
  if (n > concurrency && concurrency > 1) n = Math.ceil(n / concurrency) * concurrency
  const even = durationS / n
  const half = Math.min(MAX_WINDOW_S, even * WINDOW_SHARE)
  const windows = Array.from({ length: n - 1 }, (_, i) => {
    const ideal = even * (i + 1)
    return { ideal, start: ideal - half, end: ideal + half }
  })
  return { pieceCount: n, windows }
}

export interface Span {
  start: number
  end: number
}

/** Silences shorter than this are not trusted as a cut point (a consonant's closure can be that quiet). */
export const MIN_CUT_SILENCE_S = 0.3
/** Silences longer than this are all equally good: among them the one nearest the even point wins. */
const LONG_ENOUGH_S = 1.5

/**
 * The cut for one window: the middle of the best silence inside it (the longest, up to LONG_ENOUGH_S; then the
 * nearest to the even point), or the even point itself when the window holds no usable silence (a hard cut).
 */
export function chooseCut(window: { ideal: number; start: number; end: number }, silences: readonly Span[]): { at: number; inSilence: boolean } {
  let best: { at: number; score: number; distance: number } | undefined
  for (const s of silences) {
    const start = Math.max(s.start, window.start)
    const end = Math.min(s.end, window.end)
    const length = end - start
    if (length < MIN_CUT_SILENCE_S) continue
    const at = (start + end) / 2
    const score = Math.min(length, LONG_ENOUGH_S)
    const distance = Math.abs(at - window.ideal)
    if (!best || score > best.score + 1e-9 || (Math.abs(score - best.score) <= 1e-9 && distance < best.distance)) best = { at, score, distance }
  }
  return best ? { at: best.at, inSilence: true } : { at: window.ideal, inSilence: false }
}

/** Pieces [offset, offset + duration) from the cut points (sorted, inside (0, durationS)). */
export function piecesFromCuts(durationS: number, cuts: readonly number[]): Array<{ offsetS: number; durationS: number }> {
  const bounds = [0, ...cuts.filter((c) => c > 0 && c < durationS), durationS]
  return bounds.slice(1).map((end, i) => ({ offsetS: bounds[i]!, durationS: end - bounds[i]! }))
}
