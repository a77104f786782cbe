import type { AutomationJob, Recording } from '../../db/index.js'
import { isRecflowError } from '../../domain/errors.js'
import { noopSink, type RunControl } from '../../domain/events.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { enqueuePipeline } from '../enqueue-pipeline.js'
import type { SyncService } from '../sync/sync-sources.js'
import { startSummary, type JobRunSummary } from './job-summary.js'
import { belongsToJob, jobSourceIds } from './job-sources.js'

/** The last stage before publishing: a job with uploads off stops there. */
export const NO_UPLOAD_STOP_AFTER = 'GENERATE_SUBTITLES' as const

const errorOf = (e: unknown): { code: string; message: string } =>
  isRecflowError(e) ? { code: e.code, message: e.message } : { code: 'internal', message: (e as Error).message }

/**
 * One run of a job: sync its sources, keep the recordings that sync created or changed and that match the job's
 * templates, queue a pipeline for each (uploads off: stop before UPLOAD), and record the run. It only queues: the
 * caller's worker runs `taskIds`, at most `maxParallel` at a time. The run row is written first (status
 * running) and completed at the end, also when the run fails.
 */
export async function runJob(
  deps: ServiceDeps,
  sync: SyncService,
  user: UserRef,
  job: AutomationJob,
  opts: { scheduledFor: Date | null } & RunControl,
): Promise<JobRunSummary> {
  const scope = deps.scopes.forUser(user.id)
  const emit = opts.onEvent ?? noopSink
  const startedAt = deps.clock.now()
  const sourceIds = await jobSourceIds(scope, job)
  const run = await scope.jobRuns.create({ job_id: job.id, status: 'running', started_at: startedAt })
  const summary = startSummary(job, { runId: run.id, dryRun: false, scheduledFor: opts.scheduledFor, startedAt, sourceIds })
  try {
    const result = await sync.sync(user, sourceIds.length > 0 ? { sourceIds } : {}, { signal: opts.signal, onEvent: opts.onEvent })
    const touched = new Set<number>()
    for (const s of result.sources) {
      if (s.error) summary.errors.push({ code: s.error.code, message: s.error.message, sourceId: s.sourceId })
      summary.failed += s.failed
      for (const id of s.recordings) touched.add(id)
    }
    summary.synced = touched.size
    const ours: Recording[] = []
    for (const id of [...touched].sort((a, b) => a - b)) {
      const rec = await scope.recordings.get(id)
      if (rec && rec.deleted_at === null && !rec.failed && rec.status === 'INITIALIZED' && belongsToJob(job, rec)) ours.push(rec)
    }
    summary.matched = ours.length
    for (const rec of ours) {
      if (opts.signal?.aborted) break
      try {
        const payload = summary.upload ? { recordingId: rec.id } : { recordingId: rec.id, stopAfter: NO_UPLOAD_STOP_AFTER }
        const task = await enqueuePipeline(deps, user, payload, { exclusive: false, emit })
        summary.recordingIds.push(rec.id)
        summary.taskIds.push(task.id)
        summary.queued++
      } catch (e) {
        summary.failed++
        summary.errors.push({ ...errorOf(e), recordingId: rec.id })
      }
    }
    summary.status = opts.signal?.aborted ? 'cancelled' : summary.errors.length > 0 ? 'partial' : 'succeeded'
  } catch (e) {
    const err = errorOf(e)
    summary.status = opts.signal?.aborted || err.code === 'cancelled' ? 'cancelled' : 'failed'
    summary.errors.push(err)
  } finally {
    const finishedAt = deps.clock.now()
    summary.finishedAt = finishedAt.toISOString()
    const { runId: _r, jobId: _j, jobName: _n, dryRun: _d, ...result } = summary
    await scope.jobRuns.update(run.id, {
      status: summary.status,
      finished_at: finishedAt,
      result,
      error: summary.status === 'failed' ? (summary.errors[summary.errors.length - 1]?.message ?? null) : null,
    })
    await scope.automationJobs.update(job.id, { last_run_at: startedAt })
  }
  if (summary.status === 'failed') {
    const last = summary.errors[summary.errors.length - 1]
    deps.logger.warn('automation job run failed', { jobId: job.id, runId: run.id, code: last?.code })
  }
  return summary
}
