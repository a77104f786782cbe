import { CLAUSE_END, MAX_LINE_CHARS, SENTENCE_END } from './cue-limits.js'

/*
 * Splitting a cue's words into at most two lines. A line holds at most MAX_LINE_CHARS characters, with one
 * exception: a single word longer than a line stands alone on its own line, whole. Cutting it (a URL, a long
 * compound, a chemical name) would change the word, and players wrap a wide line themselves; so such a word is
 * never split, never dropped, and never shares its line.
 */

/** Prefix sums of word lengths, so the length of any run of words (with its single spaces) is O(1). */
export class WordRuns {
  readonly #prefix: number[]

  constructor(lengths: readonly number[]) {
    this.#prefix = [0]
    for (const len of lengths) this.#prefix.push(this.#prefix[this.#prefix.length - 1]! + len)
  }

  /** Characters of words [from, to) joined by single spaces. */
  length(from: number, to: number): number {
    return this.#prefix[to]! - this.#prefix[from]! + Math.max(0, to - from - 1)
  }

  /** Whether words [from, to) may share one line: they fit, or it is one word (however long). */
  fitsLine(from: number, to: number): boolean {
    return to - from === 1 || this.length(from, to) <= MAX_LINE_CHARS
  }

  /**
   * Whether words [from, to) fit in two lines. The first line taken as long as it can be leaves the shortest
   * second line, so that one split decides it.
   */
  fitsTwoLines(from: number, to: number): boolean {
    if (this.fitsLine(from, to)) return true
    let k = from + 1
    while (k + 1 < to && this.fitsLine(from, k + 1)) k++
    return this.fitsLine(k, to)
  }
}

/**
 * The lines of one cue: one line when it fits, else the two-line split with the most even lengths, preferring a
 * split after punctuation. The caller guarantees `fitsTwoLines`.
 */
export function cueLines(texts: readonly string[], lengths: readonly number[]): string[] {
  const runs = new WordRuns(lengths)
  const n = texts.length
  if (runs.fitsLine(0, n)) return [texts.join(' ')]
  let best = -1
  let bestScore = Infinity
  for (let k = 1; k < n; k++) {
    if (!runs.fitsLine(0, k) || !runs.fitsLine(k, n)) continue
    const top = runs.length(0, k)
    const bottom = runs.length(k, n)
    // Even lines read best; a slightly longer bottom line (a "pyramid") breaks ties; punctuation is a natural cut.
    const score = Math.abs(top - bottom) + (top > bottom ? 1 : 0) - (SENTENCE_END.test(texts[k - 1]!) || CLAUSE_END.test(texts[k - 1]!) ? 10 : 0)
    if (score < bestScore) {
      bestScore = score
      best = k
    }
  }
  if (best === -1) throw new Error(`cueLines: ${n} words do not fit in two lines`)
  return [texts.slice(0, best).join(' '), texts.slice(best).join(' ')]
}
