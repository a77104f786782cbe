import { systemScope, type Executor, type QueueFilter, type Task } from '../db/index.js'
import { conflict, usageError } from '../domain/errors.js'
import { systemClock, type Clock } from '../platform/clock.js'
import { silentLogger, type Logger } from '../platform/logger.js'
import { newLeaseOwner, recoverDeadLocalOwners } from './lease-owner.js'
import type { ProgressBus } from './progress-bus.js'
import type { BackoffOptions } from './retry-policy.js'
import { runTask, type RunningTask, type TaskRunDeps } from './run-task.js'
import type { TaskRegistry } from './task-types.js'

export interface WorkerOptions {
  db: Executor
  registry: TaskRegistry
  /** Unique per worker; default host:pid:random. */
  owner?: string
  /** How long a claim lasts without a heartbeat; default 30 s. */
  leaseMs?: number
  /** How often a running task's lease is extended and `cancel_requested` checked; default 10 s. */
  heartbeatMs?: number
  /** How often to look for new work when idle; default 1 s. */
  pollMs?: number
  /** Tasks this process runs at once (each user is further limited by the plan); default 2. */
  concurrency?: number
  clock?: Clock
  logger?: Logger
  bus?: ProgressBus
  backoff?: BackoffOptions
  /** Minimum time between two progress writes per task; default 1 s. */
  progressIntervalMs?: number
  /** How long a graceful stop waits for handlers to clean up after the abort; default 10 s. */
  shutdownTimeoutMs?: number
}

export interface RunUntilIdleOptions {
  filter?: QueueFilter
  /**
   * Tasks waiting for a retry due within this time are waited for; later ones are left pending and reported.
   * Default 30 s. Due tasks held back by the plan's concurrency (by tasks running elsewhere) are always waited for.
   */
  waitForRetriesMs?: number
}

export interface IdleReport {
  /** The final rows of the tasks this call ran to an end (succeeded, failed, cancelled). */
  finished: Task[]
  /** Tasks matching the filter still pending (retries due later than waitForRetriesMs). */
  pending: Task[]
}

/**
 * Takes tasks from the durable queue and runs their handlers: a claim is a lease kept alive by heartbeats; a
 * handler's failure is retried or recorded (retry-policy.ts); `stop()` hands running tasks back to the queue
 * without burning an attempt; a worker that dies without stopping loses its leases, and the next worker to
 * start (or any running worker, every lease period) returns those tasks to pending.
 */
export class Worker {
  readonly owner: string
  readonly #deps: TaskRunDeps
  readonly #pollMs: number
  readonly #concurrency: number
  readonly #shutdownTimeoutMs: number
  readonly #running = new Map<number, RunningTask>()
  #mode: 'idle' | 'started' | 'draining' = 'idle'
  #stopping = false
  /** drain() began: running tasks go on, no new one is claimed. */
  #draining = false
  #loop: Promise<void> | undefined
  #lastRecovery = -Infinity
  #wakers = new Set<() => void>()

  constructor(opts: WorkerOptions) {
    this.owner = opts.owner ?? newLeaseOwner()
    this.#pollMs = opts.pollMs ?? 1000
    this.#concurrency = opts.concurrency ?? 2
    this.#shutdownTimeoutMs = opts.shutdownTimeoutMs ?? 10_000
    if (!Number.isInteger(this.#concurrency) || this.#concurrency < 1) throw usageError(`worker concurrency must be a positive integer, got ${this.#concurrency}`)
    this.#deps = {
      db: opts.db,
      registry: opts.registry,
      owner: this.owner,
      leaseMs: opts.leaseMs ?? 30_000,
      heartbeatMs: opts.heartbeatMs ?? 10_000,
      clock: opts.clock ?? systemClock,
      logger: opts.logger ?? silentLogger,
      bus: opts.bus,
      backoff: opts.backoff ?? {},
      progressIntervalMs: opts.progressIntervalMs ?? 1000,
    }
  }

  /** Ids of the tasks this worker is running now. */
  get runningTaskIds(): number[] {
    return [...this.#running.keys()]
  }

  /** Recovers expired leases, then keeps taking tasks in the background until `stop()`. */
  async start(filter: QueueFilter = {}): Promise<void> {
    this.#enter('started')
    await this.#recover(true)
    this.#loop = (async () => {
      while (!this.#stopping) {
        try {
          await this.#recover(false)
          await this.#fill(filter, [])
        } catch (error) {
          // The daemon's worker must outlive a bad moment (a locked database); the next poll tries again.
          this.#deps.logger.error('worker poll failed', { owner: this.owner, error: (error as Error).message })
        }
        await this.#sleep(this.#pollMs)
      }
    })()
  }

  /** Runs tasks until none matching `filter` is runnable (for the CLI); returns what ran and what is left. */
  async runUntilIdle(opts: RunUntilIdleOptions = {}): Promise<IdleReport> {
    this.#enter('draining')
    const run = this.#drain(opts.filter ?? {}, opts.waitForRetriesMs ?? 30_000)
    this.#loop = run.then(
      () => undefined,
      () => undefined,
    )
    return run
  }

  async #drain(filter: QueueFilter, waitForRetriesMs: number): Promise<IdleReport> {
    const queue = systemScope(this.#deps.db).tasks
    const finished: Task[] = []
    try {
      await this.#recover(true, filter)
      while (!this.#stopping) {
        await this.#fill(filter, finished)
        if (this.#running.size > 0) {
          await this.#sleep(this.#pollMs)
          continue
        }
        const pending = await queue.listPending(this.#typed(filter))
        const first = pending[0]
        if (first === undefined) return { finished, pending }
        const wait = Date.parse(first.run_at) - this.#deps.clock.now().getTime()
        if (wait > waitForRetriesMs) return { finished, pending }
        // Due but held back (the user's plan limit is taken by tasks running elsewhere): poll; else sleep to run_at.
        await this.#sleep(wait > 0 ? Math.min(wait, this.#pollMs) : this.#pollMs)
        await this.#recover(false, filter)
      }
      // Stopped from outside: what was handed back is pending again.
      return { finished, pending: await queue.listPending(this.#typed(filter)) }
    } finally {
      if (!this.#stopping) this.#mode = 'idle'
    }
  }

  /**
   * Stops taking tasks and aborts the running ones. A task the user cancelled ends cancelled; any other is handed
   * back to the queue (pending, lease cleared, attempt not counted). `graceful` waits (up to shutdownTimeoutMs)
   * for handlers to finish their cleanup first, so no other worker picks a task up while its files are in use.
   */
  async stop(opts: { graceful?: boolean } = {}): Promise<void> {
    this.#stopping = true
    this.#wake()
    const running = [...this.#running.values()]
    for (const task of running) task.abort('shutdown')
    if (opts.graceful ?? true) {
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#shutdownTimeoutMs)))
      await Promise.race([Promise.allSettled(running.map((t) => t.done)), timeout])
      clearTimeout(timer)
    }
    await Promise.allSettled(running.map((t) => t.handBack()))
    // A handler that ignores its signal may still be running, but its task is no longer ours.
    for (const t of running) this.#running.delete(t.task.id)
    await this.#loop
    this.#mode = 'idle'
    this.#stopping = false
  }

  /**
   * The daemon's graceful stop: claims nothing more, lets the running tasks finish for up to `graceMs`, then stop()s
   * (what still runs is aborted and handed back to the queue, attempt not counted). `now()` on the returned handle
   * ends the grace period early (a second Ctrl-C). Resolves with the ids of the tasks that were handed back.
   */
  drain(graceMs: number): { done: Promise<number[]>; now(): void } {
    this.#draining = true
    let endGrace = () => {}
    const graceOver = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, graceMs)
      endGrace = () => {
        clearTimeout(timer)
        resolve()
      }
    })
    const done = (async () => {
      await Promise.race([Promise.allSettled([...this.#running.values()].map((t) => t.done)), graceOver])
      endGrace()
      const handedBack = this.runningTaskIds
      await this.stop()
      this.#draining = false
      return handedBack
    })()
    return { done, now: () => endGrace() }
  }

  /** Cancels a task this worker is running (in-process, e.g. Ctrl-C in a CLI run). False if it is not running here. */
  cancel(taskId: number): boolean {
    const task = this.#running.get(taskId)
    if (task === undefined) return false
    task.abort('cancel')
    return true
  }

  #enter(mode: 'started' | 'draining'): void {
    if (this.#mode !== 'idle') throw conflict(`worker ${this.owner} is already ${this.#mode === 'started' ? 'started' : 'running'}`)
    this.#mode = mode
    this.#stopping = false
  }

  #typed(filter: QueueFilter): QueueFilter {
    const handled = Object.keys(this.#deps.registry.handlers)
    return { ...filter, types: filter.types === undefined ? handled : filter.types.filter((t) => handled.includes(t)) }
  }

  async #fill(filter: QueueFilter, finished: Task[]): Promise<void> {
    const queue = systemScope(this.#deps.db).tasks
    while (!this.#stopping && !this.#draining && this.#running.size < this.#concurrency) {
      let task: Task | undefined
      try {
        task = await queue.claimNext({ ...this.#typed(filter), owner: this.owner, leaseMs: this.#deps.leaseMs, now: this.#deps.clock.now() })
      } catch (error) {
        this.#deps.logger.warn('could not claim a task', { owner: this.owner, error: (error as Error).message })
        return
      }
      if (task === undefined) return
      if (this.#stopping || this.#draining) {
        // stop() or drain() began while this claim was in flight: give it straight back.
        await queue.release(task.id, this.owner, { now: this.#deps.clock.now() }).catch(() => undefined)
        return
      }
      const running = runTask(this.#deps, task)
      this.#running.set(task.id, running)
      void running.done.then((final) => {
        if (this.#running.get(task.id) === running) this.#running.delete(task.id)
        if (final !== undefined && (final.state === 'succeeded' || final.state === 'failed' || final.state === 'cancelled')) finished.push(final)
        this.#wake()
      })
    }
  }

  /**
   * Returns tasks of dead workers to the queue. Tasks held by a worker process of this host that no longer exists
   * are taken back at once, at start and at every poll (a `recflow run` SIGKILLed beside the daemon is resumed by
   * its worker within a poll, not a lease period later; one query of the running tasks and a signal-0 per owner).
   * Expired leases (another host, a hung process) are released at start, then at most once per lease period.
   */
  async #recover(force: boolean, filter: QueueFilter = {}): Promise<void> {
    const now = this.#deps.clock.now()
    try {
      if (force || now.getTime() - this.#lastRecovery >= this.#deps.leaseMs) {
        this.#lastRecovery = now.getTime()
        const recovered = await systemScope(this.#deps.db).tasks.releaseExpiredLeases(now)
        if (recovered > 0) this.#deps.logger.info('recovered tasks of a worker that stopped responding', { count: recovered })
      }
      await recoverDeadLocalOwners(this.#deps.db, { now, userId: filter.userId, logger: this.#deps.logger })
    } catch (error) {
      this.#deps.logger.warn('could not recover expired leases', { error: (error as Error).message })
    }
  }

  /** Sleeps until `ms` pass or something changes (a task ended, stop() was called). */
  #sleep(ms: number): Promise<void> {
    if (this.#stopping) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.#wakers.delete(done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.#wakers.add(done)
    })
  }

  #wake(): void {
    for (const waker of [...this.#wakers]) waker()
  }
}
