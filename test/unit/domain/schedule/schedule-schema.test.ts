import { describe, expect, it } from 'vitest'
import { RecflowError } from '../../../../src/domain/errors.js'
import { cronExpressionProblem, parseSchedule, scheduleSchema } from '../../../../src/domain/schedule/index.js'

function errorOf(fn: () => unknown): RecflowError {
  try {
    fn()
  } catch (e) {
    if (e instanceof RecflowError) return e
    throw e
  }
  throw new Error('expected a RecflowError')
}

describe('scheduleSchema', () => {
  it.each([
    { type: 'time_of_day', time: '09:30', timezone: 'Europe/Berlin' },
    { type: 'time_of_day', time: '00:00', timezone: 'UTC' },
    { type: 'time_of_day', time: '23:59', timezone: 'America/New_York' },
    { type: 'hours', every_hours: 1, timezone: 'UTC' },
    { type: 'hours', every_hours: 168, timezone: 'Asia/Kolkata' },
    { type: 'weekdays', days: [0, 2, 4], time: '18:00', timezone: 'Europe/Berlin' },
    { type: 'weekdays', days: [6], time: '08:15', timezone: 'UTC' },
    { type: 'cron', expression: '0 9 * * 1-5', timezone: 'Europe/Berlin' },
    { type: 'cron', expression: '  */15   8-18 * * MON-FRI ', timezone: 'UTC' },
  ])('accepts $type schedule %#', (schedule) => {
    expect(parseSchedule(schedule)).toEqual(schedule)
  })

  it.each([
    ['9:00', 'must be a 24-hour time as "HH:MM"'],
    ['24:00', 'must be a 24-hour time'],
    ['12:60', 'must be a 24-hour time'],
    ['12:00:00', 'must be a 24-hour time'],
    ['noon', 'must be a 24-hour time'],
  ])('rejects the time %j', (time, message) => {
    const e = errorOf(() => parseSchedule({ type: 'time_of_day', time, timezone: 'UTC' }))
    expect(e.code).toBe('validation')
    expect(e.message).toContain(`time: ${message}`)
  })

  it.each([0, 169, 1.5, -2])('rejects every_hours = %d', (every_hours) => {
    const e = errorOf(() => parseSchedule({ type: 'hours', every_hours, timezone: 'UTC' }))
    expect(e.message).toMatch(/every_hours: must be (between 1 and 168|a whole number of hours)/)
  })

  it.each([
    [[], 'days: must name at least one day'],
    [[7], 'days[0]: must be a day number 0-6 (0 = Monday ... 6 = Sunday)'],
    [[-1], 'days[0]: must be a day number 0-6'],
    [[1.5], 'days[0]: must be a day number 0-6'],
    [[1, 1], 'days: must not repeat a day'],
    ['mon', 'days: must be a list of day numbers 0-6 (0 = Monday)'],
  ])('rejects the days %j', (days, message) => {
    expect(errorOf(() => parseSchedule({ type: 'weekdays', days, time: '09:00', timezone: 'UTC' })).message).toContain(message)
  })

  it.each([
    ['* * * *', /must have exactly 5 fields/],
    ['0 0 9 * * *', /must have exactly 5 fields/],
    ['', /must have exactly 5 fields/],
    ['@daily', /must have exactly 5 fields/],
    ['61 * * * *', /Invalid value for minute: 61/],
    ['0 25 * * *', /hour/],
    ['0 9 * * funday', /invalid cron expression/],
    ['0 0 31 2 *', /never runs/],
  ])('rejects the cron expression %j with the reason', (expression, reason) => {
    const e = errorOf(() => parseSchedule({ type: 'cron', expression, timezone: 'UTC' }))
    expect(e.message).toMatch(/expression: invalid cron expression: /)
    expect(e.message).toMatch(reason)
  })

  it.each(['Mars/Olympus', '+01:00', '', 'Europe/Nowhere', 'UTC+1'])('rejects the time zone %j', (timezone) => {
    const e = errorOf(() => parseSchedule({ type: 'time_of_day', time: '09:00', timezone }))
    expect(e.message).toContain(`timezone: unknown time zone ${JSON.stringify(timezone)}: use an IANA name`)
  })

  it('requires a time zone', () => {
    expect(errorOf(() => parseSchedule({ type: 'hours', every_hours: 2 })).message).toMatch(/timezone: /)
  })

  it('rejects an unknown type, listing the types', () => {
    const e = errorOf(() => parseSchedule({ type: 'monthly', timezone: 'UTC' }))
    expect(e.message).toBe("invalid schedule: type: expected one of time_of_day, hours, weekdays, cron (got 'monthly')")
    expect(e.hint).toMatch(/0 = Monday/)
  })

  it('rejects keys of another schedule type', () => {
    const e = errorOf(() => parseSchedule({ type: 'time_of_day', time: '09:00', days: [0], timezone: 'UTC' }))
    expect(e.message).toContain('unknown key "days" (allowed keys: type, time, timezone)')
  })

  it('rejects something that is not an object', () => {
    expect(scheduleSchema.safeParse('daily').success).toBe(false)
    expect(errorOf(() => parseSchedule('daily')).message).toMatch(/a schedule must be an object/)
  })
})

describe('cronExpressionProblem', () => {
  it('returns null for a good expression', () => {
    expect(cronExpressionProblem('30 6 1 * *')).toBeNull()
    expect(cronExpressionProblem('0 0 29 2 *')).toBeNull()
  })
})
