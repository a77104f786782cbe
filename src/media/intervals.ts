import type { Interval } from './types.js'

/** Pure interval arithmetic on [start, end) pairs in seconds. */

/** Clamps to [0, durationS], drops empty pieces, sorts, and merges overlapping or touching intervals. */
export function normalizeIntervals(intervals: readonly Interval[], durationS: number): Interval[] {
  const clamped = intervals
    .map((i) => ({ start: Math.max(0, i.start), end: Math.min(durationS, i.end) }))
    .filter((i) => i.end > i.start)
    .sort((a, b) => a.start - b.start)
  const merged: Interval[] = []
  for (const i of clamped) {
    const last = merged[merged.length - 1]
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end)
    else merged.push({ ...i })
  }
  return merged
}

/** The parts of [0, durationS] not covered by `intervals` (which must be normalized). */
export function complementIntervals(intervals: readonly Interval[], durationS: number): Interval[] {
  const gaps: Interval[] = []
  let cursor = 0
  for (const i of intervals) {
    if (i.start > cursor) gaps.push({ start: cursor, end: i.start })
    cursor = Math.max(cursor, i.end)
  }
  if (cursor < durationS) gaps.push({ start: cursor, end: durationS })
  return gaps
}

export function totalLength(intervals: readonly Interval[]): number {
  return intervals.reduce((sum, i) => sum + (i.end - i.start), 0)
}
