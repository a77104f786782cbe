import { RecflowError, usageError } from '../errors.js'
import { nextRuns } from './next-runs.js'
import type { Schedule } from './schedule-schema.js'
import { HOUR_MS } from '../time/zoned.js'

/** How many runs checkMinInterval looks at: enough to cover a month of a daily cron with odd days. */
export const MIN_INTERVAL_CHECK_SAMPLE = 60

/**
 * The smallest gap, in hours, between consecutive runs among the next `sample` runs after `from`.
 *
 * Gaps are measured on the schedule's own wall clock (the same schedule evaluated in UTC), so DST does not
 * count: a daily 02:30 job in Europe/Berlin is 24 h apart even in the week the clocks change, when the real
 * gap is 23 or 25 h. A plan's minimum interval is about how often a user asks for runs, and nobody should fail
 * a limit in March that they pass in April.
 */
export function minIntervalHours(schedule: Schedule, from: Date, sample = 20): number {
  if (!Number.isInteger(sample) || sample < 2) throw usageError(`the sample must be a whole number >= 2 (got ${sample})`)
  const runs = nextRuns({ ...schedule, timezone: 'UTC' }, from, sample)
  let smallest = Number.POSITIVE_INFINITY
  for (let i = 1; i < runs.length; i++) {
    const gap = ((runs[i]?.getTime() ?? 0) - (runs[i - 1]?.getTime() ?? 0)) / HOUR_MS
    smallest = Math.min(smallest, gap)
  }
  return smallest
}

function formatHours(hours: number): string {
  if (hours < 1) {
    const minutes = Math.round(hours * 60)
    return `${minutes} minute${minutes === 1 ? '' : 's'}`
  }
  const rounded = Math.round(hours * 100) / 100
  return `${rounded} hour${rounded === 1 ? '' : 's'}`
}

/**
 * Throws RecflowError('quota') when the schedule runs more often than once every `minHours` hours (the plan's
 * min_automation_interval_hours; null = no limit). Returns the measured interval.
 */
export function checkMinInterval(schedule: Schedule, minHours: number | null, from: Date): number {
  const actual = minIntervalHours(schedule, from, MIN_INTERVAL_CHECK_SAMPLE)
  if (minHours === null || actual >= minHours) return actual
  throw new RecflowError(
    'quota',
    `this schedule runs as often as every ${formatHours(actual)}; your plan allows at most one run every ${formatHours(minHours)}`,
    {
      hint:
        `choose a schedule with at least ${formatHours(minHours)} between runs ` +
        `(for example {"type": "hours", "every_hours": ${Math.max(1, Math.ceil(minHours))}}), or upgrade your plan`,
      details: { quota: 'min_automation_interval_hours', limit: minHours, usage: actual, min_interval_hours: actual, allowed_min_interval_hours: minHours },
    },
  )
}
