import { describe, expect, it } from 'vitest'
import { describeSchedule, type Schedule } from '../../../../src/domain/schedule/index.js'

describe('describeSchedule', () => {
  it.each<[Schedule, string]>([
    [{ type: 'time_of_day', time: '09:00', timezone: 'Europe/Berlin' }, 'every day at 09:00 (Europe/Berlin)'],
    [{ type: 'weekdays', days: [0], time: '09:00', timezone: 'UTC' }, 'every Monday at 09:00 (UTC)'],
    [{ type: 'weekdays', days: [2, 0], time: '09:00', timezone: 'Europe/Berlin' }, 'every Monday and Wednesday at 09:00 (Europe/Berlin)'],
    [{ type: 'weekdays', days: [0, 2, 4], time: '18:30', timezone: 'UTC' }, 'every Monday, Wednesday and Friday at 18:30 (UTC)'],
    [{ type: 'weekdays', days: [0, 1, 2, 3, 4], time: '08:00', timezone: 'UTC' }, 'every Monday to Friday at 08:00 (UTC)'],
    [{ type: 'weekdays', days: [5, 6], time: '10:00', timezone: 'UTC' }, 'every Saturday and Sunday at 10:00 (UTC)'],
    [{ type: 'weekdays', days: [6, 5, 4, 3, 2, 1, 0], time: '10:00', timezone: 'UTC' }, 'every day at 10:00 (UTC)'],
    [{ type: 'hours', every_hours: 1, timezone: 'UTC' }, 'every hour (UTC)'],
    [{ type: 'hours', every_hours: 6, timezone: 'UTC' }, 'every 6 hours, at 00:00, 06:00, 12:00 and 18:00 (UTC)'],
    [{ type: 'hours', every_hours: 12, timezone: 'UTC' }, 'every 12 hours, at 00:00 and 12:00 (UTC)'],
    [{ type: 'hours', every_hours: 2, timezone: 'UTC' }, 'every 2 hours (UTC)'],
    [{ type: 'hours', every_hours: 5, timezone: 'UTC' }, 'every 5 hours (UTC)'],
    [{ type: 'hours', every_hours: 24, timezone: 'UTC' }, 'every day at 00:00 (UTC)'],
    [{ type: 'hours', every_hours: 72, timezone: 'UTC' }, 'every 3 days at 00:00 (UTC)'],
    [{ type: 'hours', every_hours: 168, timezone: 'Europe/Berlin' }, 'every Monday at 00:00 (Europe/Berlin)'],
    [{ type: 'cron', expression: ' 0 9  * * 1-5', timezone: 'UTC' }, 'on the cron schedule "0 9 * * 1-5" (UTC)'],
  ])('describes %j', (schedule, text) => {
    expect(describeSchedule(schedule)).toBe(text)
  })
})
