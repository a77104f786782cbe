import { RecflowError } from '../../domain/errors.js'
import { assertOwned } from '../assert-owned.js'
import { codec, type Decoded } from '../codec.js'
import type { PageRequest } from '../cursor.js'
import { ownedTable } from '../owned-table.js'
import type { RawRow } from '../schema.js'
import type { Executor } from '../transaction.js'
import { nowIso, toBytes } from '../values.js'

export type QuotaUsage = RawRow<'quota_usage'>
export type QuotaChange = Decoded<RawRow<'quota_change_history'>, 'old_value' | 'new_value'>

/** Signed increments; negative values give back (e.g. storage freed). */
export interface UsageDelta {
  recordings?: number
  storage_bytes?: number
  overage_recordings?: number
  overage_cost_cents?: number
}

export interface NewQuotaChange {
  /** The admin (or the user) who made the change. */
  changed_by?: number | null
  change_type: string
  old_value?: unknown
  new_value?: unknown
  notes?: string | null
}

const usageCodec = codec<QuotaUsage>({ writable: [], bytes: ['storage_bytes'] })
const changeCodec = codec<QuotaChange>({
  writable: ['changed_by', 'change_type', 'old_value', 'new_value', 'notes'],
  json: ['old_value', 'new_value'],
})

const PERIOD = /^\d{4}(0[1-9]|1[0-2])$/

function checkPeriod(period: string): string {
  if (!PERIOD.test(period)) throw new RecflowError('validation', `quota period must be YYYYMM, got "${period}"`)
  return period
}

function checkDelta(name: string, value: number | undefined): number {
  if (value === undefined) return 0
  if (!Number.isSafeInteger(value)) throw new RecflowError('validation', `${name} must be an integer, got ${value}`)
  return value
}

export function quotaRepository(executor: Executor, userId: number) {
  const usage = ownedTable(executor, userId, 'quota_usage', usageCodec, 'quota usage')
  const changes = ownedTable(executor, userId, 'quota_change_history', changeCodec, 'quota change')

  return {
    async getUsage(period: string): Promise<QuotaUsage | undefined> {
      const raw = await executor
        .selectFrom('quota_usage')
        .selectAll()
        .where('user_id', '=', userId)
        .where('period', '=', checkPeriod(period))
        .executeTakeFirst()
      return raw === undefined ? undefined : usageCodec.decode(raw)
    },

    listUsage: (page?: PageRequest) => usage.pageById(page, 'desc'),

    /**
     * Adds to the period's counters in one statement (insert or increment), so concurrent consumers never lose an
     * update. Quota checks belong in the same `scope.transaction` as this call.
     */
    async addUsage(period: string, delta: UsageDelta): Promise<QuotaUsage> {
      const now = nowIso()
      const storage = checkDelta('storage_bytes', delta.storage_bytes)
      toBytes(Math.abs(storage), 'storage_bytes')
      const row = {
        recordings_count: checkDelta('recordings', delta.recordings),
        storage_bytes: storage,
        overage_recordings: checkDelta('overage_recordings', delta.overage_recordings),
        overage_cost_cents: checkDelta('overage_cost_cents', delta.overage_cost_cents),
      }
      const raw = await executor
        .insertInto('quota_usage')
        .values({ ...row, user_id: userId, period: checkPeriod(period), created_at: now, updated_at: now })
        .onConflict((oc) =>
          oc.columns(['user_id', 'period']).doUpdateSet((eb) => ({
            recordings_count: eb('quota_usage.recordings_count', '+', eb.ref('excluded.recordings_count')),
            storage_bytes: eb('quota_usage.storage_bytes', '+', eb.ref('excluded.storage_bytes')),
            overage_recordings: eb('quota_usage.overage_recordings', '+', eb.ref('excluded.overage_recordings')),
            overage_cost_cents: eb('quota_usage.overage_cost_cents', '+', eb.ref('excluded.overage_cost_cents')),
            updated_at: now,
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow()
      return usageCodec.decode(raw)
    },

    /** Every period's counters, oldest first (one row a month: a history, and the storage level by summing). */
    async allUsage(): Promise<QuotaUsage[]> {
      const rows = await executor.selectFrom('quota_usage').selectAll().where('user_id', '=', userId).orderBy('period', 'asc').execute()
      return rows.map((r) => usageCodec.decode(r))
    },

    /** Bytes stored now: the storage deltas of every period added up. */
    async storedBytes(): Promise<number> {
      const row = await executor
        .selectFrom('quota_usage')
        .select((eb) => eb.fn.sum<number>('storage_bytes').as('bytes'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow()
      return Number(row.bytes ?? 0)
    },

    /** Whether the recording was counted in the period already. */
    async isCounted(period: string, recordingId: number): Promise<boolean> {
      const row = await executor
        .selectFrom('quota_counted_recordings')
        .select('id')
        .where('user_id', '=', userId)
        .where('period', '=', checkPeriod(period))
        .where('recording_id', '=', recordingId)
        .executeTakeFirst()
      return row !== undefined
    },

    /** Marks the recording counted in the period; false when it was already (nothing written). */
    async markCounted(period: string, recordingId: number, overageCostCents = 0): Promise<boolean> {
      await assertOwned(executor, userId, 'recordings', [recordingId])
      const now = nowIso()
      const result = await executor
        .insertInto('quota_counted_recordings')
        .values({ user_id: userId, period: checkPeriod(period), recording_id: recordingId, overage_cost_cents: checkDelta('overage_cost_cents', overageCostCents), created_at: now, updated_at: now })
        .onConflict((oc) => oc.columns(['user_id', 'period', 'recording_id']).doNothing())
        .executeTakeFirst()
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0
    },

    /** Takes the mark back (a start that could not queue its task); the removed row's overage cost, if any. */
    async unmarkCounted(period: string, recordingId: number): Promise<{ overageCostCents: number } | undefined> {
      const row = await executor
        .deleteFrom('quota_counted_recordings')
        .where('user_id', '=', userId)
        .where('period', '=', checkPeriod(period))
        .where('recording_id', '=', recordingId)
        .returning('overage_cost_cents')
        .executeTakeFirst()
      return row === undefined ? undefined : { overageCostCents: row.overage_cost_cents }
    },

    /**
     * Stores a recording's measured bytes (0 drops the row, also for a recording deleted since); returns the bytes
     * it was measured at before.
     */
    async setRecordingBytes(recordingId: number, bytes: number): Promise<number> {
      toBytes(bytes, 'bytes')
      if (bytes > 0) await assertOwned(executor, userId, 'recordings', [recordingId])
      const previous = await executor
        .selectFrom('quota_recording_storage')
        .select('bytes')
        .where('user_id', '=', userId)
        .where('recording_id', '=', recordingId)
        .executeTakeFirst()
      if (bytes === 0) {
        await executor.deleteFrom('quota_recording_storage').where('user_id', '=', userId).where('recording_id', '=', recordingId).execute()
      } else {
        const now = nowIso()
        await executor
          .insertInto('quota_recording_storage')
          .values({ user_id: userId, recording_id: recordingId, bytes, created_at: now, updated_at: now })
          .onConflict((oc) => oc.columns(['user_id', 'recording_id']).doUpdateSet({ bytes, updated_at: now }))
          .execute()
      }
      return Number(previous?.bytes ?? 0)
    },

    recordChange: (input: NewQuotaChange): Promise<QuotaChange> => changes.insert(input),
    listChanges: (page?: PageRequest) => changes.pageById(page, 'desc'),
  }
}
