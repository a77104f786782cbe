import { describe, expect, it } from 'vitest'
import { RecflowError } from '../../../../src/domain/errors.js'
import { nextRun, nextRuns, toCronPattern, type Schedule } from '../../../../src/domain/schedule/index.js'

/** "2024-03-31 09:00 Sun" in the given zone, to assert wall-clock times. */
function local(at: Date, timezone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  )
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.weekday}`
}

const iso = (dates: Date[]) => dates.map((d) => d.toISOString())
const hoursBetween = (dates: Date[]) => dates.slice(1).map((d, i) => (d.getTime() - (dates[i]?.getTime() ?? 0)) / 3_600_000)
const BERLIN = 'Europe/Berlin'

describe('nextRuns: time_of_day', () => {
  const daily9: Schedule = { type: 'time_of_day', time: '09:00', timezone: BERLIN }

  it('keeps 09:00 local across the March change (UTC moves from 08:00 to 07:00)', () => {
    const runs = nextRuns(daily9, new Date('2024-03-29T12:00:00Z'), 4)
    expect(iso(runs)).toEqual(['2024-03-30T08:00:00.000Z', '2024-03-31T07:00:00.000Z', '2024-04-01T07:00:00.000Z', '2024-04-02T07:00:00.000Z'])
    expect(runs.map((r) => local(r, BERLIN).slice(11, 16))).toEqual(['09:00', '09:00', '09:00', '09:00'])
  })

  it('keeps 09:00 local across the October change (UTC moves from 07:00 to 08:00)', () => {
    const runs = nextRuns(daily9, new Date('2024-10-25T12:00:00Z'), 3)
    expect(iso(runs)).toEqual(['2024-10-26T07:00:00.000Z', '2024-10-27T08:00:00.000Z', '2024-10-28T08:00:00.000Z'])
  })

  it('runs a time that the March change skips right after the gap, once', () => {
    const runs = nextRuns({ type: 'time_of_day', time: '02:30', timezone: BERLIN }, new Date('2024-03-30T12:00:00Z'), 2)
    expect(runs.map((r) => local(r, BERLIN))).toEqual(['2024-03-31 03:00 Sun', '2024-04-01 02:30 Mon'])
  })

  it('runs a time that the October change repeats only once', () => {
    const runs = nextRuns({ type: 'time_of_day', time: '02:30', timezone: BERLIN }, new Date('2024-10-26T12:00:00Z'), 2)
    expect(iso(runs)).toEqual(['2024-10-27T00:30:00.000Z', '2024-10-28T01:30:00.000Z'])
  })

  it('returns only runs strictly after the start', () => {
    const at = new Date('2024-01-10T08:00:00Z') // 09:00 in Berlin
    expect(iso(nextRuns(daily9, at, 1))).toEqual(['2024-01-11T08:00:00.000Z'])
    expect(iso(nextRuns(daily9, new Date(at.getTime() - 1), 1))).toEqual(['2024-01-10T08:00:00.000Z'])
  })

  it('reads the time in the schedule time zone, not in UTC', () => {
    const runs = nextRuns({ type: 'time_of_day', time: '09:00', timezone: 'Asia/Kolkata' }, new Date('2024-01-10T00:00:00Z'), 1)
    expect(iso(runs)).toEqual(['2024-01-10T03:30:00.000Z'])
  })
})

describe('nextRuns: weekdays', () => {
  it('counts days from 0 = Monday', () => {
    const runs = nextRuns({ type: 'weekdays', days: [0, 2], time: '09:00', timezone: BERLIN }, new Date('2024-03-24T12:00:00Z'), 4)
    expect(runs.map((r) => local(r, BERLIN))).toEqual(['2024-03-25 09:00 Mon', '2024-03-27 09:00 Wed', '2024-04-01 09:00 Mon', '2024-04-03 09:00 Wed'])
  })

  it('maps 6 to Sunday and 5 to Saturday', () => {
    const runs = nextRuns({ type: 'weekdays', days: [6, 5], time: '10:00', timezone: 'UTC' }, new Date('2024-05-01T00:00:00Z'), 3)
    expect(runs.map((r) => local(r, 'UTC'))).toEqual(['2024-05-04 10:00 Sat', '2024-05-05 10:00 Sun', '2024-05-11 10:00 Sat'])
  })

  it('turns our day numbers into cron day numbers (0 = Sunday) in the pattern', () => {
    expect(toCronPattern({ type: 'weekdays', days: [6, 0, 4], time: '07:05', timezone: 'UTC' })).toBe('5 7 * * 0,1,5')
  })

  it('uses the local weekday, which can differ from the UTC weekday', () => {
    const runs = nextRuns({ type: 'weekdays', days: [0], time: '00:30', timezone: BERLIN }, new Date('2024-06-01T00:00:00Z'), 1)
    expect(local(runs[0] as Date, BERLIN)).toBe('2024-06-03 00:30 Mon')
    expect(runs[0]?.getUTCDay()).toBe(0) // still Sunday in UTC
  })
})

describe('nextRuns: hours', () => {
  it('runs every 6 hours at 00, 06, 12 and 18 local, once each across the October change', () => {
    const s: Schedule = { type: 'hours', every_hours: 6, timezone: BERLIN }
    expect(toCronPattern(s)).toBe('0 0,6,12,18 * * *')
    const runs = nextRuns(s, new Date('2024-10-26T12:00:00Z'), 6)
    expect(runs.map((r) => local(r, BERLIN))).toEqual([
      '2024-10-26 18:00 Sat',
      '2024-10-27 00:00 Sun',
      '2024-10-27 06:00 Sun',
      '2024-10-27 12:00 Sun',
      '2024-10-27 18:00 Sun',
      '2024-10-28 00:00 Mon',
    ])
  })

  it('runs every 2 hours once at the repeated October hour, not twice', () => {
    const runs = nextRuns({ type: 'hours', every_hours: 2, timezone: BERLIN }, new Date('2024-10-26T21:30:00Z'), 3)
    expect(runs.map((r) => local(r, BERLIN))).toEqual(['2024-10-27 00:00 Sun', '2024-10-27 02:00 Sun', '2024-10-27 04:00 Sun'])
    expect(hoursBetween(runs)).toEqual([2, 3])
  })

  it('runs hourly every real hour through both changes', () => {
    const october = nextRuns({ type: 'hours', every_hours: 1, timezone: BERLIN }, new Date('2024-10-26T23:30:00Z'), 4)
    expect(hoursBetween(october)).toEqual([1, 1, 1])
    expect(october.map((r) => local(r, BERLIN).slice(11, 16))).toEqual(['02:00', '02:00', '03:00', '04:00'])
    const march = nextRuns({ type: 'hours', every_hours: 1, timezone: BERLIN }, new Date('2024-03-30T23:30:00Z'), 3)
    expect(march.map((r) => local(r, BERLIN).slice(11, 16))).toEqual(['01:00', '03:00', '04:00'])
    expect(hoursBetween(march)).toEqual([1, 1])
  })

  it('keeps counting every 5 hours across midnight instead of restarting the day', () => {
    const runs = nextRuns({ type: 'hours', every_hours: 5, timezone: 'UTC' }, new Date('2024-01-10T00:00:00Z'), 8)
    expect(hoursBetween(runs)).toEqual([5, 5, 5, 5, 5, 5, 5])
    expect(toCronPattern({ type: 'hours', every_hours: 5, timezone: 'UTC' })).toBeNull()
  })

  it('gives the same every-5-hours runs whatever start falls between two runs', () => {
    const s: Schedule = { type: 'hours', every_hours: 5, timezone: BERLIN }
    const a = nextRuns(s, new Date('2024-02-01T00:00:00Z'), 6)
    const b = nextRuns(s, new Date('2024-02-01T03:59:00Z'), 6)
    expect(iso(a)).toEqual(iso(b))
    expect(iso(nextRuns(s, a[0] as Date, 5))).toEqual(iso(a.slice(1)))
  })

  it('keeps every 5 hours on the local wall clock across the March change', () => {
    const runs = nextRuns({ type: 'hours', every_hours: 5, timezone: BERLIN }, new Date('2024-03-30T12:00:00Z'), 4)
    expect(runs.map((r) => local(r, BERLIN))).toEqual(['2024-03-30 18:00 Sat', '2024-03-30 23:00 Sat', '2024-03-31 04:00 Sun', '2024-03-31 09:00 Sun'])
    expect(hoursBetween(runs)).toEqual([5, 4, 5])
  })

  it('runs every 168 hours on Mondays at 00:00 local', () => {
    const runs = nextRuns({ type: 'hours', every_hours: 168, timezone: BERLIN }, new Date('2024-10-23T12:00:00Z'), 3)
    expect(runs.map((r) => local(r, BERLIN))).toEqual(['2024-10-28 00:00 Mon', '2024-11-04 00:00 Mon', '2024-11-11 00:00 Mon'])
  })

  it('runs every 48 hours at midnight on alternate days', () => {
    const runs = nextRuns({ type: 'hours', every_hours: 48, timezone: 'UTC' }, new Date('2024-10-26T12:00:00Z'), 3)
    expect(iso(runs)).toEqual(['2024-10-28T00:00:00.000Z', '2024-10-30T00:00:00.000Z', '2024-11-01T00:00:00.000Z'])
  })
})

describe('nextRuns: cron', () => {
  it('uses the cron day numbers (0 = Sunday) and the schedule time zone', () => {
    const runs = nextRuns({ type: 'cron', expression: '15 8 * * 0', timezone: BERLIN }, new Date('2024-03-25T00:00:00Z'), 2)
    expect(runs.map((r) => local(r, BERLIN))).toEqual(['2024-03-31 08:15 Sun', '2024-04-07 08:15 Sun'])
  })

  it('accepts extra spaces in the expression', () => {
    const runs = nextRuns({ type: 'cron', expression: ' */30  *  * * * ', timezone: 'UTC' }, new Date('2024-01-01T00:10:00Z'), 2)
    expect(iso(runs)).toEqual(['2024-01-01T00:30:00.000Z', '2024-01-01T01:00:00.000Z'])
  })
})

describe('nextRuns: arguments', () => {
  const s: Schedule = { type: 'time_of_day', time: '09:00', timezone: 'UTC' }

  it('returns no runs for n = 0 and one run from nextRun', () => {
    expect(nextRuns(s, new Date('2024-01-01T00:00:00Z'), 0)).toEqual([])
    expect(nextRun(s, new Date('2024-01-01T00:00:00Z'))?.toISOString()).toBe('2024-01-01T09:00:00.000Z')
  })

  it('rejects a negative or fractional count and an invalid date', () => {
    expect(() => nextRuns(s, new Date(), -1)).toThrow(RecflowError)
    expect(() => nextRuns(s, new Date(), 1.5)).toThrow(/whole number/)
    expect(() => nextRuns(s, new Date('nope'), 1)).toThrow(/not a valid date/)
  })

  it('rejects an invalid schedule with a validation error', () => {
    const bad = { type: 'time_of_day', time: '09:00', timezone: 'Mars/Olympus' } as Schedule
    expect(() => nextRuns(bad, new Date(), 1)).toThrow(/unknown time zone "Mars\/Olympus"/)
  })
})
