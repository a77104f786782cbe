import { Cron } from 'croner'

/*
 * YouTube's daily quota (project units and the per-channel upload limit) resets at midnight Pacific Time
 * (API-CONTRACTS.md §B.8), daylight saving included: 07:00 or 08:00 UTC depending on the season.
 */

const PACIFIC_MIDNIGHT = new Cron('0 0 0 * * *', { timezone: 'America/Los_Angeles', paused: true })

/** The next midnight in America/Los_Angeles strictly after `now`. */
export function nextPacificMidnight(now: Date): Date {
  const next = PACIFIC_MIDNIGHT.nextRun(now)
  if (!next) throw new Error('no next Pacific midnight') // unreachable: a daily pattern always has a next run
  return next
}
