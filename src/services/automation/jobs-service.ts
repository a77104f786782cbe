import type { AutomationJob, AutomationJobRun, Task } from '../../db/index.js'
import { notFound, RecflowError } from '../../domain/errors.js'
import type { RunControl } from '../../domain/events.js'
import { checkMinInterval, describeSchedule, nextRun, nextRuns, parseSchedule, type Schedule } from '../../domain/schedule/index.js'
import { formatZonedMinute } from '../../domain/time/index.js'
import type { ServiceDeps, UserRef } from '../context.js'
import type { ListOptions } from '../paging.js'
import type { SyncService } from '../sync/sync-sources.js'
import { userPlan } from '../quota/effective-limits.js'
import { planJobRun } from './job-dry-run.js'
import { jobOptions, parseJobInput, toJobInput, type JobInput } from './job-input.js'
import type { RunResult, RunService } from '../run.js'
import { NO_UPLOAD_STOP_AFTER, runJob } from './job-run.js'
import type { JobRunPlan, JobRunSummary } from './job-summary.js'

export interface ExecuteOptions extends RunControl {
  /** The scheduled time this run is for (null: started by hand). */
  scheduledFor: Date | null
  /** Plan only: list what the run would sync, match, process and publish, and write nothing. */
  dryRun?: boolean
}

/** A job as `list`, `show` and `edit` return it: with its schedule in words and its options spelled out. */
export type JobView = AutomationJob & { description: string; upload: boolean; max_parallel: number }

/** `show`: the next 5 runs in the job's timezone and in UTC. */
export type JobDetails = JobView & { next_runs: Array<{ local: string; utc: string }> }

const LIST_HINT = 'run `recflow jobs list` to see your jobs'
const NEXT_RUNS_SHOWN = 5

function view(job: AutomationJob): JobView {
  const { upload, maxParallel } = jobOptions(job)
  return { ...job, description: describeSchedule(job.schedule as Schedule), upload, max_parallel: maxParallel }
}

/**
 * Automation jobs: a schedule, the sources and templates it runs, and its runs. The scheduler (and later the
 * daemon) calls `execute` for a due job; `jobs run ID` calls it by hand.
 */
export function jobsService(deps: ServiceDeps, services: { sync: SyncService; run: () => Promise<RunService> }) {
  const scope = (user: UserRef) => deps.scopes.forUser(user.id)
  const now = () => deps.clock.now()

  const get = async (user: UserRef, id: number): Promise<AutomationJob> => {
    const job = await scope(user).automationJobs.get(id)
    if (!job) throw notFound('automation job', id, LIST_HINT)
    return job
  }

  /** The quota's effective limits: custom values on the subscription win over the plan's (NULL unlimited, 0 none). */
  const limits = async (user: UserRef) => {
    const { limits } = await userPlan(scope(user))
    return { maxJobs: limits.automation_jobs, minHours: limits.min_automation_interval_hours }
  }

  /** Validates a job document for this user: schedule (timezone defaulting to the user's), plan limits. */
  const checked = async (user: UserRef, input: unknown, current?: AutomationJob) => {
    const raw = input !== null && typeof input === 'object' ? (input as Record<string, unknown>) : {}
    const schedule = raw.schedule !== null && typeof raw.schedule === 'object' ? { timezone: user.timezone, ...(raw.schedule as object) } : raw.schedule
    const job: JobInput = parseJobInput({ ...raw, schedule })
    const valid = parseSchedule(job.schedule)
    const { maxJobs, minHours } = await limits(user)
    // A disabled job never runs: the plan's interval applies when it is (re-)enabled, so a job made on a larger plan
    // can still be disabled or edited while off after a downgrade.
    if (job.is_active) checkMinInterval(valid, minHours, now())
    const becomesActive = job.is_active && !(current?.is_active ?? false)
    const active = becomesActive && maxJobs !== null ? await scope(user).automationJobs.countActive() : 0
    if (becomesActive && maxJobs !== null && active >= maxJobs) {
      throw new RecflowError('quota', maxJobs === 0 ? 'your plan allows no automation jobs' : `your plan allows ${maxJobs} active automation job${maxJobs === 1 ? '' : 's'}, and you have ${active} already`, {
        hint: maxJobs === 0 ? 'upgrade to a plan with automation jobs' : 'disable or remove one first (`recflow jobs disable ID`, `recflow jobs list`), or upgrade your plan',
        details: { quota: 'automation_jobs', limit: maxJobs, usage: active, max_automation_jobs: maxJobs },
      })
    }
    return {
      name: job.name,
      source_ids: job.source_ids,
      template_ids: job.template_ids,
      schedule: valid,
      processing_config: { upload: job.upload, max_parallel: job.max_parallel },
      is_active: job.is_active,
      next_run_at: job.is_active ? nextRun(valid, now()) : null,
    }
  }

  const setActive = async (user: UserRef, id: number, active: boolean): Promise<JobView> => {
    const current = await get(user, id)
    const patch = await checked(user, { ...toJobInput(current), is_active: active }, current)
    return view((await scope(user).automationJobs.update(id, patch)) ?? current)
  }

  /**
   * One run of the job (see runJob), or with `dryRun` its plan (see planJobRun), which writes nothing. The
   * scheduler's task handler calls this with the scheduled time.
   */
  const execute = async (user: UserRef, jobId: number, opts: ExecuteOptions): Promise<JobRunSummary> => {
    const job = await get(user, jobId)
    if (opts.dryRun) return planJobRun(deps, user, job, opts)
    return runJob(deps, services.sync, user, job, opts)
  }

  return {
    get,

    async list(user: UserRef, opts: ListOptions & { activeOnly?: boolean } = {}) {
      const page = await scope(user).automationJobs.list({ activeOnly: opts.activeOnly }, opts)
      return { ...page, items: page.items.map(view) }
    },

    async show(user: UserRef, id: number): Promise<JobDetails> {
      const job = await get(user, id)
      const schedule = job.schedule as Schedule
      const runs = job.is_active ? nextRuns(schedule, now(), NEXT_RUNS_SHOWN) : []
      return { ...view(job), next_runs: runs.map((at) => ({ local: formatZonedMinute(at, schedule.timezone), utc: at.toISOString() })) }
    },

    async add(user: UserRef, input: unknown): Promise<JobView> {
      return view(await scope(user).automationJobs.create(await checked(user, input)))
    },

    /** A partial document: the fields given replace the stored ones (the schedule as a whole). */
    async edit(user: UserRef, id: number, patch: Record<string, unknown>): Promise<JobView> {
      const current = await get(user, id)
      const updated = await scope(user).automationJobs.update(id, await checked(user, { ...toJobInput(current), ...patch }, current))
      if (!updated) throw notFound('automation job', id, LIST_HINT)
      return view(updated)
    },

    enable: (user: UserRef, id: number) => setActive(user, id, true),
    disable: (user: UserRef, id: number) => setActive(user, id, false),

    /** Its recorded runs go with it. */
    async remove(user: UserRef, id: number): Promise<{ id: number; removed: true }> {
      await get(user, id)
      if (!(await scope(user).automationJobs.remove(id))) throw notFound('automation job', id, LIST_HINT)
      return { id, removed: true }
    },

    /** The recorded runs, newest first, paged. */
    async runs(user: UserRef, id: number, opts: ListOptions = {}): Promise<{ job: JobView; items: AutomationJobRun[]; nextCursor: string | null }> {
      const job = view(await get(user, id))
      const page = await scope(user).jobRuns.list({ job_id: id }, opts)
      return { job, ...page }
    },

    execute,

    /**
     * POST /automation/jobs/{id}/run: queues a run by hand as an `automation_job` task for the worker (no scheduled
     * time; one attempt, as scheduled runs). A dry run's task result is the plan, and it writes nothing else. The
     * same request still queued is returned instead of a second task; a disabled job runs only as a dry run.
     */
    async queueRun(user: UserRef, jobId: number, opts: { dryRun?: boolean } = {}): Promise<Task> {
      const job = await get(user, jobId)
      const dryRun = opts.dryRun === true
      if (!job.is_active && !dryRun) {
        throw new RecflowError('conflict', `automation job ${jobId} is disabled`, { hint: `enable it first (\`recflow jobs enable ${jobId}\`), or ask for a dry run` })
      }
      const { task } = await deps.queue.enqueue(user.id, {
        type: 'automation_job',
        payload: { jobId, scheduledFor: null, ...(dryRun ? { dryRun } : {}) },
        dedupeKey: `job:${jobId}:by-hand:${dryRun ? 'dry-run' : 'run'}`,
        maxAttempts: 1,
      })
      return task
    },

    /**
     * `jobs run ID`: a run started by hand (no scheduled time), then the pipelines it queued processed in this
     * process by the run service (only this run's recordings, at most the job's max_parallel at once, stopping
     * before publishing when the job's uploads are off). A dry run only plans.
     */
    async runNow(user: UserRef, jobId: number, control: RunControl & { dryRun?: boolean } = {}): Promise<ForegroundJobRun> {
      const summary = await execute(user, jobId, { ...control, scheduledFor: null })
      if (summary.dryRun || summary.recordingIds.length === 0 || control.signal?.aborted) return { summary, run: null }
      const stopAfter = summary.upload ? undefined : NO_UPLOAD_STOP_AFTER
      const run = await (await services.run()).run(user, { recordingIds: summary.recordingIds, stopAfter, maxParallel: summary.maxParallel }, control)
      return { summary, run }
    },
  }
}

export type JobsService = ReturnType<typeof jobsService>

/** `jobs run ID`: the run, then (unless a dry run, or nothing was queued) the processing of what it queued. */
export interface ForegroundJobRun {
  summary: JobRunSummary
  /** The pipelines of this run's recordings, processed as `recflow run --recording ...` does; null when none ran. */
  run: RunResult | null
}
export type { JobRunPlan, JobRunSummary }
