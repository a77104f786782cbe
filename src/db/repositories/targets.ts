import { assertOwned } from '../assert-owned.js'
import { codec, type Decoded } from '../codec.js'
import { guardWrite, violationOf } from '../constraint-errors.js'
import type { PageRequest } from '../cursor.js'
import { ownedTable } from '../owned-table.js'
import type { RawRow, TargetStatus } from '../schema.js'
import type { Executor } from '../transaction.js'
import { nowIso } from '../values.js'

/** One publication of a recording (one per preset). `target_meta` holds the video id and URL. */
export type OutputTarget = Decoded<RawRow<'output_targets'>, 'target_meta'>

export interface NewOutputTarget {
  recording_id: number
  preset_id?: number | null
  /** The platform: youtube, vk, local. */
  target_type: string
  status?: TargetStatus
  target_meta?: unknown
}

export interface OutputTargetPatch {
  status?: TargetStatus
  target_meta?: unknown
  failed_reason?: string | null
  uploaded_at?: string | Date | null
}

const targetCodec = codec<OutputTarget>({
  writable: ['recording_id', 'preset_id', 'target_type', 'status', 'target_meta', 'failed_reason', 'uploaded_at'],
  json: ['target_meta'],
  times: ['uploaded_at'],
})
const patchColumns = ['status', 'target_meta', 'failed_reason', 'uploaded_at'] as const

export function targetRepository(executor: Executor, userId: number) {
  const table = ownedTable(executor, userId, 'output_targets', targetCodec, 'output target')

  const checkReferences = async (input: NewOutputTarget) => {
    await assertOwned(executor, userId, 'recordings', [input.recording_id])
    if (input.preset_id != null) await assertOwned(executor, userId, 'output_presets', [input.preset_id])
  }

  return {
    get: table.get,

    list: (filters: { recording_id?: number; preset_id?: number; status?: TargetStatus } = {}, page?: PageRequest) =>
      table.pageById(page, 'asc', (qb) => {
        let q = qb
        if (filters.recording_id !== undefined) q = q.where('recording_id', '=', filters.recording_id)
        if (filters.preset_id !== undefined) q = q.where('preset_id', '=', filters.preset_id)
        if (filters.status !== undefined) q = q.where('status', '=', filters.status)
        return q
      }),

    async create(input: NewOutputTarget): Promise<OutputTarget> {
      await checkReferences(input)
      return table.insert(input)
    },

    /** The recording's target for a preset, created NOT_UPLOADED if missing. */
    async ensure(input: NewOutputTarget & { preset_id: number }): Promise<{ target: OutputTarget; created: boolean }> {
      await checkReferences(input)
      const now = nowIso()
      const inserted = await guardWrite('output target', () =>
        executor
          .insertInto('output_targets')
          .values({
            ...(targetCodec.encode(input) as { recording_id: number; target_type: string }),
            user_id: userId,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.columns(['user_id', 'recording_id', 'preset_id']).doNothing())
          .returningAll()
          .executeTakeFirst(),
      )
      if (inserted !== undefined) return { target: targetCodec.decode(inserted), created: true }
      const existing = await executor
        .selectFrom('output_targets')
        .selectAll()
        .where('user_id', '=', userId)
        .where('recording_id', '=', input.recording_id)
        .where('preset_id', '=', input.preset_id)
        .executeTakeFirstOrThrow()
      return { target: targetCodec.decode(existing), created: false }
    },

    update: (id: number, patch: OutputTargetPatch) =>
      table.update(id, Object.fromEntries(patchColumns.map((k) => [k, patch[k]]))),

    /**
     * Reserves `path` (a published file) for this target, releasing the one it held; null releases. False when
     * another target (of any user) holds the path: the UNIQUE column makes the check and the claim one statement.
     */
    async reservePath(id: number, path: string | null): Promise<boolean> {
      try {
        const row = await executor
          .updateTable('output_targets')
          .set({ published_path: path, updated_at: nowIso() })
          .where('id', '=', id)
          .where('user_id', '=', userId)
          .returning('id')
          .executeTakeFirst()
        return row !== undefined
      } catch (error) {
        if (violationOf(error) === 'unique') return false
        throw error
      }
    },

    remove: table.remove,
  }
}
