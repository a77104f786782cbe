import { describe, expect, it } from 'vitest'
import { RecflowError } from '../../../../src/domain/errors.js'
import { checkMinInterval, minIntervalHours, type Schedule } from '../../../../src/domain/schedule/index.js'

function errorOf(fn: () => unknown): RecflowError {
  try {
    fn()
  } catch (e) {
    if (e instanceof RecflowError) return e
    throw e
  }
  throw new Error('expected a RecflowError')
}

const FROM = new Date('2024-01-10T12:00:00Z')

describe('minIntervalHours', () => {
  it.each<[string, Schedule, number]>([
    ['a daily time', { type: 'time_of_day', time: '09:00', timezone: 'Europe/Berlin' }, 24],
    ['Monday and Wednesday', { type: 'weekdays', days: [0, 2], time: '09:00', timezone: 'UTC' }, 48],
    ['Sunday and Monday', { type: 'weekdays', days: [6, 0], time: '09:00', timezone: 'UTC' }, 24],
    ['every hour', { type: 'hours', every_hours: 1, timezone: 'UTC' }, 1],
    ['every 5 hours', { type: 'hours', every_hours: 5, timezone: 'Europe/Berlin' }, 5],
    ['every 6 hours', { type: 'hours', every_hours: 6, timezone: 'UTC' }, 6],
    ['every 168 hours', { type: 'hours', every_hours: 168, timezone: 'UTC' }, 168],
    ['a cron every 30 minutes', { type: 'cron', expression: '*/30 * * * *', timezone: 'UTC' }, 0.5],
    ['a cron at 9:00 and 9:10', { type: 'cron', expression: '0,10 9 * * *', timezone: 'UTC' }, 1 / 6],
  ])('is the smallest gap for %s', (_name, schedule, hours) => {
    expect(minIntervalHours(schedule, FROM)).toBeCloseTo(hours, 9)
  })

  it('finds the short gap of an uneven cron, not the average', () => {
    // 09:00 and 11:00 every day: gaps of 2 h and 22 h.
    expect(minIntervalHours({ type: 'cron', expression: '0 9,11 * * *', timezone: 'UTC' }, FROM)).toBe(2)
  })

  it('does not count DST: a daily 02:30 in Berlin stays 24 h apart in the week of the March change', () => {
    const schedule: Schedule = { type: 'time_of_day', time: '02:30', timezone: 'Europe/Berlin' }
    expect(minIntervalHours(schedule, new Date('2024-03-28T00:00:00Z'), 7)).toBe(24)
    expect(minIntervalHours({ type: 'hours', every_hours: 6, timezone: 'America/Santiago' }, new Date('2024-09-06T00:00:00Z'))).toBe(6)
  })

  it('needs a sample of at least two runs', () => {
    expect(() => minIntervalHours({ type: 'hours', every_hours: 2, timezone: 'UTC' }, FROM, 1)).toThrow(/sample must be a whole number >= 2/)
  })
})

describe('checkMinInterval', () => {
  const hourly: Schedule = { type: 'hours', every_hours: 1, timezone: 'UTC' }

  it('allows anything when the plan has no limit (null)', () => {
    expect(checkMinInterval({ type: 'cron', expression: '* * * * *', timezone: 'UTC' }, null, FROM)).toBeCloseTo(1 / 60, 9)
  })

  it('allows a schedule exactly at the limit', () => {
    expect(checkMinInterval({ type: 'hours', every_hours: 6, timezone: 'Europe/Berlin' }, 6, FROM)).toBe(6)
  })

  it('throws a quota error with a hint when runs are closer than the plan allows', () => {
    const e = errorOf(() => checkMinInterval(hourly, 6, FROM))
    expect(e.code).toBe('quota')
    expect(e.message).toBe('this schedule runs as often as every 1 hour; your plan allows at most one run every 6 hours')
    expect(e.hint).toContain('"every_hours": 6')
    expect(e.hint).toMatch(/upgrade your plan/)
    expect(e.details).toEqual({ quota: 'min_automation_interval_hours', limit: 6, usage: 1, min_interval_hours: 1, allowed_min_interval_hours: 6 })
  })

  it('catches a short gap anywhere in the day, in minutes when under an hour', () => {
    const e = errorOf(() => checkMinInterval({ type: 'cron', expression: '0,30 9 * * *', timezone: 'UTC' }, 1, FROM))
    expect(e.message).toMatch(/^this schedule runs as often as every 30 minutes; your plan allows at most one run every 1 hour$/)
  })

  it('does not fail a daily schedule against a 24 h limit in the week the clocks change', () => {
    const schedule: Schedule = { type: 'time_of_day', time: '02:30', timezone: 'Europe/Berlin' }
    expect(checkMinInterval(schedule, 24, new Date('2024-03-28T00:00:00Z'))).toBe(24)
    expect(checkMinInterval(schedule, 24, new Date('2024-10-25T00:00:00Z'))).toBe(24)
  })
})
