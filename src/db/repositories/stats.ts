import type { Executor } from '../transaction.js'

export interface AdminCounts {
  users: number
  activeUsers: number
  recordings: number
  recordingsByStatus: Record<string, number>
  tasksByState: Record<string, number>
  storageBytes: number
}

/** Cross-tenant totals for the admin dashboard and /metrics. */
export function statsRepository(executor: Executor) {
  return {
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
