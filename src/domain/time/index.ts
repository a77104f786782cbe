export { HOUR_MS, TIME_ZONE_HINT, assertTimeZone, isValidTimeZone, wallClockMs, zonedFields } from './zoned.js'
export type { ZonedFields } from './zoned.js'
export { timeZoneSchema } from './time-zone-schema.js'
