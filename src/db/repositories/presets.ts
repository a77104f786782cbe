import { codec, type Decoded } from '../codec.js'
import { assertOwned } from '../assert-owned.js'
import type { PageRequest } from '../cursor.js'
import { ownedTable } from '../owned-table.js'
import type { PresetPlatform, RawRow } from '../schema.js'
import { inTransaction, type Executor } from '../transaction.js'
import { nowIso } from '../values.js'

/** An output preset: where and how to publish (platform, credential, metadata templates). */
export type Preset = Decoded<RawRow<'output_presets'>, 'preset_metadata', 'is_active'>

export interface NewPreset {
  name: string
  description?: string | null
  platform: PresetPlatform
  credential_id?: number | null
  preset_metadata?: unknown
  is_active?: boolean
}

export type PresetPatch = Partial<NewPreset>

const presetCodec = codec<Preset>({
  writable: ['name', 'description', 'platform', 'credential_id', 'preset_metadata', 'is_active'],
  json: ['preset_metadata'],
  flags: ['is_active'],
})

export function presetRepository(executor: Executor, userId: number) {
  const table = ownedTable(executor, userId, 'output_presets', presetCodec, 'preset')
  const checkCredential = async (input: PresetPatch) => {
    if (input.credential_id != null) await assertOwned(executor, userId, 'user_credentials', [input.credential_id])
  }

  return {
    get: table.get,

    list: (filters: { platform?: PresetPlatform; activeOnly?: boolean } = {}, page?: PageRequest) =>
      table.pageById(page, 'asc', (qb) => {
        let q = qb
        if (filters.platform !== undefined) q = q.where('platform', '=', filters.platform)
        if (filters.activeOnly) q = q.where('is_active', '=', 1)
        return q
      }),

    async create(input: NewPreset): Promise<Preset> {
      await checkCredential(input)
      return table.insert({ preset_metadata: {}, ...input })
    },

    async update(id: number, patch: PresetPatch): Promise<Preset | undefined> {
      await checkCredential(patch)
      return table.update(id, patch)
    },

    /** Deletes the preset; output targets made from it keep their history with `preset_id` NULL. */
    remove: (id: number): Promise<boolean> =>
      inTransaction(executor, async (tx) => {
        await tx
          .updateTable('output_targets')
          .set({ preset_id: null, updated_at: nowIso() })
          .where('user_id', '=', userId)
          .where('preset_id', '=', id)
          .execute()
        return ownedTable(tx, userId, 'output_presets', presetCodec, 'preset').remove(id)
      }),
  }
}
