import { assertOwned } from '../assert-owned.js'
import { codec, toJsonText, type Decoded } from '../codec.js'
import type { PageRequest } from '../cursor.js'
import { ownedTable } from '../owned-table.js'
import type { RawRow } from '../schema.js'
import type { Executor } from '../transaction.js'
import { nowIso } from '../values.js'

/** The raw payload a source platform returned for a recording (one row per recording). */
export type SourceMetadata = Decoded<RawRow<'source_metadata'>, 'metadata'>

const metadataCodec = codec<SourceMetadata>({ writable: [], json: ['metadata'] })

export function sourceMetadataRepository(executor: Executor, userId: number) {
  const table = ownedTable(executor, userId, 'source_metadata', metadataCodec, 'source metadata')

  return {
    get: table.get,

    async getByRecording(recordingId: number): Promise<SourceMetadata | undefined> {
      const raw = await executor
        .selectFrom('source_metadata')
        .selectAll()
        .where('user_id', '=', userId)
        .where('recording_id', '=', recordingId)
        .executeTakeFirst()
      return raw === undefined ? undefined : metadataCodec.decode(raw)
    },

    list: (filters: { recording_id?: number; input_source_id?: number } = {}, page?: PageRequest) =>
      table.pageById(page, 'asc', (qb) => {
        let q = qb
        if (filters.recording_id !== undefined) q = q.where('recording_id', '=', filters.recording_id)
        if (filters.input_source_id !== undefined) q = q.where('input_source_id', '=', filters.input_source_id)
        return q
      }),

    /** Every payload of one source's recordings in one query (a sync reads them all). */
    allForSource: (sourceId: number): Promise<SourceMetadata[]> => table.allById((qb) => qb.where('input_source_id', '=', sourceId)),

    /** Stores (or replaces) the recording's payload. */
    async set(recordingId: number, input: { input_source_id?: number | null; metadata: unknown }): Promise<SourceMetadata> {
      await assertOwned(executor, userId, 'recordings', [recordingId])
      if (input.input_source_id != null) await assertOwned(executor, userId, 'input_sources', [input.input_source_id])
      const now = nowIso()
      const values = { input_source_id: input.input_source_id ?? null, metadata: toJsonText('metadata', input.metadata) }
      const raw = await executor
        .insertInto('source_metadata')
        .values({ ...values, user_id: userId, recording_id: recordingId, created_at: now, updated_at: now })
        .onConflict((oc) => oc.columns(['user_id', 'recording_id']).doUpdateSet({ ...values, updated_at: now }))
        .returningAll()
        .executeTakeFirstOrThrow()
      return metadataCodec.decode(raw)
    },

    remove: table.remove,
  }
}
