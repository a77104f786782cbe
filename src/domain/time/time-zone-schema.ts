import { z } from 'zod'
import { isValidTimeZone, TIME_ZONE_HINT } from './zoned.js'

/** A config or schedule `timezone` field (kept apart from zoned.ts, so rendering a date loads no zod). */
export const timeZoneSchema = z
  .string()
  .refine(isValidTimeZone, { error: (iss) => `unknown time zone ${JSON.stringify(iss.input)}: ${TIME_ZONE_HINT}` })
