import type { TaskState } from '../db/index.js'
import type { RecflowEvent } from '../domain/events.js'
import type { Logger } from '../platform/logger.js'
import type { StoredTaskError } from './task-error.js'

/** Everything that happens to a running task, as in-process listeners (the Ink view, SSE) see it. */
export type TaskUpdate =
  /** The task's overall progress (every report, unthrottled: listeners are in memory). */
  | { kind: 'progress'; taskId: number; userId: number; progress: number; stage: string | null; message: string | null }
  /** A service event from the handler, unchanged. */
  | { kind: 'event'; taskId: number; userId: number; event: RecflowEvent }
  /** A lifecycle change: running (attempt n), pending again (retry at runAt, or handed back), finished. */
  | { kind: 'state'; taskId: number; userId: number; state: TaskState; attempt: number; runAt?: string; error?: StoredTaskError }

export type TaskUpdateListener = (update: TaskUpdate) => void

export interface TaskUpdateFilter {
  taskId?: number
  userId?: number
}

/**
 * Fans task updates out to in-process listeners. One instance per app (built by whoever builds the worker), never
 * a module singleton. A throwing listener is logged and skipped; it never breaks the task or other listeners.
 */
export class ProgressBus {
  readonly #listeners = new Map<TaskUpdateListener, TaskUpdateFilter>()
  readonly #logger: Logger

  /** The logger is required: a listener's failure is logged (a view that stopped updating says why), never swallowed. */
  constructor(opts: { logger: Logger }) {
    this.#logger = opts.logger
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: TaskUpdateListener, filter: TaskUpdateFilter = {}): () => void {
    this.#listeners.set(listener, filter)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  publish(update: TaskUpdate): void {
    for (const [listener, filter] of this.#listeners) {
      if (filter.taskId !== undefined && filter.taskId !== update.taskId) continue
      if (filter.userId !== undefined && filter.userId !== update.userId) continue
      try {
        listener(update)
      } catch (error) {
        this.#logger.warn('a progress listener failed and was skipped', {
          taskId: update.taskId,
          error: error instanceof Error ? error.message : String(error),
        })
      }
    }
  }

  get listenerCount(): number {
    return this.#listeners.size
  }
}
