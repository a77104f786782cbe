export { HOUR_MS, TIME_ZONE_HINT, assertTimeZone, formatZonedMinute, isValidTimeZone, wallClockMs, zonedFields, zonedOffset } from './zoned.js'
export type { ZonedFields } from './zoned.js'
export { timeZoneSchema } from './time-zone-schema.js'
