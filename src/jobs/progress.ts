import { performance } from 'node:perf_hooks'
import { forUser, type Executor, type NewTaskEvent } from '../db/index.js'
import { systemClock, type Clock } from '../platform/clock.js'
import { silentLogger, type Logger } from '../platform/logger.js'
import type { RecflowEvent } from '../domain/events.js'
import type { ProgressBus } from './progress-bus.js'

/** A handler's report of its task's overall progress; absent fields keep their value, null clears. */
export interface ProgressUpdate {
  /** 0-100; clamped. */
  percent?: number
  stage?: string | null
  message?: string | null
}

export interface TaskProgressOptions {
  db: Executor
  userId: number
  taskId: number
  bus?: ProgressBus
  /** Timestamps of task_events. */
  clock?: Clock
  logger?: Logger
  /** Minimum time between two progress writes; default 1 s. */
  intervalMs?: number
  /** The row's current values, so a resumed task does not start from 0 in the view. */
  initial?: { progress: number; stage: string | null; message: string | null }
}

export const clampPercent = (value: number): number => Math.min(100, Math.max(0, Number.isFinite(value) ? value : 0))

// Service events kept in the task's history; progress ticks and per-recording rows are only streamed.
const PERSISTED_EVENTS = new Set<RecflowEvent['type']>(['stage-started', 'stage-finished', 'stage-failed', 'stage-cancelled', 'sync'])

/**
 * Progress of one running task. Every report reaches the bus at once; the database sees the latest value at most
 * once per `intervalMs` (a leading write, then one trailing write per interval while reports keep coming) and
 * always the last one on `flush()`. Stage changes and notable events are appended to task_events. Writes run one
 * at a time, in order, off the handler's path; a failed write is logged, never thrown into the handler.
 */
export class TaskProgressRecorder {
  readonly #opts: TaskProgressOptions
  readonly #intervalMs: number
  readonly #logger: Logger
  readonly #clock: Clock
  #current: { progress: number; stage: string | null; message: string | null }
  #dirty = false
  #lastWriteAt: number | undefined
  #timer: NodeJS.Timeout | undefined
  #writes: Promise<void> = Promise.resolve()
  #closed = false

  constructor(opts: TaskProgressOptions) {
    this.#opts = opts
    this.#intervalMs = opts.intervalMs ?? 1000
    this.#logger = opts.logger ?? silentLogger
    this.#clock = opts.clock ?? systemClock
    this.#current = { ...(opts.initial ?? { progress: 0, stage: null, message: null }) }
  }

  /** Bound, so it can be handed to a handler as is. */
  readonly report = (update: ProgressUpdate): void => {
    if (this.#closed) return
    const next = {
      progress: update.percent === undefined ? this.#current.progress : clampPercent(update.percent),
      stage: update.stage === undefined ? this.#current.stage : update.stage,
      message: update.message === undefined ? this.#current.message : update.message,
    }
    if (next.stage !== this.#current.stage && next.stage !== null) {
      this.#append({ kind: 'stage', stage: next.stage, progress: next.progress, message: next.message })
    }
    this.#update(next)
  }

  /** Bound; the EventSink handed to services. */
  readonly onEvent = (event: RecflowEvent): void => {
    if (this.#closed) return
    const { taskId, userId, bus } = this.#opts
    bus?.publish({ kind: 'event', taskId, userId, event })
    if (PERSISTED_EVENTS.has(event.type) || (event.type === 'log' && event.level === 'warn')) {
      this.#append(eventRecord(event))
    }
    if (event.type === 'stage-started' || event.type === 'progress') {
      const stage = event.target === undefined ? event.stage : `${event.stage} ${event.target}`
      const message = event.type === 'progress' ? (event.message ?? this.#current.message) : null
      if (stage !== this.#current.stage || message !== this.#current.message) this.#update({ ...this.#current, stage, message })
    }
  }

  /** Persists the last value now and waits for every write; later reports are ignored. */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    this.#writeProgress()
    this.#closed = true
    await this.#writes
  }

  #update(next: { progress: number; stage: string | null; message: string | null }): void {
    const { taskId, userId, bus } = this.#opts
    this.#current = next
    this.#dirty = true
    bus?.publish({ kind: 'progress', taskId, userId, ...next })
    this.#schedule()
  }

  #schedule(): void {
    if (this.#timer !== undefined) return
    const wait = this.#lastWriteAt === undefined ? 0 : this.#lastWriteAt + this.#intervalMs - performance.now()
    if (wait <= 0) {
      this.#writeProgress()
      return
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.#writeProgress()
    }, wait)
  }

  #writeProgress(): void {
    if (!this.#dirty) return
    this.#dirty = false
    this.#lastWriteAt = performance.now()
    const { progress, stage, message } = this.#current
    this.#enqueue('progress', (scope) => scope.tasks.reportProgress(this.#opts.taskId, { progress, stage, message }))
  }

  #append(event: NewTaskEvent): void {
    const at = this.#clock.now()
    this.#enqueue('event', (scope) => scope.taskEvents.append(this.#opts.taskId, { ...event, at }))
  }

  #enqueue(what: string, write: (scope: ReturnType<typeof forUser>) => Promise<unknown>): void {
    const scope = forUser(this.#opts.db, this.#opts.userId)
    this.#writes = this.#writes
      .then(() => write(scope))
      .then(
        () => undefined,
        (error: unknown) => {
          this.#logger.warn(`could not save task ${what}`, { taskId: this.#opts.taskId, error: (error as Error).message })
        },
      )
  }
}

function eventRecord(event: RecflowEvent): NewTaskEvent {
  switch (event.type) {
    case 'stage-started':
    case 'stage-finished':
    case 'stage-failed':
    case 'stage-cancelled':
      return { kind: event.type, stage: event.stage, message: 'message' in event ? (event.message ?? null) : null, data: event }
    case 'sync':
      return {
        kind: 'sync',
        message: `${event.sourceName}: ${event.found} found, ${event.created} new, ${event.changed} changed, ${event.vanished} gone`,
        data: event,
      }
    default:
      return { kind: event.type, message: 'message' in event ? event.message : null, data: event }
  }
}
