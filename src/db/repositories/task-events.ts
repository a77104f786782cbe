import { RecflowError } from '../../domain/errors.js'
import { assertOwned } from '../assert-owned.js'
import { codec, toJsonText, type Decoded } from '../codec.js'
import type { RawRow } from '../schema.js'
import type { Executor } from '../transaction.js'
import { isId, toIso } from '../values.js'

/** A progress or lifecycle event of a task (streamed to the TUI and SSE, replayable by id). */
export type TaskEvent = Decoded<RawRow<'task_events'>, 'data'>

export interface NewTaskEvent {
  kind: string
  progress?: number | null
  stage?: string | null
  message?: string | null
  data?: unknown
  at?: string | Date
}

const eventCodec = codec<TaskEvent>({ writable: [], json: ['data'] })
const MAX_EVENTS = 1000

export function taskEventRepository(executor: Executor, userId: number) {
  return {
    async append(taskId: number, event: NewTaskEvent): Promise<TaskEvent> {
      await assertOwned(executor, userId, 'tasks', [taskId])
      const raw = await executor
        .insertInto('task_events')
        .values({
          user_id: userId,
          task_id: taskId,
          at: toIso(event.at ?? new Date(), 'at'),
          kind: event.kind,
          progress: event.progress ?? null,
          stage: event.stage ?? null,
          message: event.message ?? null,
          data: event.data === undefined ? null : toJsonText('data', event.data),
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      return eventCodec.decode(raw)
    },

    /** Events in order; `afterId` resumes a stream (SSE Last-Event-ID). */
    async list(taskId: number, opts: { afterId?: number; limit?: number } = {}): Promise<TaskEvent[]> {
      const limit = opts.limit ?? MAX_EVENTS
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS) {
        throw new RecflowError('usage', `limit must be an integer from 1 to ${MAX_EVENTS}, got ${limit}`)
      }
      if (!isId(taskId)) return []
      let query = executor
        .selectFrom('task_events')
        .selectAll()
        .where('user_id', '=', userId)
        .where('task_id', '=', taskId)
      if (opts.afterId !== undefined) query = query.where('id', '>', opts.afterId)
      const rows = await query.orderBy('id', 'asc').limit(limit).execute()
      return rows.map((r) => eventCodec.decode(r))
    },

    /** The newest `limit` events, oldest first (what `tasks show` prints, however long the history is). */
    async latest(taskId: number, limit: number): Promise<TaskEvent[]> {
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS) {
        throw new RecflowError('usage', `limit must be an integer from 1 to ${MAX_EVENTS}, got ${limit}`)
      }
      if (!isId(taskId)) return []
      const rows = await executor
        .selectFrom('task_events')
        .selectAll()
        .where('user_id', '=', userId)
        .where('task_id', '=', taskId)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute()
      return rows.reverse().map((r) => eventCodec.decode(r))
    },
  }
}
