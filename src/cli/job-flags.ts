import { Flags } from '@oclif/core'
import { usageError } from '../domain/errors.js'

/**
 * Flags of `jobs add` and `jobs edit`, and the pure builder that turns them into the job document a `--file`
 * holds (the service validates both the same way). Sources are given by id or name and resolved by the command.
 */
export const jobFlags = {
  source: Flags.string({ summary: 'Sync this source (id or name; repeatable).', multiple: true }),
  template: Flags.integer({ summary: 'Queue only recordings matched to this template id (repeatable; its sources are synced too).', multiple: true }),
  at: Flags.string({ summary: 'Run every day at this time (HH:MM), or with --weekdays on those days.' }),
  'every-hours': Flags.integer({ summary: 'Run every N hours (1-168), on the hour.' }),
  weekdays: Flags.string({ summary: 'Run on these days at --at: comma-separated, 0 = Monday ... 6 = Sunday (e.g. 0,2,4).' }),
  cron: Flags.string({ summary: 'Run on a 5-field cron expression (minute hour day month weekday; weekday 0 = Sunday as in cron).' }),
  timezone: Flags.string({ summary: 'IANA timezone of the schedule, e.g. Europe/Berlin (default: yours).' }),
  upload: Flags.boolean({ summary: 'Publish what the run processes (default on; --no-upload stops before publishing).', allowNo: true }),
  'max-parallel': Flags.integer({ summary: 'Pipelines of one run processed at once (1-16, default 1).' }),
  active: Flags.boolean({ summary: 'Whether the job runs on its schedule (default on).', allowNo: true }),
}

export interface JobFlagValues {
  name?: string
  source?: number[]
  template?: number[]
  at?: string
  'every-hours'?: number
  weekdays?: string
  cron?: string
  timezone?: string
  upload?: boolean
  'max-parallel'?: number
  active?: boolean
}

const SCHEDULE_HINT = 'give one of --at HH:MM, --every-hours N, --weekdays 0,2,4 --at HH:MM or --cron "EXPR"'

/** The schedule the flags ask for, or undefined when they name none (`--timezone` alone changes `current`'s). */
export function scheduleFromFlags(f: JobFlagValues, current?: Record<string, unknown>): Record<string, unknown> | undefined {
  const tz = f.timezone === undefined ? {} : { timezone: f.timezone }
  const kinds = [f.cron !== undefined && '--cron', f['every-hours'] !== undefined && '--every-hours', f.weekdays !== undefined && '--weekdays'].filter(Boolean)
  if (kinds.length > 1) throw usageError(`${kinds.join(' and ')} are different schedules; give one`, SCHEDULE_HINT)
  if (f.at !== undefined && (f.cron !== undefined || f['every-hours'] !== undefined)) {
    throw usageError(`--at goes with a daily or --weekdays schedule, not with ${f.cron !== undefined ? '--cron' : '--every-hours'}`, SCHEDULE_HINT)
  }
  if (f.cron !== undefined) return { type: 'cron', expression: f.cron, ...tz }
  if (f['every-hours'] !== undefined) return { type: 'hours', every_hours: f['every-hours'], ...tz }
  if (f.weekdays !== undefined) {
    if (f.at === undefined) throw usageError('--weekdays needs --at HH:MM (the time of day on those days)', SCHEDULE_HINT)
    return { type: 'weekdays', days: weekdayList(f.weekdays), time: f.at, ...tz }
  }
  if (f.at !== undefined) return { type: 'time_of_day', time: f.at, ...tz }
  // --timezone alone: the stored schedule (editing) or the --file's (adding, merged over it) in that timezone.
  if (f.timezone !== undefined) return current ? { ...current, timezone: f.timezone } : { timezone: f.timezone }
  return undefined
}

function weekdayList(text: string): number[] {
  return text.split(',').map((part) => {
    const day = part.trim()
    if (!/^\d+$/.test(day)) throw usageError(`--weekdays: "${day}" is not a day number`, 'days are 0 = Monday ... 6 = Sunday, comma-separated, e.g. --weekdays 0,2,4')
    return Number(day)
  })
}

/** The job document the flags give (only the fields they set); `current` is the stored schedule when editing. */
export function jobInputFromFlags(f: JobFlagValues, current?: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const set = (key: string, value: unknown) => {
    if (value !== undefined) out[key] = value
  }
  set('name', f.name)
  set('source_ids', f.source)
  set('template_ids', f.template)
  set('schedule', scheduleFromFlags(f, current))
  set('upload', f.upload)
  set('max_parallel', f['max-parallel'])
  set('is_active', f.active)
  return out
}
