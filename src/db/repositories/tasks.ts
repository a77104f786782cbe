import { RecflowError } from '../../domain/errors.js'
import { assertOwned } from '../assert-owned.js'
import { codec, type Decoded } from '../codec.js'
import { guardWrite } from '../constraint-errors.js'
import type { PageRequest } from '../cursor.js'
import { ownedTable } from '../owned-table.js'
import type { RawRow, TaskState } from '../schema.js'
import type { Executor } from '../transaction.js'
import { isId, nowIso, toIso } from '../values.js'

/** A durable queue entry. `payload` is untrusted until the handler parses it. */
export type Task = Decoded<RawRow<'tasks'>, 'payload' | 'result' | 'error', 'cancel_requested'>

export interface NewTask {
  type: string
  payload?: unknown
  /**
   * At most one unfinished task per user and key: enqueueing again returns the existing task. The queue clears
   * the key when the task finishes, so the same key can be used again afterwards.
   */
  dedupe_key?: string | null
  /** Higher runs first. */
  priority?: number
  max_attempts?: number
  /** Not before this time; default now. */
  run_at?: string | Date
  recording_id?: number | null
}

export interface TaskFilters {
  state?: TaskState | readonly TaskState[]
  type?: string
  recording_id?: number
}

export interface TaskProgress {
  /** 0-100, clamped. */
  progress?: number
  stage?: string | null
  message?: string | null
}

export const taskCodec = codec<Task>({
  writable: ['type', 'payload', 'dedupe_key', 'priority', 'max_attempts', 'run_at', 'recording_id'],
  json: ['payload', 'result', 'error'],
  flags: ['cancel_requested'],
  times: ['run_at'],
})

export const clampProgress = (value: number): number => Math.min(100, Math.max(0, Number.isFinite(value) ? value : 0))

export function taskRepository(executor: Executor, userId: number) {
  const table = ownedTable(executor, userId, 'tasks', taskCodec, 'task')

  const updateWhere = async (id: number, states: readonly TaskState[], values: Record<string, unknown>) => {
    if (!isId(id)) return undefined
    const raw = await executor
      .updateTable('tasks')
      .set({ ...values, updated_at: nowIso() })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('state', 'in', states)
      .returningAll()
      .executeTakeFirst()
    return raw === undefined ? undefined : taskCodec.decode(raw)
  }

  return {
    get: table.get,

    /** Newest first. */
    list: (filters: TaskFilters = {}, page?: PageRequest) =>
      table.pageById(page, 'desc', (qb) => {
        let q = qb
        if (filters.state !== undefined) {
          q = q.where('state', 'in', typeof filters.state === 'string' ? [filters.state] : [...filters.state])
        }
        if (filters.type !== undefined) q = q.where('type', '=', filters.type)
        if (filters.recording_id !== undefined) q = q.where('recording_id', '=', filters.recording_id)
        return q
      }),

    /** Enqueues a task, or returns the unfinished task holding the same dedupe key. */
    async create(input: NewTask): Promise<{ task: Task; created: boolean }> {
      if (input.recording_id != null) await assertOwned(executor, userId, 'recordings', [input.recording_id])
      const now = nowIso()
      const inserted = await guardWrite('task', () =>
        executor
          .insertInto('tasks')
          .values({
            payload: '{}',
            ...(taskCodec.encode(input) as { type: string }),
            run_at: input.run_at === undefined ? now : toIso(input.run_at, 'run_at'),
            user_id: userId,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
          .returningAll()
          .executeTakeFirst(),
      )
      if (inserted !== undefined) return { task: taskCodec.decode(inserted), created: true }
      const existing = await executor
        .selectFrom('tasks')
        .selectAll()
        .where('user_id', '=', userId)
        .where('dedupe_key', '=', input.dedupe_key ?? '')
        .executeTakeFirstOrThrow()
      return { task: taskCodec.decode(existing), created: false }
    },

    /** The worker's progress report; only a running task accepts it. */
    reportProgress: (id: number, report: TaskProgress) =>
      updateWhere(id, ['running'], {
        ...(report.progress !== undefined && { progress: clampProgress(report.progress) }),
        ...(report.stage !== undefined && { stage: report.stage }),
        ...(report.message !== undefined && { message: report.message }),
      }),

    /**
     * Cancels a pending task at once; asks a running one to stop (the worker sees `cancel_requested` on its next
     * heartbeat and aborts). A finished task is returned unchanged.
     */
    async requestCancel(id: number): Promise<Task | undefined> {
      const now = nowIso()
      const cancelled = await updateWhere(id, ['pending'], { state: 'cancelled', finished_at: now, dedupe_key: null })
      if (cancelled !== undefined) return cancelled
      const flagged = await updateWhere(id, ['running'], { cancel_requested: 1 })
      return flagged ?? table.get(id)
    },

    /** Running tasks, for the plan's max_concurrent_tasks. */
    async countRunning(): Promise<number> {
      const row = await executor
        .selectFrom('tasks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .where('state', '=', 'running')
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },

    /** Deletes a task that is not running (and its events). */
    async remove(id: number): Promise<boolean> {
      const task = await table.get(id)
      if (task === undefined) return false
      if (task.state === 'running') {
        throw new RecflowError('conflict', `task ${id} is running`, { hint: 'cancel it first, then remove it' })
      }
      return table.remove(id)
    },
  }
}
