import { validationError } from '../errors.js'
import { wallClockMs, zonedFields } from '../time/zoned.js'

/*
 * A YouTube preset's publish_at: a fixed instant (ISO 8601 with an offset or Z), or a time relative to the
 * publishing day, `+Nd HH:MM` — N days after the day the video is uploaded, at HH:MM in the user's time zone
 * (`+1d 18:00`: the next evening; `+0d 18:00`: this evening). A preset publishes many recordings, so the relative
 * form is the one that keeps scheduling each of them; the fixed form suits a template's override.
 */

const ABSOLUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/
const RELATIVE = /^\+(\d{1,3})d ([01]\d|2[0-3]):([0-5]\d)$/

export const PUBLISH_AT_FORMS = 'an ISO 8601 time with an offset (2026-03-02T18:00:00+01:00, 2026-03-02T17:00:00Z) or +Nd HH:MM (+1d 18:00: the day after the upload at 18:00 in your time zone)'

/** True for a value publish_at accepts (either form); N is at most 365 days. */
export function isPublishAt(value: string): boolean {
  const rel = RELATIVE.exec(value)
  if (rel) return Number(rel[1]) <= 365
  return ABSOLUTE.test(value) && !Number.isNaN(Date.parse(value)) && realWallClock(value)
}

/** The date and time as written exist (Date.parse takes 30 February as 2 March, and 24:00). */
function realWallClock(value: string): boolean {
  const [y, mo, d, h, mi, s = 0] = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value)!.slice(1).filter((v) => v !== undefined).map(Number) as number[]
  const day = new Date(Date.UTC(y!, mo! - 1, d!))
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo! - 1 && day.getUTCDate() === d && h! <= 23 && mi! <= 59 && s <= 59
}

/** True for the `+Nd HH:MM` form. */
export const isRelativePublishAt = (value: string): boolean => RELATIVE.test(value)

/** The instant a publish_at names when the video is uploaded at `now` by a user in `timeZone`. */
export function resolvePublishAt(value: string, now: Date, timeZone: string): Date {
  const rel = RELATIVE.exec(value)
  if (!rel) return new Date(value)
  const today = zonedFields(now, timeZone)
  const day = new Date(Date.UTC(today.year, today.month - 1, today.day + Number(rel[1])))
  const wanted = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), Number(rel[2]), Number(rel[3]))
  // The instant whose wall clock there reads `wanted`: correct the guess by the zone's offset, twice (DST edges).
  let at = wanted
  for (let i = 0; i < 2; i++) at += wanted - wallClockMs(new Date(at), timeZone)
  return new Date(at)
}

/**
 * A fixed publish_at being saved (a preset's, a template's override) must still be ahead: YouTube would publish at
 * once, not on schedule. `what` names the document and `field` the key, as validation errors do.
 */
export function refusePastPublishAt(value: unknown, now: Date, what: string, field: string): void {
  if (typeof value !== 'string' || isRelativePublishAt(value) || Date.parse(value) > now.getTime()) return
  throw validationError(
    `invalid ${what}: ${field}: ${value} has passed (YouTube would publish at once)`,
    'give a time ahead, or +Nd HH:MM to schedule each video N days after its upload (e.g. --publish-at "+1d 18:00")',
  )
}
