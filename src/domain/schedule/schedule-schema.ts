import { Cron } from 'croner'
import { z } from 'zod'
import { formatZodError } from '../format-zod-error.js'
import { strictSection } from '../config/strict-section.js'
import { validationError } from '../errors.js'
import { timeZoneSchema } from '../time/time-zone-schema.js'

export const SCHEDULE_TYPES = ['time_of_day', 'hours', 'weekdays', 'cron'] as const
export type ScheduleType = (typeof SCHEDULE_TYPES)[number]

const clockTime = z
  .string({ error: 'must be a time as "HH:MM"' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time as "HH:MM", e.g. "09:30"')

// A fixed reference keeps validation pure; a pattern with no run after it has no run at all.
const NEVER_RUNS_REFERENCE = new Date(Date.UTC(2000, 0, 1))

/** Why croner rejects a 5-field expression, or null when it is fine. */
export function cronExpressionProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/)
  if (fields.length !== 5 || fields[0] === '') {
    return 'must have exactly 5 fields: minute hour day-of-month month day-of-week, e.g. "0 9 * * 1-5"'
  }
  try {
    const next = new Cron(fields.join(' '), { mode: '5-part', timezone: 'UTC' }).nextRun(NEVER_RUNS_REFERENCE)
    return next === null ? 'never runs (no date matches it)' : null
  } catch (e) {
    return (e as Error).message.replace(/^CronPattern:\s*/, '')
  }
}

const cronExpression = z.string({ error: 'must be a cron expression' }).check((ctx) => {
  const problem = cronExpressionProblem(ctx.value)
  if (problem !== null) ctx.issues.push({ code: 'custom', message: `invalid cron expression: ${problem}`, input: ctx.value })
})

export const timeOfDayScheduleSchema = strictSection({
  type: z.literal('time_of_day'),
  time: clockTime,
  timezone: timeZoneSchema,
})

export const hoursScheduleSchema = strictSection({
  type: z.literal('hours'),
  every_hours: z
    .number({ error: 'must be a whole number of hours' })
    .int('must be a whole number of hours')
    .min(1, 'must be between 1 and 168 (one week)')
    .max(168, 'must be between 1 and 168 (one week)'),
  timezone: timeZoneSchema,
})

const DAY_NUMBER = 'must be a day number 0-6 (0 = Monday ... 6 = Sunday)'

export const weekdaysScheduleSchema = strictSection({
  type: z.literal('weekdays'),
  days: z
    .array(z.number({ error: DAY_NUMBER }).int(DAY_NUMBER).min(0, DAY_NUMBER).max(6, DAY_NUMBER), {
      error: 'must be a list of day numbers 0-6 (0 = Monday)',
    })
    .min(1, 'must name at least one day (0 = Monday ... 6 = Sunday)')
    .refine((days) => new Set(days).size === days.length, 'must not repeat a day'),
  time: clockTime,
  timezone: timeZoneSchema,
})

export const cronScheduleSchema = strictSection({
  type: z.literal('cron'),
  expression: cronExpression,
  timezone: timeZoneSchema,
})

/** When an automation job runs. Weekdays count from 0 = Monday (cron expressions keep cron's 0 = Sunday). */
export const scheduleSchema = z.discriminatedUnion(
  'type',
  [timeOfDayScheduleSchema, hoursScheduleSchema, weekdaysScheduleSchema, cronScheduleSchema],
  {
    error: (iss) => {
      if (iss.code === 'invalid_union') return `must be one of ${SCHEDULE_TYPES.map((t) => JSON.stringify(t)).join(', ')}`
      if (iss.code !== 'invalid_type') return undefined
      return 'a schedule must be an object such as {"type": "time_of_day", "time": "09:00", "timezone": "UTC"}'
    },
  },
)

export type Schedule = z.output<typeof scheduleSchema>
export type TimeOfDaySchedule = z.output<typeof timeOfDayScheduleSchema>
export type HoursSchedule = z.output<typeof hoursScheduleSchema>
export type WeekdaysSchedule = z.output<typeof weekdaysScheduleSchema>
export type CronSchedule = z.output<typeof cronScheduleSchema>

/** Validates a schedule from a flag, a file, a request body or a stored row; throws RecflowError('validation'). */
export function parseSchedule(input: unknown): Schedule {
  const result = scheduleSchema.safeParse(input, { reportInput: true })
  if (result.success) return result.data
  throw validationError(
    `invalid schedule: ${formatZodError(result.error)}`,
    'schedules are {"type": "time_of_day", "time": "HH:MM"}, {"type": "hours", "every_hours": N}, ' +
      '{"type": "weekdays", "days": [0-6, 0 = Monday], "time": "HH:MM"} or {"type": "cron", "expression": "m h dom mon dow"}, ' +
      'each with a "timezone"',
    result.error.issues,
  )
}
