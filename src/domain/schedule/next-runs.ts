import { Cron } from 'croner'
import { RecflowError, usageError } from '../errors.js'
import { cronPlan } from './cron-pattern.js'
import { parseSchedule, type HoursSchedule, type Schedule } from './schedule-schema.js'
import { HOUR_MS, wallClockMs } from '../time/zoned.js'

// Monday 1970-01-05 00:00 wall clock: "every 48 hours" means every other day counted from this Monday, and
// "every 168 hours" means Mondays at 00:00, whatever day the schedule was created.
const HOURS_ANCHOR_MS = Date.UTC(1970, 0, 5)

/**
 * The next `n` run times strictly after `from`, in order. Time zones and DST come from croner: a fixed time
 * skipped by the spring change runs at the first valid time after it, a repeated one runs once.
 */
export function nextRuns(schedule: Schedule, from: Date, n: number): Date[] {
  if (!Number.isInteger(n) || n < 0) throw usageError(`the number of runs must be a whole number >= 0 (got ${n})`)
  if (Number.isNaN(from.getTime())) throw usageError('the start date is not a valid date')
  const valid = parseSchedule(schedule)
  if (n === 0) return []
  const plan = cronPlan(valid)
  if (plan === null) return anchoredHourRuns(valid as HoursSchedule, from, n)
  return new Cron(plan.pattern, plan.options).nextRuns(n, from)
}

/** The first run strictly after `from`, or null when there is none. */
export function nextRun(schedule: Schedule, from: Date): Date | null {
  return nextRuns(schedule, from, 1)[0] ?? null
}

/**
 * Runs of an `hours` schedule whose step does not divide 24: every `every_hours` hours of wall-clock time
 * counted from HOURS_ANCHOR_MS. Each wall-clock time becomes an instant through a one-off croner pattern, so
 * croner's DST rules apply here too.
 */
function anchoredHourRuns(schedule: HoursSchedule, from: Date, n: number): Date[] {
  const step = schedule.every_hours * HOUR_MS
  const wallOf = (at: Date) => wallClockMs(at, schedule.timezone)
  const runs: Date[] = []
  let last = from.getTime()
  for (let k = Math.floor((wallOf(from) - HOURS_ANCHOR_MS) / step); runs.length < n; k++) {
    const at = instantOfWallTime(HOURS_ANCHOR_MS + k * step, schedule.timezone)
    if (at.getTime() > last) {
      runs.push(at)
      last = at.getTime()
    }
  }
  return runs
}

function instantOfWallTime(wallMs: number, timezone: string): Date {
  const w = new Date(wallMs)
  const pattern = `0 ${w.getUTCMinutes()} ${w.getUTCHours()} ${w.getUTCDate()} ${w.getUTCMonth() + 1} * ${w.getUTCFullYear()}`
  // Offsets stay within +-14 h, so a reference 36 h before the wall time is before the instant.
  const at = new Cron(pattern, { timezone, mode: '7-part' }).nextRun(new Date(wallMs - 36 * HOUR_MS))
  if (at === null) throw new RecflowError('internal', `no instant for ${w.toISOString().slice(0, 16)} in ${timezone}`)
  return at
}
