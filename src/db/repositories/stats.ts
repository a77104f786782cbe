import type { Executor } from '../transaction.js'

export interface AdminCounts {
  users: number
  activeUsers: number
  recordings: number
  recordingsByStatus: Record<string, number>
  tasksByState: Record<string, number>
  storageBytes: number
}

export interface QueueCounts {
  tasksByState: Record<string, number>
  /** Seconds the oldest runnable pending task has waited (0 when none waits). */
  oldestPendingWaitS: number
  /** Mean seconds between creation and start, over tasks started since `since`; undefined when none started. */
  meanQueueWaitS: number | undefined
}

/** Cross-tenant totals for the admin dashboard and /metrics. */
export function statsRepository(executor: Executor) {
  return {
    /** What /metrics and /health read about the queue: two small aggregate queries on the tasks indexes. */
    async queue(now: Date, since: Date): Promise<QueueCounts> {
      const byState = await executor.selectFrom('tasks').select((eb) => ['state', eb.fn.countAll<number>().as('n')]).groupBy('state').execute()
      const oldest = await executor
        .selectFrom('tasks')
        .select((eb) => eb.fn.min('run_at').as('at'))
        .where('state', '=', 'pending')
        .where('run_at', '<=', now.toISOString())
        .executeTakeFirst()
      const started = await executor
        .selectFrom('tasks')
        .select(['created_at', 'started_at'])
        .where('started_at', '>=', since.toISOString())
        .limit(1000)
        .execute()
      const waits = started.map((t) => (Date.parse(t.started_at ?? '') - Date.parse(t.created_at)) / 1000).filter((w) => Number.isFinite(w) && w >= 0)
      const at = oldest?.at ? Date.parse(String(oldest.at)) : NaN
      return {
        tasksByState: Object.fromEntries(byState.map((row) => [row.state, Number(row.n)])),
        oldestPendingWaitS: Number.isFinite(at) ? Math.max(0, (now.getTime() - at) / 1000) : 0,
        meanQueueWaitS: waits.length === 0 ? undefined : waits.reduce((a, b) => a + b, 0) / waits.length,
      }
    },
    async counts(): Promise<AdminCounts> {
      const users = await executor
        .selectFrom('users')
        .select((eb) => [
          eb.fn.countAll<number>().as('n'),
          eb.fn.sum<number>(eb.case().when('is_active', '=', 1).then(1).else(0).end()).as('active'),
        ])
        .executeTakeFirstOrThrow()
      const byStatus = await executor
        .selectFrom('recordings')
        .select((eb) => ['status', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('size_bytes').as('bytes')])
        .where('deleted_at', 'is', null)
        .groupBy('status')
        .execute()
      const byState = await executor
        .selectFrom('tasks')
        .select((eb) => ['state', eb.fn.countAll<number>().as('n')])
        .groupBy('state')
        .execute()
      return {
        users: Number(users.n),
        activeUsers: Number(users.active ?? 0),
        recordings: byStatus.reduce((sum, row) => sum + Number(row.n), 0),
        recordingsByStatus: Object.fromEntries(byStatus.map((row) => [row.status, Number(row.n)])),
        tasksByState: Object.fromEntries(byState.map((row) => [row.state, Number(row.n)])),
        storageBytes: byStatus.reduce((sum, row) => sum + Number(row.bytes ?? 0), 0),
      }
    },
  }
}
