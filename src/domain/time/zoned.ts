import { validationError } from '../errors.js'

/**
 * Time zones for the whole domain: one type for the wall-clock fields of an instant, one Intl formatter per time
 * zone (created once and cached: Intl formats are slow to build), one check of a time zone name. Dates in
 * templates, schedules and dates read from file names all go through here (no date library, DST-correct).
 */

export const HOUR_MS = 3_600_000

/** What clocks in a time zone show at an instant (month 1-12, hour 0-23). */
export interface ZonedFields {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

// Names only: Intl on newer runtimes also accepts offsets such as "+01:00", which have no DST rules and are not
// what a user means by "my time zone".
const TIME_ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+)*$/

const formatters = new Map<string, Intl.DateTimeFormat>()

/** The cached formatter of a time zone, or undefined when the name is not an IANA time zone the runtime knows. */
function formatterOf(timeZone: string): Intl.DateTimeFormat | undefined {
  const cached = formatters.get(timeZone)
  if (cached !== undefined || !TIME_ZONE_NAME.test(timeZone)) return cached
  try {
    const formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, formatter)
    return formatter
  } catch {
    return undefined
  }
}

export const TIME_ZONE_HINT = 'use an IANA name such as "Europe/Berlin" or "UTC"'

/** True when `timeZone` is an IANA time zone name the runtime knows ('UTC' included). */
export function isValidTimeZone(timeZone: string): boolean {
  return formatterOf(timeZone) !== undefined
}

/** Throws a validation error naming the time zone when it is not one (see isValidTimeZone). */
export function assertTimeZone(timeZone: string): void {
  zonedFormatter(timeZone)
}

function zonedFormatter(timeZone: string): Intl.DateTimeFormat {
  const formatter = formatterOf(timeZone)
  if (formatter === undefined) throw validationError(`unknown time zone ${JSON.stringify(timeZone)}`, TIME_ZONE_HINT)
  return formatter
}

/** The wall-clock fields of `at` in `timeZone`; an unknown time zone is a validation error. */
export function zonedFields(at: Date, timeZone: string): ZonedFields {
  const out: ZonedFields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 }
  for (const part of zonedFormatter(timeZone).formatToParts(at)) {
    if (part.type in out) out[part.type as keyof ZonedFields] = Number.parseInt(part.value, 10)
  }
  return out
}

/** The wall-clock time at `at`, as milliseconds of a UTC date with the same fields (09:00 Berlin -> 09:00Z). */
export function wallClockMs(at: Date, timeZone: string): number {
  const f = zonedFields(at, timeZone)
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) + at.getUTCMilliseconds()
}

const pad2 = (n: number) => String(n).padStart(2, '0')

/** The offset of `timeZone` from UTC at `at`, as clocks there differ from UTC: "+02:00", "-03:30", "+00:00". */
export function zonedOffset(at: Date, timeZone: string): string {
  const minutes = Math.round((wallClockMs(at, timeZone) - at.getTime()) / 60_000)
  const abs = Math.abs(minutes)
  return `${minutes < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`
}

/** "2026-03-29 03:00 (Europe/Berlin, +02:00)": an instant on a time zone's own clock, to the minute. */
export function formatZonedMinute(at: Date, timeZone: string): string {
  const f = zonedFields(at, timeZone)
  return `${f.year}-${pad2(f.month)}-${pad2(f.day)} ${pad2(f.hour)}:${pad2(f.minute)} (${timeZone}, ${zonedOffset(at, timeZone)})`
}
