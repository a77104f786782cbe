import { describe, expect, it } from 'vitest'
import { RecflowError } from '../../../../src/domain/errors.js'
import { assertTimeZone, formatZonedMinute, isValidTimeZone, timeZoneSchema, wallClockMs, zonedFields, zonedOffset } from '../../../../src/domain/time/index.js'

describe('isValidTimeZone', () => {
  it('accepts IANA names and UTC', () => {
    expect(isValidTimeZone('UTC')).toBe(true)
    expect(isValidTimeZone('Etc/UTC')).toBe(true)
    expect(isValidTimeZone('America/Argentina/Buenos_Aires')).toBe(true)
    expect(isValidTimeZone('Etc/GMT+3')).toBe(true)
  })

  it('rejects offsets and unknown names', () => {
    expect(isValidTimeZone('+02:00')).toBe(false)
    expect(isValidTimeZone('Europe/Atlantis')).toBe(false)
    expect(isValidTimeZone('Europe/../Berlin')).toBe(false)
    expect(isValidTimeZone('')).toBe(false)
  })

  it('gives the same answer the second time (the formatter cache keeps only valid names)', () => {
    expect([isValidTimeZone('Mars/Olympus'), isValidTimeZone('Mars/Olympus')]).toEqual([false, false])
    expect([isValidTimeZone('Asia/Tokyo'), isValidTimeZone('Asia/Tokyo')]).toEqual([true, true])
  })
})

describe('assertTimeZone and the schema: one check, one message', () => {
  it('throws a validation error naming the zone, with a hint', () => {
    expect(() => assertTimeZone('Europe/Berlin')).not.toThrow()
    let error: unknown
    try {
      assertTimeZone('Mars/Olympus')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(RecflowError)
    expect((error as RecflowError).code).toBe('validation')
    expect((error as RecflowError).message).toBe('unknown time zone "Mars/Olympus"')
    expect((error as RecflowError).hint).toMatch(/IANA name such as "Europe\/Berlin"/)
  })

  it('refuses an offset, which Intl alone would take', () => {
    expect(() => assertTimeZone('+01:00')).toThrow(/unknown time zone "\+01:00"/)
    expect(timeZoneSchema.safeParse('+01:00').success).toBe(false)
    expect(timeZoneSchema.safeParse('Europe/Berlin').success).toBe(true)
  })
})

describe('zonedFields', () => {
  it('reads the wall clock of an instant, DST included', () => {
    // Berlin: CET (+1) in winter, CEST (+2) in summer.
    expect(zonedFields(new Date('2024-01-15T08:30:05Z'), 'Europe/Berlin')).toEqual({ year: 2024, month: 1, day: 15, hour: 9, minute: 30, second: 5 })
    expect(zonedFields(new Date('2024-07-15T08:30:05Z'), 'Europe/Berlin')).toEqual({ year: 2024, month: 7, day: 15, hour: 10, minute: 30, second: 5 })
  })

  it('crosses the date line and shows midnight as hour 0', () => {
    expect(zonedFields(new Date('2024-12-31T23:00:00Z'), 'Pacific/Kiritimati')).toEqual({ year: 2025, month: 1, day: 1, hour: 13, minute: 0, second: 0 })
    expect(zonedFields(new Date('2024-03-01T00:00:00Z'), 'UTC').hour).toBe(0)
  })

  it('is a validation error for an unknown zone', () => {
    expect(() => zonedFields(new Date(), 'Nowhere/City')).toThrow(/unknown time zone "Nowhere\/City"/)
  })
})

describe('wallClockMs', () => {
  it('is the instant shifted by the zone’s offset at that moment, milliseconds kept', () => {
    const winter = new Date('2024-01-15T08:30:05.250Z')
    expect(wallClockMs(winter, 'Europe/Berlin') - winter.getTime()).toBe(3_600_000)
    const summer = new Date('2024-07-15T08:30:05.250Z')
    expect(wallClockMs(summer, 'Europe/Berlin') - summer.getTime()).toBe(7_200_000)
    expect(wallClockMs(summer, 'America/New_York')).toBe(Date.UTC(2024, 6, 15, 4, 30, 5, 250))
  })
})

describe('zonedOffset and formatZonedMinute', () => {
  it('tell the offset on each side of a DST change, and a half-hour and a negative one', () => {
    expect(zonedOffset(new Date('2026-03-28T08:00:00Z'), 'Europe/Berlin')).toBe('+01:00')
    expect(zonedOffset(new Date('2026-03-29T07:00:00Z'), 'Europe/Berlin')).toBe('+02:00')
    expect(zonedOffset(new Date('2026-03-02T09:00:00Z'), 'Asia/Kolkata')).toBe('+05:30')
    expect(zonedOffset(new Date('2026-03-02T09:00:00Z'), 'America/St_Johns')).toBe('-03:30')
    expect(zonedOffset(new Date('2026-03-02T09:00:00Z'), 'UTC')).toBe('+00:00')
  })

  it("shows an instant on the zone's own clock, to the minute, with the zone and its offset", () => {
    expect(formatZonedMinute(new Date('2026-03-29T01:30:59Z'), 'Europe/Berlin')).toBe('2026-03-29 03:30 (Europe/Berlin, +02:00)')
    expect(formatZonedMinute(new Date('2026-12-31T23:05:00Z'), 'America/New_York')).toBe('2026-12-31 18:05 (America/New_York, -05:00)')
  })

  it('refuses an unknown time zone like zonedFields', () => {
    expect(() => formatZonedMinute(new Date(), 'Europe/Atlantis')).toThrow(RecflowError)
  })
})
