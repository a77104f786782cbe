import { sql } from 'kysely'
import { RecflowError } from '../../domain/errors.js'
import type { Codec } from '../codec.js'
import { decodeCursor, pageLimit, toPage, type Page, type PageRequest } from '../cursor.js'
import type { RecordingStatus } from '../schema.js'
import type { Executor } from '../transaction.js'
import { toIso } from '../values.js'

export interface RecordingFilters {
  /** One status or several. */
  status?: RecordingStatus | readonly RecordingStatus[]
  failed?: boolean
  mapped?: boolean
  template_id?: number
  source_id?: number
  /** Substring of display_name, case-insensitive; % and _ are literal. */
  search?: string
  /** start_time >= from. */
  from?: string | Date
  /** start_time < to. */
  to?: string | Date
  /** Default false: soft-deleted recordings are hidden. */
  includeDeleted?: boolean
}

/** `%`, `_` and the escape character itself match literally. */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`)

/** Newest first: keyset on (start_time DESC, id DESC), so pages stay stable while recordings arrive. */
export async function listRecordings<Row extends { start_time: string; id: number }>(
  executor: Executor,
  userId: number,
  codec: Codec<Row>,
  filters: RecordingFilters,
  page: PageRequest | undefined,
): Promise<Page<Row>> {
  const limit = pageLimit(page)
  let query = executor.selectFrom('recordings').selectAll().where('user_id', '=', userId)

  if (filters.status !== undefined) {
    const statuses = typeof filters.status === 'string' ? [filters.status] : [...filters.status]
    if (statuses.length === 0) throw new RecflowError('usage', 'status filter needs at least one status')
    query = query.where('status', 'in', statuses)
  }
  if (filters.failed !== undefined) query = query.where('failed', '=', filters.failed ? 1 : 0)
  if (filters.mapped !== undefined) query = query.where('is_mapped', '=', filters.mapped ? 1 : 0)
  if (filters.template_id !== undefined) query = query.where('template_id', '=', filters.template_id)
  if (filters.source_id !== undefined) query = query.where('input_source_id', '=', filters.source_id)
  if (filters.from !== undefined) query = query.where('start_time', '>=', toIso(filters.from, 'from'))
  if (filters.to !== undefined) query = query.where('start_time', '<', toIso(filters.to, 'to'))
  if (!filters.includeDeleted) query = query.where('deleted_at', 'is', null)
  if (filters.search !== undefined && filters.search !== '') {
    // lower() on both sides: the same folding rules apply to the column and the pattern on every dialect.
    const pattern = `%${escapeLike(filters.search)}%`
    query = query.where(sql<boolean>`lower(${sql.ref('display_name')}) like lower(${pattern}) escape '\\'`)
  }
  if (page?.cursor) {
    const after = decodeCursor(page.cursor, { start_time: 'string', id: 'number' })
    query = query.where((eb) =>
      eb.or([
        eb('start_time', '<', after.start_time),
        eb.and([eb('start_time', '=', after.start_time), eb('id', '<', after.id)]),
      ]),
    )
  }

  const rows = await query.orderBy('start_time', 'desc').orderBy('id', 'desc').limit(limit + 1).execute()
  return toPage(rows.map((r) => codec.decode(r)), limit, (r) => ({ start_time: r.start_time, id: r.id }))
}
