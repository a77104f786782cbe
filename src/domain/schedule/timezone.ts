import { z } from 'zod'

// Names only: Intl on newer runtimes also accepts offsets such as "+01:00", which have no DST rules and are not
// what a user means by "my time zone".
const TIME_ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+)*$/

/** True when `tz` is an IANA time zone name the runtime knows ('UTC' included). */
export function isValidTimeZone(tz: string): boolean {
  if (!TIME_ZONE_NAME.test(tz)) return false
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

export const timeZoneSchema = z
  .string()
  .refine(isValidTimeZone, {
    error: (iss) => `unknown time zone ${JSON.stringify(iss.input)}: use an IANA name such as "Europe/Berlin" or "UTC"`,
  })
