import { usageError } from '../errors.js'

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }

/**
 * A length of time as a flag gives it: `500ms`, `30s`, `2m`, `1h`, or a bare number of seconds; the result in
 * milliseconds. Anything else (a negative or fractional-millisecond value, an unknown unit) is a usage error.
 */
export function parseDuration(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text)
  const ms = m ? Math.round(Number(m[1]) * UNITS[m[2] ?? 's']!) : NaN
  if (!Number.isSafeInteger(ms)) throw usageError(`${flag} must be a duration such as 30s, 500ms, 2m or 1h, not "${text}"`, `e.g. ${flag} 30s`)
  return ms
}
