import type { AutomationJob } from '../../db/index.js'
import { isRecflowError } from '../../domain/errors.js'
import type { EventSink } from '../../domain/events.js'
import { parseSchedule } from '../../domain/schedule/index.js'
import { automationJobPayloadSchema, type Handler, type TaskPayload } from '../../jobs/index.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { dueRun, jobRunDedupeKey } from './scheduler-due.js'

/** What the scheduler needs of the jobs service (helper "jobs" owns it): one run of one job. */
export interface JobRunner {
  execute(
    user: UserRef,
    jobId: number,
    opts: { scheduledFor: Date | null; dryRun?: boolean; signal?: AbortSignal; onEvent?: EventSink },
  ): Promise<unknown>
}

/** One job the scan looked at. */
export interface ScheduledJob {
  jobId: number
  userId: number
  name: string
  /** queued: a task for scheduledFor was created; duplicate: one for that time existed already; lost: another
   *  scheduler claimed this due time first; advanced: nothing fell due (next_run_at moved on); error: bad row. */
  outcome: 'queued' | 'duplicate' | 'lost' | 'advanced' | 'error'
  scheduledFor: string | null
  nextRunAt: string | null
  taskId?: number
  error?: string
}

export interface ScanReport {
  at: string
  jobs: ScheduledJob[]
  /** Ids of the automation_job tasks this scan created. */
  queuedTaskIds: number[]
}

const SCAN_LIMIT = 500

/**
 * The scheduler: enqueue only. Each scan re-reads the active jobs from the database (so an edit, a disable or a
 * deletion takes effect at the next scan), and for each due one claims its next_run_at (compare-and-set) and
 * queues an `automation_job` task with the dedupe key `job:<id>:<scheduledFor>` in the same transaction: a
 * double fire, from the same process or another, cannot queue one scheduled time twice.
 * The real guard is the claim: the queue clears a task's dedupe key when the task finishes, so the key alone only
 * stops a second fire while the first run is still queued or running; next_run_at having moved past the time
 * stops every later one. Keep both.
 */
export function schedulerService(deps: ServiceDeps) {
  async function claim(job: AutomationJob, now: Date): Promise<ScheduledJob> {
    const base = { jobId: job.id, userId: job.user_id, name: job.name }
    const expected = job.next_run_at as string
    let plan
    try {
      plan = dueRun(parseSchedule(job.schedule), new Date(expected), now)
    } catch (e) {
      const message = isRecflowError(e) ? e.message : (e as Error).message
      deps.logger.warn('automation job has a bad schedule; skipped', { jobId: job.id, error: message })
      return { ...base, outcome: 'error', scheduledFor: null, nextRunAt: expected, error: message }
    }
    const scheduledFor = plan.scheduledFor?.toISOString() ?? null
    const nextRunAt = plan.nextRunAt?.toISOString() ?? null
    return deps.scopes.forUser(job.user_id).transaction(async (tx) => {
      if (!(await tx.automationJobs.advanceNextRun(job.id, expected, plan.nextRunAt))) {
        return { ...base, outcome: 'lost' as const, scheduledFor, nextRunAt }
      }
      if (plan.scheduledFor === null) return { ...base, outcome: 'advanced' as const, scheduledFor, nextRunAt }
      // The queue's own enqueue runs outside this transaction; the claim and the task must commit together.
      const payload = automationJobPayloadSchema.parse({ jobId: job.id, scheduledFor })
      const { task, created } = await tx.tasks.create({
        type: 'automation_job',
        payload,
        dedupe_key: jobRunDedupeKey(job.id, plan.scheduledFor),
        // A failed run is recorded by the run itself; the next scheduled time is the retry.
        max_attempts: 1,
        run_at: now,
      })
      return { ...base, outcome: created ? ('queued' as const) : ('duplicate' as const), scheduledFor, nextRunAt, taskId: task.id }
    })
  }

  return {
    /** Queues one task for every job due at `now` (default the clock's now). */
    async enqueueDue(now: Date = deps.clock.now()): Promise<ScanReport> {
      const due = await deps.scopes.system().automationJobs.listDue(now, SCAN_LIMIT)
      const jobs: ScheduledJob[] = []
      for (const job of due) jobs.push(await claim(job, now))
      const queuedTaskIds = jobs.flatMap((j) => (j.outcome === 'queued' && j.taskId !== undefined ? [j.taskId] : []))
      for (const j of jobs) if (j.outcome === 'queued') deps.logger.info('queued an automation job run', { jobId: j.jobId, scheduledFor: j.scheduledFor, taskId: j.taskId })
      return { at: now.toISOString(), jobs, queuedTaskIds }
    },

    /** The active job that runs next (any user), for `cron status`. */
    nextScheduled: () => deps.scopes.system().automationJobs.nextScheduled(),
  }
}

export type SchedulerService = ReturnType<typeof schedulerService>

/**
 * The `automation_job` task's handler: the run itself is the jobs service's. A job deleted or disabled after its
 * run was queued is not run (the change takes effect at once); a dry run (it writes nothing) plans a disabled one too.
 */
export function automationJobHandler(deps: ServiceDeps, jobs: () => Promise<JobRunner>): Handler<TaskPayload<'automation_job'>> {
  return async (ctx) => {
    const account = await deps.scopes.system().users.get(ctx.userId)
    const user: UserRef = { id: ctx.userId, timezone: account?.timezone ?? 'UTC' }
    const job = await deps.scopes.forUser(ctx.userId).automationJobs.get(ctx.payload.jobId)
    if (job === undefined) return { skipped: 'the job was deleted' }
    const dryRun = ctx.payload.dryRun === true
    if (!job.is_active && !dryRun) return { skipped: 'the job is disabled' }
    const scheduledFor = ctx.payload.scheduledFor === null ? null : new Date(ctx.payload.scheduledFor)
    return (await jobs()).execute(user, job.id, { scheduledFor, dryRun, signal: ctx.signal, onEvent: ctx.onEvent })
  }
}
