import { describe, expect, it } from 'vitest'
import { nextRun, type Schedule } from '../../../src/domain/schedule/index.js'
import { dueRun, jobRunDedupeKey } from '../../../src/services/automation/scheduler-due.js'

/* The scheduler's "what is due" logic driven by a minute-by-minute clock, the way ticks call it (the database side,
   claims and dedupe keys, is test/integration/automation/scheduler.test.ts). */

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Ticks once a minute over [from, to) as the scheduler does (next_run_at kept between ticks); the fired times. */
function tickEveryMinute(schedule: Schedule, from: string, to: string): Date[] {
  const start = new Date(from).getTime()
  let next = nextRun(schedule, new Date(start - 1))
  const fired: Date[] = []
  for (let t = start; t < new Date(to).getTime() && next !== null; t += MINUTE) {
    if (next.getTime() > t) continue
    const due = dueRun(schedule, next, new Date(t))
    if (due.scheduledFor !== null) fired.push(due.scheduledFor)
    next = due.nextRunAt
  }
  return fired
}

/** "2026-03-29 03:00" on the zone's wall clock. */
function wall(at: Date, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  )
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
}

const iso = (dates: Date[]) => dates.map((d) => d.toISOString())

describe('dueRun driven by minute ticks across DST changes', () => {
  // [zone, spring-forward local day, fall-back local day, an hour that is skipped in spring / repeated in autumn]
  const zones = [
    { tz: 'Europe/Berlin', spring: '2026-03-29', fall: '2026-10-25', time: '02:30' },
    { tz: 'America/New_York', spring: '2026-03-08', fall: '2026-11-01', time: '01:30' },
    { tz: 'Australia/Sydney', spring: '2026-10-04', fall: '2026-04-05', time: '02:30' },
  ]

  for (const { tz, spring, fall, time } of zones) {
    const daily: Schedule = { type: 'time_of_day', time, timezone: tz }
    const around = (day: string) => [new Date(new Date(`${day}T00:00:00Z`).getTime() - 2 * DAY).toISOString(), new Date(new Date(`${day}T00:00:00Z`).getTime() + 2 * DAY).toISOString()] as const

    it(`${tz}: a daily ${time} fires once a day across the spring change, at the first valid time on the skipped day`, () => {
      const fired = tickEveryMinute(daily, ...around(spring))
      const days = fired.map((d) => wall(d, tz).slice(0, 10))
      expect(new Set(days).size).toBe(fired.length)
      const onChange = fired.filter((d) => wall(d, tz).startsWith(spring))
      expect(onChange).toHaveLength(1)
      // New York springs forward at 02:00, so 01:30 exists there; Berlin's and Sydney's 02:30 does not.
      expect(wall(onChange[0] as Date, tz).slice(11)).toBe(tz === 'America/New_York' ? '01:30' : '03:00')
      for (const d of fired.filter((x) => !wall(x, tz).startsWith(spring))) expect(wall(d, tz).slice(11)).toBe(time)
    })

    it(`${tz}: a daily ${time} fires once on the fall-back day although that wall time happens twice`, () => {
      const fired = tickEveryMinute(daily, ...around(fall))
      const onChange = fired.filter((d) => wall(d, tz).startsWith(fall))
      expect(onChange).toHaveLength(1)
      expect(fired.map((d) => wall(d, tz).slice(11))).toEqual(fired.map(() => time))
      expect(new Set(fired.map((d) => wall(d, tz).slice(0, 10))).size).toBe(fired.length)
    })

    it(`${tz}: an hourly job fires every real hour: 23 on the short day, 25 on the long one, never one hour twice`, () => {
      const hourly: Schedule = { type: 'hours', every_hours: 1, timezone: tz }
      const localDay = (day: string) => {
        const fired = tickEveryMinute(hourly, ...around(day))
        return fired.filter((d) => wall(d, tz).startsWith(day))
      }
      const short = localDay(spring)
      const long = localDay(fall)
      expect(short).toHaveLength(23)
      expect(long).toHaveLength(25)
      for (const runs of [short, long]) {
        expect(new Set(iso(runs)).size).toBe(runs.length)
        expect(runs.slice(1).every((d, i) => d.getTime() - (runs[i] as Date).getTime() === HOUR)).toBe(true)
      }
    })
  }
})

describe('dueRun: calendars', () => {
  it('weekdays count 0 = Monday; a cron expression keeps cron\'s 0 = Sunday', () => {
    const apiMonday = tickEveryMinute({ type: 'weekdays', days: [0], time: '09:00', timezone: 'UTC' }, '2026-11-30T00:00:00Z', '2026-12-14T00:00:00Z')
    const cronSunday = tickEveryMinute({ type: 'cron', expression: '0 9 * * 0', timezone: 'UTC' }, '2026-11-30T00:00:00Z', '2026-12-14T00:00:00Z')
    expect(iso(apiMonday)).toEqual(['2026-11-30T09:00:00.000Z', '2026-12-07T09:00:00.000Z'])
    expect(iso(cronSunday)).toEqual(['2026-12-06T09:00:00.000Z', '2026-12-13T09:00:00.000Z'])
    const sundayApi = tickEveryMinute({ type: 'weekdays', days: [6], time: '09:00', timezone: 'UTC' }, '2026-11-30T00:00:00Z', '2026-12-14T00:00:00Z')
    expect(iso(sundayApi)).toEqual(iso(cronSunday))
  })

  it('the 31st fires only in months that have one; a daily job steps from Feb 28 to Mar 1', () => {
    const firstOfMonths = tickEveryMinute({ type: 'cron', expression: '0 12 31 * *', timezone: 'UTC' }, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')
    expect(firstOfMonths.map((d) => d.toISOString().slice(5, 10))).toEqual(['01-31', '03-31', '05-31', '07-31', '08-31', '10-31', '12-31'])
    const daily = tickEveryMinute({ type: 'time_of_day', time: '23:30', timezone: 'UTC' }, '2026-02-27T00:00:00Z', '2026-03-02T00:00:00Z')
    expect(iso(daily)).toEqual(['2026-02-27T23:30:00.000Z', '2026-02-28T23:30:00.000Z', '2026-03-01T23:30:00.000Z'])
  })

  it('Feb 29 fires in leap years only, and a daily job runs on the leap day', () => {
    const leap: Schedule = { type: 'cron', expression: '0 9 29 2 *', timezone: 'UTC' }
    expect(nextRun(leap, new Date('2026-03-01T00:00:00Z'))?.toISOString()).toBe('2028-02-29T09:00:00.000Z')
    // A tick on the leap day itself, its next_run_at read four years earlier: one run, the next four years on.
    expect(dueRun(leap, new Date('2024-02-29T09:00:00Z'), new Date('2028-02-29T09:00:30Z'))).toEqual({
      scheduledFor: new Date('2028-02-29T09:00:00Z'),
      nextRunAt: new Date('2032-02-29T09:00:00Z'),
    })
    const daily = tickEveryMinute({ type: 'time_of_day', time: '12:00', timezone: 'Australia/Sydney' }, '2028-02-28T00:00:00Z', '2028-03-02T00:00:00Z')
    expect(daily.map((d) => wall(d, 'Australia/Sydney'))).toContain('2028-02-29 12:00')
  })
})

describe('dueRun after downtime', () => {
  const every10: Schedule = { type: 'cron', expression: '*/10 * * * *', timezone: 'UTC' }

  it('after 3 days down, one catch-up: the latest missed time, then the next one after now', () => {
    expect(dueRun(every10, new Date('2026-12-01T10:00:00Z'), new Date('2026-12-04T10:05:00Z'))).toEqual({
      scheduledFor: new Date('2026-12-04T10:00:00Z'),
      nextRunAt: new Date('2026-12-04T10:10:00Z'),
    })
    const weekly: Schedule = { type: 'weekdays', days: [2], time: '09:00', timezone: 'Europe/Berlin' }
    expect(dueRun(weekly, new Date('2026-11-04T08:00:00Z'), new Date('2026-12-04T10:05:00Z'))).toEqual({
      scheduledFor: new Date('2026-12-02T08:00:00Z'),
      nextRunAt: new Date('2026-12-09T08:00:00Z'),
    })
  })

  it('a next_run_at still ahead owes nothing; one exactly now is the run', () => {
    expect(dueRun(every10, new Date('2026-12-04T10:10:00Z'), new Date('2026-12-04T10:05:00Z'))).toEqual({ scheduledFor: null, nextRunAt: new Date('2026-12-04T10:10:00Z') })
    expect(dueRun(every10, new Date('2026-12-04T10:10:00Z'), new Date('2026-12-04T10:10:00Z'))).toEqual({
      scheduledFor: new Date('2026-12-04T10:10:00Z'),
      nextRunAt: new Date('2026-12-04T10:20:00Z'),
    })
  })

  it('names a run by job and time', () => {
    expect(jobRunDedupeKey(7, new Date('2026-12-04T10:10:00+01:00'))).toBe('job:7:2026-12-04T09:10:00.000Z')
  })
})
