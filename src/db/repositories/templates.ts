import { codec, type Decoded } from '../codec.js'
import { assertOwned, idsAt } from '../assert-owned.js'
import { decodeCursor, pageLimit, toPage, type Page, type PageRequest } from '../cursor.js'
import { ownedTable } from '../owned-table.js'
import type { RawRow, RecordingStatus } from '../schema.js'
import { inTransaction, type Executor } from '../transaction.js'
import { isId, nowIso, toIso } from '../values.js'

type TemplateJson = 'matching_rules' | 'processing_config' | 'metadata_config' | 'output_config'

/**
 * A recording template. `matching_rules.source_ids` and `output_config.preset_ids` reference the user's sources
 * and presets and are checked on every write; the rest of the documents is validated by the services.
 */
export type Template = Decoded<RawRow<'recording_templates'>, TemplateJson, 'is_draft' | 'is_active'>

export interface NewTemplate {
  name: string
  description?: string | null
  matching_rules?: unknown
  processing_config?: unknown
  metadata_config?: unknown
  output_config?: unknown
  is_draft?: boolean
  is_active?: boolean
}

export type TemplatePatch = Partial<NewTemplate>

export interface TemplateFilters {
  /** Default false: drafts never match recordings. */
  includeDrafts?: boolean
  /** Default false. */
  activeOnly?: boolean
}

const templateCodec = codec<Template>({
  writable: ['name', 'description', 'matching_rules', 'processing_config', 'metadata_config', 'output_config', 'is_draft', 'is_active'],
  json: ['matching_rules', 'processing_config', 'metadata_config', 'output_config'],
  flags: ['is_draft', 'is_active'],
})

export function templateRepository(executor: Executor, userId: number) {
  const table = ownedTable(executor, userId, 'recording_templates', templateCodec, 'template')

  /**
   * Ids already stored in `current` are not checked again: a template left naming a removed preset or source can
   * still be edited (and the dangling id taken out) instead of every later change failing on it.
   */
  const checkReferences = async (input: TemplatePatch, current?: Template) => {
    const fresh = (ids: number[], stored: number[]) => ids.filter((id) => !stored.includes(id))
    const presets = idsAt(input.output_config, 'preset_ids', 'output_config')
    const sources = idsAt(input.matching_rules, 'source_ids', 'matching_rules')
    await assertOwned(executor, userId, 'output_presets', fresh(presets, current ? idsAt(current.output_config, 'preset_ids', 'output_config') : []))
    await assertOwned(executor, userId, 'input_sources', fresh(sources, current ? idsAt(current.matching_rules, 'source_ids', 'matching_rules') : []))
  }

  return {
    get: table.get,

    /** Ordered by creation (created_at, id): matching relies on "the first template by creation time wins". */
    async list(filters: TemplateFilters = {}, page?: PageRequest): Promise<Page<Template>> {
      const limit = pageLimit(page)
      let query = executor.selectFrom('recording_templates').selectAll().where('user_id', '=', userId)
      if (!filters.includeDrafts) query = query.where('is_draft', '=', 0)
      if (filters.activeOnly) query = query.where('is_active', '=', 1)
      if (page?.cursor) {
        const after = decodeCursor(page.cursor, { created_at: 'string', id: 'number' })
        query = query.where((eb) =>
          eb.or([
            eb('created_at', '>', after.created_at),
            eb.and([eb('created_at', '=', after.created_at), eb('id', '>', after.id)]),
          ]),
        )
      }
      const rows = await query.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(limit + 1).execute()
      return toPage(rows.map((r) => templateCodec.decode(r)), limit, (t) => ({ created_at: t.created_at, id: t.id }))
    },

    async create(input: NewTemplate): Promise<Template> {
      await checkReferences(input)
      return table.insert(input)
    },

    async update(id: number, patch: TemplatePatch): Promise<Template | undefined> {
      await checkReferences(patch, await table.get(id))
      return table.update(id, patch)
    },

    /** Counts a match: used_count + 1 (in SQL, so concurrent matches are all counted), last_used_at. */
    async markUsed(id: number, at: string | Date = new Date()): Promise<Template | undefined> {
      if (!isId(id)) return undefined
      const raw = await executor
        .updateTable('recording_templates')
        .set((eb) => ({ used_count: eb('used_count', '+', 1), last_used_at: toIso(at, 'last_used_at'), updated_at: nowIso() }))
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .returningAll()
        .executeTakeFirst()
      return raw === undefined ? undefined : templateCodec.decode(raw)
    },

    /**
     * The template's recordings (soft-deleted ones left out) counted by status in one aggregate: how many, how many
     * of them failed, and the latest change among them.
     */
    async recordingStats(id: number): Promise<Array<{ status: RecordingStatus; count: number; failed: number; last_updated_at: string | null }>> {
      if (!isId(id)) return []
      const rows = await executor
        .selectFrom('recordings')
        .select((eb) => [
          'status',
          eb.fn.countAll<number>().as('count'),
          eb.fn.sum<number>('failed').as('failed'),
          eb.fn.max('updated_at').as('last_updated_at'),
        ])
        .where('user_id', '=', userId)
        .where('template_id', '=', id)
        .where('deleted_at', 'is', null)
        .groupBy('status')
        .orderBy('status')
        .execute()
      return rows.map((r) => ({ status: r.status, count: Number(r.count), failed: Number(r.failed ?? 0), last_updated_at: r.last_updated_at ?? null }))
    },

    /** Deletes the template; its recordings stay, unmapped (template_id NULL, is_mapped false). */
    remove: (id: number): Promise<boolean> =>
      inTransaction(executor, async (tx) => {
        await tx
          .updateTable('recordings')
          .set({ template_id: null, is_mapped: 0, updated_at: nowIso() })
          .where('user_id', '=', userId)
          .where('template_id', '=', id)
          .execute()
        return ownedTable(tx, userId, 'recording_templates', templateCodec, 'template').remove(id)
      }),
  }
}
