import type { Kysely, SelectQueryBuilder } from 'kysely'
import type { Codec } from './codec.js'
import { guardWrite } from './constraint-errors.js'
import { decodeCursor, pageLimit, toPage, type Page, type PageRequest } from './cursor.js'
import type { OwnedTableName } from './schema.js'
import type { Executor } from './transaction.js'
import { isId, nowIso } from './values.js'

// Generic queries over one owned table. Typed loosely inside (the table is a parameter), strictly at the edges
// (each repository states its row and input types). Every statement binds `user_id`.
type AnySelect = SelectQueryBuilder<any, any, any>

export interface OwnedTable<Row> {
  get(id: number): Promise<Row | undefined>
  /** Inserts `input` (whitelisted, encoded) plus `raw` (already storage values) with user_id and timestamps. */
  insert(input: object, raw?: Record<string, unknown>): Promise<Row>
  /** Updates only the caller's row; undefined when there is none. An empty patch just reads the row. */
  update(id: number, patch: object, raw?: Record<string, unknown>): Promise<Row | undefined>
  remove(id: number): Promise<boolean>
  /** Keyset page ordered by id; `filter` adds where clauses. */
  pageById(page: PageRequest | undefined, direction: 'asc' | 'desc', filter?: (qb: AnySelect) => AnySelect): Promise<Page<Row>>
  /** Every matching row in one query, ordered by id (for whole-set reads such as a sync's comparison). */
  allById(filter: (qb: AnySelect) => AnySelect): Promise<Row[]>
}

export function ownedTable<Row>(
  executor: Executor,
  userId: number,
  table: OwnedTableName,
  codec: Codec<Row>,
  what: string,
): OwnedTable<Row> {
  const db = executor as unknown as Kysely<any>

  const get = async (id: number): Promise<Row | undefined> => {
    if (!isId(id)) return undefined
    const raw = await db.selectFrom(table).selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
    return raw === undefined ? undefined : codec.decode(raw)
  }

  return {
    get,

    async insert(input, raw = {}) {
      const now = nowIso()
      const values = { ...codec.encode(input), ...raw, user_id: userId, created_at: now, updated_at: now }
      const row = await guardWrite(what, () => db.insertInto(table).values(values).returningAll().executeTakeFirstOrThrow())
      return codec.decode(row)
    },

    async update(id, patch, raw = {}) {
      if (!isId(id)) return undefined
      const values = { ...codec.encode(patch), ...raw }
      if (Object.keys(values).length === 0) return get(id)
      const row = await guardWrite(what, () =>
        db
          .updateTable(table)
          .set({ ...values, updated_at: nowIso() })
          .where('id', '=', id)
          .where('user_id', '=', userId)
          .returningAll()
          .executeTakeFirst(),
      )
      return row === undefined ? undefined : codec.decode(row)
    },

    async remove(id) {
      if (!isId(id)) return false
      const result = await guardWrite(what, () =>
        db.deleteFrom(table).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst(),
      )
      return result.numDeletedRows > 0n
    },

    async pageById(page, direction, filter = (qb) => qb) {
      const limit = pageLimit(page)
      let query = filter(db.selectFrom(table).selectAll().where('user_id', '=', userId))
      if (page?.cursor) {
        const { id } = decodeCursor(page.cursor, { id: 'number' })
        query = query.where('id', direction === 'asc' ? '>' : '<', id)
      }
      const rows = await query.orderBy('id', direction).limit(limit + 1).execute()
      return toPage(rows.map((row) => codec.decode(row)), limit, (row) => ({ id: (row as { id: number }).id }))
    },

    async allById(filter) {
      const rows = await filter(db.selectFrom(table).selectAll().where('user_id', '=', userId)).orderBy('id').execute()
      return rows.map((row) => codec.decode(row))
    },
  }
}
