import fs from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { noopSink, type RunControl } from '../../domain/events.js'
import type { IdleReport, TaskRegistry } from '../../jobs/index.js'
import { writeFileAtomicSync } from '../../platform/atomic-fs.js'
import { rotateLog } from '../../platform/log-rotation.js'
import { tryFileLock } from '../../platform/file-lock.js'
import type { ServiceDeps } from '../context.js'
import { schedulerPaths, type LastTick } from './scheduler-cron.js'
import type { ScanReport, SchedulerService } from './scheduler.js'

// How many of a user's latest finished job runs a tick looks through for pipelines still pending.
const RECENT_JOB_RUNS = 50

export type TickReport =
  | { ticked: false; holderPid: number | null; since: string | null }
  | (LastTick & { ticked: true; scan: ScanReport; jobRuns: Array<{ taskId: number; state: string; pipelines: number }> })

/** What the scheduler needs to read from a finished automation_job task: the pipelines that run queued. */
function queuedPipelines(result: unknown): { taskIds: number[]; maxParallel: number } {
  const r = (result ?? {}) as { taskIds?: unknown; maxParallel?: unknown }
  const taskIds = Array.isArray(r.taskIds) ? r.taskIds.filter((id): id is number => Number.isSafeInteger(id)) : []
  const maxParallel = typeof r.maxParallel === 'number' && r.maxParallel >= 1 ? Math.floor(r.maxParallel) : 1
  return { taskIds, maxParallel }
}

/**
 * One scheduler tick (what `recflow scheduler tick` runs each minute from cron, and `scheduler run` each minute in
 * the foreground): under a lock file, queue the due jobs' runs, run every pending job run, then the pipelines
 * each run queued (at most the job's max_parallel at once), record the tick, and return. A second tick while one
 * runs returns at once with the holder's pid.
 */
export function schedulerTick(deps: ServiceDeps, scheduler: SchedulerService, registry: () => Promise<TaskRegistry>) {
  const paths = schedulerPaths(deps.env)

  /**
   * Pipelines queued by job runs and still pending: this tick's runs', and those an earlier tick left when it was
   * stopped or killed (found through the latest finished job runs' task ids), grouped by run for its max_parallel.
   */
  async function pendingJobPipelines(): Promise<Array<{ userId: number; taskIds: number[]; maxParallel: number }>> {
    const pending = new Set((await deps.scopes.system().tasks.listPending({ types: ['pipeline'] }, 500)).map((t) => `${t.user_id}:${t.id}`))
    if (pending.size === 0) return []
    const groups: Array<{ userId: number; taskIds: number[]; maxParallel: number }> = []
    for (const userId of new Set([...pending].map((k) => Number(k.split(':')[0])))) {
      const runs = await deps.scopes.forUser(userId).tasks.list({ type: 'automation_job', state: 'succeeded' }, { limit: RECENT_JOB_RUNS })
      for (const run of runs.items) {
        const { taskIds, maxParallel } = queuedPipelines(run.result)
        const left = taskIds.filter((id) => pending.delete(`${userId}:${id}`))
        if (left.length > 0) groups.push({ userId, taskIds: left, maxParallel })
      }
    }
    return groups
  }

  async function runQueued(control: RunControl): Promise<{ jobRuns: Array<{ taskId: number; state: string; pipelines: number }>; ran: number; failed: number }> {
    const jobRuns: Array<{ taskId: number; state: string; pipelines: number }> = []
    let ran = 0
    let failed = 0
    const hasRuns = (await deps.scopes.system().tasks.listPending({ types: ['automation_job'] }, 1)).length > 0
    let groups = hasRuns ? [] : await pendingJobPipelines()
    // Most ticks have nothing to run: then the worker and the pipeline modules are not even loaded.
    if (!hasRuns && groups.length === 0) return { jobRuns, ran, failed }
    const reg = await registry()
    const worker = async (concurrency: number) => deps.queue.worker({ registry: reg, clock: deps.clock, logger: deps.logger, concurrency, heartbeatMs: 2_000 })
    const until = async (w: Awaited<ReturnType<typeof worker>>, run: () => Promise<IdleReport>) => {
      const stop = () => void w.stop()
      control.signal?.addEventListener('abort', stop, { once: true })
      try {
        return await run()
      } finally {
        control.signal?.removeEventListener('abort', stop)
      }
    }
    if (hasRuns) {
      const runs = await worker(1)
      const done = await until(runs, () => runs.runUntilIdle({ filter: { types: ['automation_job'] }, waitForRetriesMs: 0 }))
      for (const task of done.finished) {
        ran++
        if (task.state !== 'succeeded') failed++
        jobRuns.push({ taskId: task.id, state: task.state, pipelines: queuedPipelines(task.result).taskIds.length })
      }
      groups = await pendingJobPipelines()
    }
    for (const group of groups) {
      if (control.signal?.aborted) break
      const pipelines = await worker(group.maxParallel)
      const report = await until(pipelines, () => pipelines.runUntilIdle({ filter: { ids: group.taskIds, userId: group.userId } }))
      ran += report.finished.length
      failed += report.finished.filter((t) => t.state !== 'succeeded').length
    }
    return { jobRuns, ran, failed }
  }

  async function tick(control: RunControl = {}): Promise<TickReport> {
      const emit = control.onEvent ?? noopSink
      fs.mkdirSync(paths.dir, { recursive: true, mode: 0o700 })
      const lock = tryFileLock(paths.lock)
      if (!lock.acquired) return { ticked: false, holderPid: lock.holderPid, since: lock.since?.toISOString() ?? null }
      try {
        rotateLog(paths.log)
        const scan = await scheduler.enqueueDue(deps.clock.now())
        for (const j of scan.jobs) {
          if (j.outcome === 'queued') emit({ type: 'log', level: 'info', message: `queued job ${j.jobId} (${j.name}) for ${j.scheduledFor}` })
          if (j.outcome === 'error') emit({ type: 'log', level: 'warn', message: `job ${j.jobId} (${j.name}) skipped: ${j.error}` })
        }
        const { jobRuns, ran, failed } = await runQueued(control)
        const last: LastTick = { at: deps.clock.now().toISOString(), pid: process.pid, queued: scan.queuedTaskIds.length, ran, failed }
        writeFileAtomicSync(paths.lastTick, JSON.stringify(last) + '\n', 0o600)
        return { ticked: true, ...last, scan, jobRuns }
      } finally {
        lock.release()
      }
  }

  return {
    tick,

    /**
     * `recflow scheduler run`: a tick now and then at the start of every minute, until the signal aborts (a tick
     * in progress stops its worker, which hands running tasks back to the queue). Each tick is reported to onTick.
     */
    async runForever(control: RunControl & { onTick?: (report: TickReport) => void }): Promise<{ ticks: number }> {
      let ticks = 0
      while (!control.signal?.aborted) {
        try {
          control.onTick?.(await tick(control))
        } catch (e) {
          // One failed tick (a locked database, a full disk) must not end the scheduler: the next minute tries again.
          if (control.signal?.aborted) break
          deps.logger.error('scheduler tick failed', { error: (e as Error).message })
          control.onEvent?.({ type: 'log', level: 'warn', message: `tick failed: ${(e as Error).message}` })
        }
        ticks++
        const wait = 60_000 - (deps.clock.now().getTime() % 60_000)
        await sleep(wait, undefined, { signal: control.signal }).catch(() => undefined)
      }
      return { ticks }
    },
  }
}

export type SchedulerTick = ReturnType<typeof schedulerTick>
