import { setTimeout as sleep } from 'node:timers/promises'
import { FINISHED_TASK_STATES, TASK_STATES, type Page, type Task, type TaskEvent, type TaskState } from '../db/index.js'
import { conflict, notFound, RecflowError, usageError } from '../domain/errors.js'
import type { ServiceDeps, UserRef } from './context.js'
import type { ListOptions } from './paging.js'

import { taskFailure } from '../jobs/task-error.js'

/** The error a failed or cancelled task ended with, for whoever waited on it (its code picks the exit code). */
export { taskFailure }

export interface TaskQuery extends ListOptions {
  state?: string[]
  type?: string
  recordingId?: number
}

export interface TaskDetails {
  task: Task
  /** The latest events, oldest first. */
  events: TaskEvent[]
}

export interface CancelResult {
  task: Task
  /** `cancelled`: it had not started; `cancel_requested`: its worker stops it at the next heartbeat. */
  outcome: 'cancelled' | 'cancel_requested'
}

export interface TaskWatchUpdate {
  task: Task
  /** Events appended since the previous update (all of them on the first). */
  events: TaskEvent[]
}

export interface WatchOptions {
  signal?: AbortSignal
  onUpdate?: (update: TaskWatchUpdate) => void
  /** Default 500 ms. */
  intervalMs?: number
}

const RECENT_EVENTS = 50
const isFinished = (state: TaskState) => (FINISHED_TASK_STATES as readonly TaskState[]).includes(state)
const listHint = 'run `recflow tasks list` to see your tasks'

function toStates(states: string[] | undefined): TaskState[] | undefined {
  if (states === undefined || states.length === 0) return undefined
  const unknown = states.filter((s) => !(TASK_STATES as readonly string[]).includes(s))
  if (unknown.length > 0) throw usageError(`unknown task state ${unknown.join(', ')}`, `use one of ${TASK_STATES.join(', ')}`)
  return states as TaskState[]
}

/** The user's view of the durable queue: list, inspect, cancel and follow tasks (the worker runs them). */
export function tasksService({ scopes, queue, clock, logger }: ServiceDeps) {
  const scope = (user: UserRef) => scopes.forUser(user.id)
  // A run killed with SIGKILL (or a crash) leaves its tasks "running"; what this process reads or changes must
  // not wait for their leases to expire (a cancel that never ends, a watch that hangs).
  const recover = (user: UserRef) => queue.recoverDeadLocalOwners({ now: clock.now(), userId: user.id, logger })

  const getTask = async (user: UserRef, id: number): Promise<Task> => {
    await recover(user)
    const task = await scope(user).tasks.get(id)
    if (!task) throw notFound('task', id, listHint)
    return task
  }

  return {
    /** The error a failed or cancelled task ended with (its code picks the exit code). */
    failure: taskFailure,
    /** Newest first. */
    async list(user: UserRef, query: TaskQuery = {}): Promise<Page<Task>> {
      const state = toStates(query.state)
      await recover(user)
      return scope(user).tasks.list({ state, type: query.type, recording_id: query.recordingId }, query)
    },

    async get(user: UserRef, id: number): Promise<TaskDetails> {
      const task = await getTask(user, id)
      const events = await scope(user).taskEvents.latest(id, RECENT_EVENTS)
      return { task, events }
    },

    /** A pending task is cancelled at once; a running one is asked to stop; a finished one is a conflict. */
    async cancel(user: UserRef, id: number): Promise<CancelResult> {
      const before = await getTask(user, id)
      const alreadyFinished = () =>
        conflict(`task ${id} already finished (${before.state})`, `run \`recflow tasks show ${id}\` to see how it ended`)
      if (isFinished(before.state)) throw alreadyFinished()
      const task = await scope(user).tasks.requestCancel(id)
      if (!task) throw notFound('task', id, listHint)
      if (task.state === 'cancelled') return { task, outcome: 'cancelled' }
      if (task.state === 'running') return { task, outcome: 'cancel_requested' }
      // It finished between the read and the request.
      throw conflict(`task ${id} already finished (${task.state})`, `run \`recflow tasks show ${id}\` to see how it ended`)
    },

    /** Polls the task and its events until it finishes; returns the final row (succeeded, failed or cancelled). */
    async watch(user: UserRef, id: number, opts: WatchOptions = {}): Promise<Task> {
      const intervalMs = opts.intervalMs ?? 500
      let lastUpdated: string | undefined
      let afterId: number | undefined
      for (;;) {
        const task = await getTask(user, id)
        const events = await scope(user).taskEvents.list(id, afterId === undefined ? {} : { afterId })
        const last = events[events.length - 1]
        if (last !== undefined) afterId = last.id
        if (task.updated_at !== lastUpdated || events.length > 0) opts.onUpdate?.({ task, events })
        lastUpdated = task.updated_at
        if (isFinished(task.state)) return task
        try {
          await sleep(intervalMs, undefined, { signal: opts.signal })
        } catch {
          throw new RecflowError('cancelled', `stopped watching task ${id}; it goes on`, {
            hint: `run \`recflow tasks watch ${id}\` to follow it again`,
          })
        }
      }
    },
  }
}

export type TasksService = ReturnType<typeof tasksService>
