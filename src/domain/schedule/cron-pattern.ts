import type { CronOptions } from 'croner'
import type { Schedule } from './schedule-schema.js'

/** Our weekday numbers (0 = Monday) to cron's (0 = Sunday). */
export const toCronWeekday = (day: number): number => (day + 1) % 7

function clock(time: string): { hour: number; minute: number } {
  const [hour, minute] = time.split(':').map(Number)
  return { hour: hour ?? 0, minute: minute ?? 0 }
}

export interface CronPlan {
  pattern: string
  options: Pick<CronOptions, 'timezone' | 'mode' | 'fixedTimeRule'>
}

/**
 * The croner pattern and options for a schedule, or null for an `hours` schedule that cron cannot express (a
 * step that does not divide 24: `0 *\/5 * * *` restarts at midnight, which would make a 4-hour gap).
 *
 * Lists of fixed times use the "no-wildcard" rule, so that across a DST change "every 6 hours" still runs once
 * at each listed time (a time skipped by the spring change runs right after it, a repeated time runs once)
 * instead of running twice in the repeated hour.
 */
export function cronPlan(schedule: Schedule): CronPlan | null {
  const base = { timezone: schedule.timezone, mode: '5-part' } as const
  switch (schedule.type) {
    case 'time_of_day': {
      const { hour, minute } = clock(schedule.time)
      return { pattern: `${minute} ${hour} * * *`, options: base }
    }
    case 'weekdays': {
      const { hour, minute } = clock(schedule.time)
      const days = [...new Set(schedule.days.map(toCronWeekday))].sort((a, b) => a - b)
      return { pattern: `${minute} ${hour} * * ${days.join(',')}`, options: base }
    }
    case 'hours': {
      if (schedule.every_hours === 1) return { pattern: '0 * * * *', options: base }
      if (24 % schedule.every_hours !== 0) return null
      const hours = Array.from({ length: 24 / schedule.every_hours }, (_, i) => i * schedule.every_hours)
      return { pattern: `0 ${hours.join(',')} * * *`, options: { ...base, fixedTimeRule: 'no-wildcard' } }
    }
    case 'cron':
      return { pattern: schedule.expression.trim().split(/\s+/).join(' '), options: base }
  }
}

/** The 5-field cron pattern of a schedule, or null when cron cannot express it (see cronPlan). */
export function toCronPattern(schedule: Schedule): string | null {
  return cronPlan(schedule)?.pattern ?? null
}
