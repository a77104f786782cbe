import { setTimeout as sleep } from 'node:timers/promises'
import type { TaskRegistry, Worker } from '../../jobs/index.js'
import type { ServiceDeps } from '../context.js'
import type { SchedulerService } from '../automation/scheduler.js'
import { claimPidFile, readDaemons, refuseIfRunning, type DaemonMode, type DaemonRecord } from './daemon-files.js'
import { stopDaemons, type StopOptions } from './daemon-stop.js'

export interface BackgroundOptions {
  /** Run the worker: claims every user's tasks (each user limited by their plan) until stopped. */
  worker: boolean
  /** Run the scheduler: every minute, queue the automation jobs that are due (as `scheduler tick` does). */
  scheduler: boolean
  /** Tasks this daemon runs at once, over all users. */
  concurrency: number
}

/** The worker and scheduler of a running daemon. */
export interface Background {
  /** Ids of the tasks the worker is running now. */
  runningTaskIds(): number[]
  /**
   * Stops the scheduler at once and the worker gracefully: no new claim, running tasks finish for up to graceMs,
   * then the rest are aborted and handed back to the queue (pending, attempt not counted). `now()` ends the grace
   * period early.
   */
  stop(graceMs: number): { done: Promise<{ handedBack: number[] }>; now(): void }
}

export interface DaemonStatus {
  daemons: Array<DaemonRecord & { uptimeS: number | null }>
  /** Tasks of every user by state (pending, running, …). */
  tasks: Record<string, number>
}

const MINUTE = 60_000

/**
 * The daemon's process-independent half: its pid files, the worker that runs every user's tasks and the
 * scheduler that queues due automation jobs, and its status. The HTTP server and the signals are daemon/'s.
 */
export function daemonService(deps: ServiceDeps, scheduler: SchedulerService, registry: () => Promise<TaskRegistry>) {
  /** A scan each minute, on the minute, until the signal aborts; a failed scan is logged and the next one tries. */
  async function scheduleLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const scan = await scheduler.enqueueDue(deps.clock.now())
        for (const j of scan.jobs) if (j.outcome === 'error') deps.logger.warn('automation job skipped', { jobId: j.jobId, error: j.error })
      } catch (e) {
        deps.logger.error('scheduler scan failed', { error: (e as Error).message })
      }
      await sleep(MINUTE - (deps.clock.now().getTime() % MINUTE), undefined, { signal }).catch(() => undefined)
    }
  }

  return {
    claimPidFile: (mode: DaemonMode) => claimPidFile(deps.env, mode),
    refuseIfRunning: (mode: DaemonMode) => refuseIfRunning(deps.env, mode),
    /** Stops the daemons of this home (see stopDaemons); the tasks of one that had to be killed are taken back. */
    async stop(opts: StopOptions = {}) {
      const outcomes = await stopDaemons(deps.env, opts)
      if (outcomes.some((o) => o.outcome === 'killed')) await deps.queue.recoverDeadLocalOwners({ now: deps.clock.now(), logger: deps.logger })
      return outcomes
    },

    /**
     * Takes back at once the tasks of worker processes of this host that are gone (a daemon or a `recflow run`
     * killed with SIGKILL), then starts what `opts` asks for.
     */
    async startBackground(opts: BackgroundOptions): Promise<Background> {
      const recovered = await deps.queue.recoverDeadLocalOwners({ now: deps.clock.now(), logger: deps.logger })
      if (recovered.length > 0) deps.logger.info('took back the tasks of a worker process that is gone', { taskIds: recovered.map((t) => t.id) })
      let worker: Worker | undefined
      if (opts.worker) {
        worker = await deps.queue.worker({ registry: await registry(), clock: deps.clock, logger: deps.logger, concurrency: opts.concurrency, heartbeatMs: 2_000 })
        await worker.start()
        deps.logger.info('worker started', { owner: worker.owner, concurrency: opts.concurrency })
      }
      const scheduling = new AbortController()
      const loop = opts.scheduler ? scheduleLoop(scheduling.signal) : Promise.resolve()
      return {
        runningTaskIds: () => worker?.runningTaskIds ?? [],
        stop(graceMs) {
          scheduling.abort()
          const drain = worker?.drain(graceMs)
          const done = (async () => {
            const handedBack = (await drain?.done) ?? []
            await loop
            return { handedBack }
          })()
          return { done, now: () => drain?.now() }
        },
      }
    },

    /** The daemons of this home (live or stale) and the queue's counts, for `daemon status`. */
    async status(): Promise<DaemonStatus> {
      const now = deps.clock.now().getTime()
      const daemons = readDaemons(deps.env).map((d) => ({
        ...d,
        uptimeS: d.alive && d.info ? Math.max(0, Math.round((now - Date.parse(d.info.startedAt)) / 1000)) : null,
      }))
      const counts = await deps.scopes.system().stats.counts()
      return { daemons, tasks: counts.tasksByState }
    },
  }
}

export type DaemonService = ReturnType<typeof daemonService>
