export type Measure = 'chars' | 'bytes'

const encoder = new TextEncoder()

/** Length in Unicode characters (code points), which is how platforms count title limits. */
export function charLength(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

export function utf8Length(s: string): number {
  return encoder.encode(s).length
}

export function measure(s: string, unit: Measure): number {
  return unit === 'bytes' ? utf8Length(s) : charLength(s)
}

export interface TruncateOptions {
  unit?: Measure
  ellipsis?: string
  /** Cut at the last space when it does not lose more than this share of the kept text. */
  wordBoundary?: boolean
}

/**
 * Shortens text to at most `max` units, appending an ellipsis. Cuts only between grapheme clusters, so never
 * inside a code point, a flag or an emoji sequence, and prefers a word boundary when one is close enough.
 */
export function truncate(text: string, max: number, options: TruncateOptions = {}): string {
  const unit = options.unit ?? 'chars'
  const ellipsis = options.ellipsis ?? '…'
  if (measure(text, unit) <= max) return text
  const budget = max - measure(ellipsis, unit)
  if (budget <= 0) return cutTo(text, max, unit)
  let kept = cutTo(text, budget, unit)
  const endsAtWord = /\s/.test(text.charAt(kept.length))
  if ((options.wordBoundary ?? true) && !endsAtWord) {
    const space = kept.search(/\s\S*$/)
    // Only back off to the space when it keeps most of the text; one long word is better cut than dropped.
    if (space > 0 && space >= kept.length * 0.6) kept = kept.slice(0, space)
  }
  return kept.replace(/[\s,;:]+$/u, '') + ellipsis
}

function cutTo(text: string, max: number, unit: Measure): string {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
  let used = 0
  let end = 0
  for (const { segment, index } of segmenter.segment(text)) {
    const size = measure(segment, unit)
    if (used + size > max) break
    used += size
    end = index + segment.length
  }
  return text.slice(0, end)
}
