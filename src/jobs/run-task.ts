import path from 'node:path'
import { forUser, systemScope, type Executor, type FinishedState, type NewTaskEvent, type Task, type TaskState } from '../db/index.js'
import { RecflowError } from '../domain/errors.js'
import { formatZodError } from '../domain/resources/index.js'
import { runWithChildTracker, type ChildTracker } from '../platform/child-processes.js'
import type { Clock } from '../platform/clock.js'
import type { Logger } from '../platform/logger.js'
import type { ProgressBus } from './progress-bus.js'
import { TaskProgressRecorder } from './progress.js'
import { decideAfterFailure, type BackoffOptions } from './retry-policy.js'
import { toStoredError, type StoredTaskError } from './task-error.js'
import { CHILD_EXITED, CHILD_RECORD_AFTER_MS, CHILD_STARTED } from './lease-owner.js'
import type { TaskRegistry } from './task-types.js'

export interface TaskRunDeps {
  db: Executor
  registry: TaskRegistry
  owner: string
  leaseMs: number
  heartbeatMs: number
  clock: Clock
  logger: Logger
  bus: ProgressBus | undefined
  backoff: BackoffOptions
  progressIntervalMs: number
}

/** Why a handler's signal was aborted. A later, stronger reason replaces a weaker one. */
export type StopReason = 'shutdown' | 'cancel' | 'lease-lost'
const STRENGTH: Record<StopReason, number> = { shutdown: 1, cancel: 2, 'lease-lost': 3 }
const STOP_MESSAGES: Record<StopReason, string> = {
  shutdown: 'the worker is shutting down',
  cancel: 'cancelled by the user',
  'lease-lost': 'the worker lost its lease on the task',
}

export interface RunningTask {
  readonly task: Task
  /** The task's final row once this attempt is recorded; undefined when it was handed back or could not be written. */
  readonly done: Promise<Task | undefined>
  abort(reason: StopReason): void
  /** For a stopping worker: returns the task to the queue unless its handler already finished (then waits for that). */
  handBack(): Promise<void>
}

type Outcome = { ok: true; result: unknown } | { ok: false; error: unknown }

/** Runs one claimed task to the end of this attempt: handler, heartbeats, progress, and the resulting state. */
export function runTask(deps: TaskRunDeps, task: Task): RunningTask {
  const { db, owner, clock, logger, bus } = deps
  const queue = systemScope(db).tasks
  const scope = forUser(db, task.user_id)
  const controller = new AbortController()
  let stopReason: StopReason | undefined
  let handlerSettled = false
  let handedBack = false

  const abort = (reason: StopReason) => {
    if (stopReason !== undefined && STRENGTH[stopReason] >= STRENGTH[reason]) return
    stopReason = reason
    if (!controller.signal.aborted) controller.abort(new RecflowError('cancelled', `task ${task.id}: ${STOP_MESSAGES[reason]}`))
  }

  const publishState = (state: TaskState, extra: { runAt?: string; error?: StoredTaskError } = {}) =>
    bus?.publish({ kind: 'state', taskId: task.id, userId: task.user_id, state, attempt: task.attempts, ...extra })

  const appendEvent = async (event: NewTaskEvent) => {
    try {
      await scope.taskEvents.append(task.id, { ...event, at: clock.now() })
    } catch (error) {
      logger.warn('could not save a task event', { taskId: task.id, kind: event.kind, error: (error as Error).message })
    }
  }

  // Children that run for more than a moment (ffmpeg, not a quick ffprobe) are recorded with the task, so if this
  // process is SIGKILLed, whoever takes the task back can kill them (lease-owner.ts).
  const recordedChildren = new Map<number, NodeJS.Timeout | 'recorded'>()
  const childTracker: ChildTracker = {
    spawned(pid, command) {
      const timer = setTimeout(() => {
        recordedChildren.set(pid, 'recorded')
        void appendEvent({ kind: CHILD_STARTED, message: `${path.basename(command)} runs as pid ${pid}`, data: { pid, command, owner } })
      }, CHILD_RECORD_AFTER_MS)
      timer.unref()
      recordedChildren.set(pid, timer)
    },
    exited(pid) {
      const entry = recordedChildren.get(pid)
      recordedChildren.delete(pid)
      if (entry === 'recorded') void appendEvent({ kind: CHILD_EXITED, message: null, data: { pid } })
      else if (entry !== undefined) clearTimeout(entry)
    },
  }

  const heartbeat = startHeartbeat(deps, task, abort)
  const recorder = new TaskProgressRecorder({
    db,
    userId: task.user_id,
    taskId: task.id,
    bus,
    clock,
    logger,
    intervalMs: deps.progressIntervalMs,
    initial: { progress: task.progress, stage: task.stage, message: task.message },
  })

  const invoke = async (): Promise<unknown> => {
    if (task.cancel_requested) {
      abort('cancel')
      throw controller.signal.reason
    }
    const handler = Object.hasOwn(deps.registry.handlers, task.type) ? deps.registry.handlers[task.type] : undefined
    const schema = Object.hasOwn(deps.registry.schemas, task.type) ? deps.registry.schemas[task.type] : undefined
    if (handler === undefined || schema === undefined) throw new RecflowError('internal', `no handler for task type "${task.type}"`)
    const parsed = schema.safeParse(task.payload, { reportInput: true })
    if (!parsed.success) {
      throw new RecflowError('validation', `invalid ${task.type} task payload: ${formatZodError(parsed.error, 'payload')}`)
    }
    return runWithChildTracker(childTracker, () => handler({
      userId: task.user_id,
      taskId: task.id,
      attempt: task.attempts,
      maxAttempts: task.max_attempts,
      payload: parsed.data,
      signal: controller.signal,
      onEvent: recorder.onEvent,
      reportProgress: recorder.report,
    }))
  }

  const finish = async (state: FinishedState, values: { result?: unknown; error?: StoredTaskError }): Promise<Task | undefined> => {
    let row: Task | undefined
    try {
      row = await queue.finish(task.id, owner, { state, ...values, now: clock.now() })
    } catch (error) {
      // A result that cannot be stored (not JSON) must not leave the task running until its lease expires.
      if (state !== 'succeeded') throw error
      const stored = toStoredError(new RecflowError('internal', `the task's result could not be saved: ${(error as Error).message}`))
      return finish('failed', { error: stored })
    }
    if (row === undefined) {
      logger.warn('task was taken from this worker before it could be recorded', { taskId: task.id, state })
      return undefined
    }
    await appendEvent({ kind: state, message: values.error?.message ?? null, progress: row.progress })
    publishState(state, values.error === undefined ? {} : { error: values.error })
    return row
  }

  const release = async (): Promise<undefined> => {
    if ((await queue.release(task.id, owner, { now: clock.now() })) === undefined) return undefined
    await appendEvent({ kind: 'released', message: STOP_MESSAGES.shutdown })
    publishState('pending')
    return undefined
  }

  const settle = async (outcome: Outcome): Promise<Task | undefined> => {
    if (stopReason === 'lease-lost') {
      logger.warn('task lease lost; another worker may run it', { taskId: task.id })
      return undefined
    }
    if (outcome.ok) return finish('succeeded', { result: outcome.result ?? null })
    if (stopReason === 'cancel') return finish('cancelled', { error: { code: 'cancelled', message: STOP_MESSAGES.cancel } })
    if (stopReason === 'shutdown') return release()
    const decision = decideAfterFailure(outcome.error, { attempts: task.attempts, maxAttempts: task.max_attempts }, deps.backoff)
    if (decision.action === 'cancel') return finish('cancelled', { error: toStoredError(outcome.error) })
    if (decision.action === 'fail') return finish('failed', { error: toStoredError(outcome.error, decision.transient) })
    const now = clock.now()
    const runAt = new Date(now.getTime() + decision.delayMs).toISOString()
    const error = toStoredError(outcome.error, true)
    const row = await queue.retryLater(task.id, owner, { runAt, error, now })
    if (row === undefined) return undefined
    await appendEvent({ kind: 'retry', message: `attempt ${task.attempts} failed: ${error.message}; next attempt at ${runAt}`, data: { runAt, error } })
    publishState('pending', { runAt, error })
    return row
  }

  const done = (async (): Promise<Task | undefined> => {
    let outcome: Outcome | undefined
    try {
      publishState('running')
      await appendEvent({ kind: 'started', message: `attempt ${task.attempts} of ${task.max_attempts}`, data: { owner } })
      try {
        outcome = { ok: true, result: await invoke() }
      } catch (error) {
        outcome = { ok: false, error }
      }
      handlerSettled = true
      heartbeat.stop()
      await recorder.flush()
      return handedBack ? undefined : await settle(outcome)
    } catch (error) {
      // The attempt's own failure goes with it: the write's error alone would hide why the task failed.
      logger.error('could not record the end of a task attempt; its lease will expire and it will run again', {
        taskId: task.id,
        error: (error as Error).message,
        ...(outcome !== undefined && !outcome.ok ? { taskError: outcome.error instanceof Error ? outcome.error.message : String(outcome.error) } : {}),
      })
      return undefined
    } finally {
      heartbeat.stop()
    }
  })()

  return {
    task,
    done,
    abort,
    async handBack() {
      if (handlerSettled) {
        await done
        return
      }
      handedBack = true
      heartbeat.stop()
      try {
        await release()
      } catch (error) {
        logger.warn('could not hand a task back; its lease will expire instead', { taskId: task.id, error: (error as Error).message })
      }
    },
  }
}

/** Extends the lease while the handler runs, and turns a cancel request from another process into an abort. */
function startHeartbeat(deps: TaskRunDeps, task: Task, abort: (reason: StopReason) => void): { stop(): void } {
  const queue = systemScope(deps.db).tasks
  let busy = false
  const timer = setInterval(() => {
    if (busy) return
    busy = true
    queue
      .heartbeat(task.id, deps.owner, { leaseMs: deps.leaseMs, now: deps.clock.now() })
      .then((row) => {
        if (row === undefined) abort('lease-lost')
        else if (row.cancel_requested) abort('cancel')
      })
      .catch((error: unknown) => deps.logger.warn('task heartbeat failed', { taskId: task.id, error: (error as Error).message }))
      .finally(() => {
        busy = false
      })
  }, deps.heartbeatMs)
  return { stop: () => clearInterval(timer) }
}
