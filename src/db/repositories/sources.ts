import { codec, type Decoded } from '../codec.js'
import { assertOwned } from '../assert-owned.js'
import type { PageRequest } from '../cursor.js'
import { ownedTable } from '../owned-table.js'
import type { RawRow, SourcePlatform } from '../schema.js'
import { inTransaction, type Executor } from '../transaction.js'
import { nowIso, toIso } from '../values.js'

/** An input source (a Zoom account, a local folder). `config` is validated by the services. */
export type Source = Decoded<RawRow<'input_sources'>, 'config', 'is_active'>

export interface NewSource {
  name: string
  platform: SourcePlatform
  credential_id?: number | null
  config?: unknown
  is_active?: boolean
}

export type SourcePatch = Partial<NewSource>

const sourceCodec = codec<Source>({
  writable: ['name', 'platform', 'credential_id', 'config', 'is_active'],
  json: ['config'],
  flags: ['is_active'],
})

export function sourceRepository(executor: Executor, userId: number) {
  const table = ownedTable(executor, userId, 'input_sources', sourceCodec, 'source')
  const checkCredential = async (input: SourcePatch) => {
    if (input.credential_id != null) await assertOwned(executor, userId, 'user_credentials', [input.credential_id])
  }

  return {
    get: table.get,

    list: (filters: { platform?: SourcePlatform; activeOnly?: boolean } = {}, page?: PageRequest) =>
      table.pageById(page, 'asc', (qb) => {
        let q = qb
        if (filters.platform !== undefined) q = q.where('platform', '=', filters.platform)
        if (filters.activeOnly) q = q.where('is_active', '=', 1)
        return q
      }),

    async create(input: NewSource): Promise<Source> {
      await checkCredential(input)
      return table.insert({ config: {}, ...input })
    },

    async update(id: number, patch: SourcePatch): Promise<Source | undefined> {
      await checkCredential(patch)
      return table.update(id, patch)
    },

    markSynced: (id: number, at: string | Date = new Date()) =>
      table.update(id, {}, { last_synced_at: toIso(at, 'last_synced_at') }),

    /** Deletes the source; its recordings and their metadata stay, detached from it. */
    remove: (id: number): Promise<boolean> =>
      inTransaction(executor, async (tx) => {
        const now = nowIso()
        await tx
          .updateTable('recordings')
          .set({ input_source_id: null, updated_at: now })
          .where('user_id', '=', userId)
          .where('input_source_id', '=', id)
          .execute()
        await tx
          .updateTable('source_metadata')
          .set({ input_source_id: null, updated_at: now })
          .where('user_id', '=', userId)
          .where('input_source_id', '=', id)
          .execute()
        return ownedTable(tx, userId, 'input_sources', sourceCodec, 'source').remove(id)
      }),
  }
}
