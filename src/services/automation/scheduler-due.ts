import { nextRun, nextRuns, type Schedule } from '../../domain/schedule/index.js'

/** What a due job owes at `now`. */
export interface DueRun {
  /** The run to queue: the latest scheduled time at or before now; null when none fell in [next_run_at, now]. */
  scheduledFor: Date | null
  /** The first scheduled time after now (the job's new next_run_at); null when the schedule never runs again. */
  nextRunAt: Date | null
}

const MINUTE_MS = 60_000
const DAY_MS = 24 * 60 * MINUTE_MS
// How far back to look for the latest missed run before scanning everything since next_run_at: a dense schedule
// is found in the first window, a sparse one in a later one, so a long downtime costs a few croner calls, not one
// per missed run.
const LOOKBACK_MS = [2 * 60 * MINUTE_MS, DAY_MS, 8 * DAY_MS, 32 * DAY_MS, 367 * DAY_MS]
const BATCH = 64

/** The last scheduled time in (after, now], or null. */
function lastRunIn(schedule: Schedule, after: Date, now: Date): Date | null {
  let last: Date | null = null
  let cursor = after
  for (;;) {
    const runs = nextRuns(schedule, cursor, BATCH)
    for (const run of runs) {
      if (run.getTime() > now.getTime()) return last
      last = run
    }
    if (runs.length < BATCH) return last
    cursor = runs[runs.length - 1] as Date
  }
}

/**
 * The run a job whose next_run_at has come owes at `now`. After downtime at most one missed run is caught up: the
 * latest scheduled time at or before now (the older missed ones are dropped), never one per missed time.
 * next_run_at is read as "no scheduled time before this one is owed": runs are looked for in [next_run_at, now].
 */
export function dueRun(schedule: Schedule, nextRunAt: Date, now: Date): DueRun {
  if (nextRunAt.getTime() > now.getTime()) return { scheduledFor: null, nextRunAt }
  const floor = nextRunAt.getTime() - 1 // next_run_at itself is (normally) a scheduled time
  // The usual tick: one run came due since the last one (two croner calls, not a scan).
  const first = nextRun(schedule, new Date(floor))
  if (first === null || first.getTime() > now.getTime()) return { scheduledFor: null, nextRunAt: first }
  const second = nextRun(schedule, first)
  if (second === null || second.getTime() > now.getTime()) return { scheduledFor: first, nextRunAt: second }
  // Downtime: more than one run was missed; only the latest is owed.
  const next = nextRun(schedule, now)
  for (const back of LOOKBACK_MS) {
    const from = Math.max(floor, now.getTime() - back)
    const found = lastRunIn(schedule, new Date(from), now)
    if (found !== null || from === floor) return { scheduledFor: found, nextRunAt: next }
  }
  return { scheduledFor: lastRunIn(schedule, new Date(floor), now), nextRunAt: next }
}

/** The dedupe key of one scheduled run of one job: a second fire for the same time finds the first task. */
export const jobRunDedupeKey = (jobId: number, scheduledFor: Date): string => `job:${jobId}:${scheduledFor.toISOString()}`
