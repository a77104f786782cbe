export {
  cronExpressionProblem,
  cronScheduleSchema,
  hoursScheduleSchema,
  parseSchedule,
  SCHEDULE_TYPES,
  scheduleSchema,
  timeOfDayScheduleSchema,
  weekdaysScheduleSchema,
} from './schedule-schema.js'
export type {
  CronSchedule,
  HoursSchedule,
  Schedule,
  ScheduleType,
  TimeOfDaySchedule,
  WeekdaysSchedule,
} from './schedule-schema.js'
export { cronPlan, toCronPattern, toCronWeekday } from './cron-pattern.js'
export type { CronPlan } from './cron-pattern.js'
export { nextRun, nextRuns } from './next-runs.js'
export { checkMinInterval, MIN_INTERVAL_CHECK_SAMPLE, minIntervalHours } from './min-interval.js'
export { describeSchedule, WEEKDAY_NAMES } from './describe-schedule.js'
