import { assertOwned } from '../assert-owned.js'
import { codec, type Decoded } from '../codec.js'
import { guardWrite } from '../constraint-errors.js'
import type { PageRequest } from '../cursor.js'
import { ownedTable } from '../owned-table.js'
import type { RawRow, StageStatus, StageType } from '../schema.js'
import type { Executor } from '../transaction.js'
import { nowIso } from '../values.js'

/** One pipeline stage of one recording (unique per recording and stage type). */
export type ProcessingStage = Decoded<RawRow<'processing_stages'>, 'stage_meta'>

export interface NewProcessingStage {
  recording_id: number
  stage_type: StageType
  status?: StageStatus
  stage_meta?: unknown
}

export interface ProcessingStagePatch {
  status?: StageStatus
  failed_reason?: string | null
  skip_reason?: string | null
  stage_meta?: unknown
  started_at?: string | Date | null
  completed_at?: string | Date | null
  attempts?: number
}

const stageCodec = codec<ProcessingStage>({
  writable: ['recording_id', 'stage_type', 'status', 'failed_reason', 'skip_reason', 'stage_meta', 'started_at', 'completed_at', 'attempts'],
  json: ['stage_meta'],
  times: ['started_at', 'completed_at'],
})
const patchColumns = ['status', 'failed_reason', 'skip_reason', 'stage_meta', 'started_at', 'completed_at', 'attempts'] as const

export function stageRepository(executor: Executor, userId: number) {
  const table = ownedTable(executor, userId, 'processing_stages', stageCodec, 'processing stage')

  return {
    get: table.get,

    list: (filters: { recording_id?: number; status?: StageStatus } = {}, page?: PageRequest) =>
      table.pageById(page, 'asc', (qb) => {
        let q = qb
        if (filters.recording_id !== undefined) q = q.where('recording_id', '=', filters.recording_id)
        if (filters.status !== undefined) q = q.where('status', '=', filters.status)
        return q
      }),

    async create(input: NewProcessingStage): Promise<ProcessingStage> {
      await assertOwned(executor, userId, 'recordings', [input.recording_id])
      return table.insert(input)
    },

    /** The recording's stage row of this type, created PENDING if missing. */
    async ensure(recordingId: number, stageType: StageType): Promise<ProcessingStage> {
      await assertOwned(executor, userId, 'recordings', [recordingId])
      const now = nowIso()
      await guardWrite('processing stage', () =>
        executor
        .insertInto('processing_stages')
        .values({ user_id: userId, recording_id: recordingId, stage_type: stageType, created_at: now, updated_at: now })
        .onConflict((oc) => oc.columns(['user_id', 'recording_id', 'stage_type']).doNothing())
        .execute(),
      )
      const raw = await executor
        .selectFrom('processing_stages')
        .selectAll()
        .where('user_id', '=', userId)
        .where('recording_id', '=', recordingId)
        .where('stage_type', '=', stageType)
        .executeTakeFirstOrThrow()
      return stageCodec.decode(raw)
    },

    update: (id: number, patch: ProcessingStagePatch) =>
      table.update(id, Object.fromEntries(patchColumns.map((k) => [k, patch[k]]))),

    remove: table.remove,
  }
}
