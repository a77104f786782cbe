import { parseSchedule, type Schedule } from './schedule-schema.js'

/** Day names in our numbering, 0 = Monday. */
export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const

function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}

function describeDays(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b)
  if (sorted.length === 7) return 'every day'
  const first = sorted[0] ?? 0
  const last = sorted[sorted.length - 1] ?? 0
  const contiguous = sorted.length >= 3 && last - first === sorted.length - 1
  if (contiguous) return `every ${WEEKDAY_NAMES[first]} to ${WEEKDAY_NAMES[last]}`
  return `every ${listing(sorted.map((d) => WEEKDAY_NAMES[d] ?? String(d)))}`
}

const hhmm = (hour: number) => `${String(hour).padStart(2, '0')}:00`

function describeEveryHours(n: number): string {
  if (n === 1) return 'every hour'
  if (n === 168) return 'every Monday at 00:00'
  if (n % 24 === 0) return n === 24 ? 'every day at 00:00' : `every ${n / 24} days at 00:00`
  if (24 % n === 0 && 24 / n <= 4) {
    return `every ${n} hours, at ${listing(Array.from({ length: 24 / n }, (_, i) => hhmm(i * n)))}`
  }
  return `every ${n} hours`
}

/** A sentence for people: "every Monday and Wednesday at 09:00 (Europe/Berlin)". */
export function describeSchedule(schedule: Schedule): string {
  const s = parseSchedule(schedule)
  const body = (() => {
    switch (s.type) {
      case 'time_of_day':
        return `every day at ${s.time}`
      case 'weekdays':
        return `${describeDays(s.days)} at ${s.time}`
      case 'hours':
        return describeEveryHours(s.every_hours)
      case 'cron':
        return `on the cron schedule "${s.expression.trim().split(/\s+/).join(' ')}"`
    }
  })()
  return `${body} (${s.timezone})`
}
