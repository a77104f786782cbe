import { z } from 'zod'
import { formatZodError } from '../../domain/format-zod-error.js'
import { validationError } from '../../domain/errors.js'
import type { AutomationJob } from '../../db/index.js'

/** Pipelines of one job run that may run at once, at most. */
export const MAX_PARALLEL_LIMIT = 16

const id = z.number({ error: 'must be an id' }).int('must be an id').positive('must be an id')

/**
 * An automation job as a person writes it (`jobs add` flags, `--file job.yaml`, a daemon request body). The
 * schedule is validated separately (parseSchedule), after the user's timezone fills a missing one.
 */
export const jobInputSchema = z.strictObject({
  name: z.string({ error: 'must be a name' }).trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  source_ids: z.array(id).default([]),
  template_ids: z.array(id).default([]),
  schedule: z.record(z.string(), z.unknown(), { error: 'must be a schedule object' }),
  upload: z.boolean({ error: 'must be true or false' }).default(true),
  max_parallel: z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, `must be between 1 and ${MAX_PARALLEL_LIMIT}`)
    .max(MAX_PARALLEL_LIMIT, `must be between 1 and ${MAX_PARALLEL_LIMIT}`)
    .default(1),
  is_active: z.boolean({ error: 'must be true or false' }).default(true),
})

export type JobInput = z.output<typeof jobInputSchema>

const JOB_HINT =
  'a job is {"name": "...", "source_ids": [ID], "template_ids": [ID], "schedule": {"type": "time_of_day", "time": "09:00"}, ' +
  '"upload": true, "max_parallel": 1}; see `recflow jobs add --help`'

export function parseJobInput(input: unknown): JobInput {
  const result = jobInputSchema.safeParse(input, { reportInput: true })
  if (!result.success) throw validationError(`invalid job: ${formatZodError(result.error)}`, JOB_HINT, result.error.issues)
  const job = result.data
  if (job.source_ids.length === 0 && job.template_ids.length === 0) {
    throw validationError('a job needs at least one source or template', 'add `--source ID` or `--template ID` (see `recflow sources list`)')
  }
  return job
}

/** What a job run does besides its sources and templates (stored in processing_config). */
export interface JobOptions {
  upload: boolean
  maxParallel: number
}

export function jobOptions(job: Pick<AutomationJob, 'processing_config'>): JobOptions {
  const c = (job.processing_config ?? {}) as { upload?: unknown; max_parallel?: unknown }
  return {
    upload: c.upload !== false,
    maxParallel: typeof c.max_parallel === 'number' && Number.isInteger(c.max_parallel) && c.max_parallel >= 1 ? c.max_parallel : 1,
  }
}

/** The stored job as its input document (what `edit` patches and validates again). */
export function toJobInput(job: AutomationJob): JobInput {
  const { upload, maxParallel } = jobOptions(job)
  return {
    name: job.name,
    source_ids: job.source_ids as number[],
    template_ids: job.template_ids as number[],
    schedule: job.schedule as Record<string, unknown>,
    upload,
    max_parallel: maxParallel,
    is_active: job.is_active,
  }
}
