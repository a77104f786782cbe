import type { Kysely } from 'kysely'
import type { DB } from './schema.js'

/** Anything repositories can run queries on: the database or a transaction. */
export type Executor = Kysely<DB>

/**
 * Runs `fn` in a transaction, joining the caller's if there is one. Keep it short: never hold a transaction
 * across ffmpeg, HTTP or file IO (Kysely serialises the single SQLite connection).
 */
export function inTransaction<T>(executor: Executor, fn: (tx: Executor) => Promise<T>): Promise<T> {
  return executor.isTransaction ? fn(executor) : executor.transaction().execute(fn)
}
