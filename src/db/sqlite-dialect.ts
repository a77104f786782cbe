import fs from 'node:fs'
import path from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import { boundedMap } from '../domain/bounded-map.js'
import { RecflowError } from '../domain/errors.js'
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
  type SqliteStatement,
} from 'kysely'

/*
 * Kysely's SQLite dialect with three changes. The first is speed: Kysely prepares every statement anew, which
 * was a third of the database time of a first sync (thousands of the same few statements), so prepared
 * statements are kept by their SQL text (a small LRU; a statement busy in an iteration is never handed out
 * twice). The other two are about sharing one database file between processes (the CLI and
 * the daemon, in WAL mode):
 *
 * - Transactions start with BEGIN IMMEDIATE. A plain (deferred) BEGIN that reads and then writes fails at once
 *   with SQLITE_BUSY when another process wrote in between; busy_timeout cannot help with that upgrade. Taking the
 *   write lock up front makes check-then-write transactions (quota consume, task claim) wait instead of fail.
 * - Migrations run in one transaction: SQLite has transactional DDL, so a failed migration leaves no half schema,
 *   and the immediate lock keeps two processes from migrating at once.
 */

/** details.kind of the error for a full disk under the database (`doctor` reports it as its database check). */
export const DATABASE_DISK_FULL = 'database_disk_full'

// Below this much room, an I/O error on the database's disk is the full disk (SQLite grows its WAL index by 32 KiB).
const NEARLY_FULL_BYTES = 1024 * 1024

/** Room left on the disk holding `file` for this process (root may use the blocks kept for it); undefined if unknown. */
function freeBytes(file: string): number | undefined {
  try {
    const stats = fs.statfsSync(path.dirname(file))
    return (process.getuid?.() === 0 ? stats.bfree : stats.bavail) * stats.bsize
  } catch {
    return undefined
  }
}

/**
 * SQLite says SQLITE_FULL when a write finds no room, but only "disk I/O error" (SQLITE_IOERR_SHMSIZE, …) when the
 * WAL index of a database being opened cannot grow, and creating the file fails with ENOSPC: those count as a full
 * disk when the disk really has (next to) no room left.
 */
function isDiskFull(code: unknown, file: string | undefined): boolean {
  if (code === 'SQLITE_FULL') return true
  if (file === undefined || file === '' || file === ':memory:') return false
  if (code !== 'ENOSPC' && !(typeof code === 'string' && code.startsWith('SQLITE_IOERR'))) return false
  const free = freeBytes(file)
  return free !== undefined && free < NEARLY_FULL_BYTES
}

/** The driver's error, or a RecflowError that says what it means for the user (the original kept as its cause). */
export function translateSqliteError(error: unknown, file: string | undefined): unknown {
  const code = (error as { code?: unknown } | null)?.code
  if (isDiskFull(code, file)) {
    return new RecflowError('internal', `the disk holding the database at ${file ?? '(unknown path)'} is full (${(error as Error).message})`, {
      hint: 'free some space on that disk, then run the command again',
      details: { kind: DATABASE_DISK_FULL, path: file },
      cause: error,
    })
  }
  return error
}

class ImmediateSqliteDriver extends SqliteDriver {
  readonly #sqlite: BetterSqlite3.Database | undefined
  readonly #file: string | undefined
  #connection: DatabaseConnection | undefined

  constructor(config: RecflowSqliteDialectConfig) {
    super(config)
    this.#sqlite = typeof config.database === 'function' ? undefined : (config.database as BetterSqlite3.Database)
    this.#file = config.file
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection()
    if (this.#connection === undefined) {
      const file = this.#file
      this.#connection = {
        executeQuery: async (query) => {
          try {
            return await connection.executeQuery(query)
          } catch (error) {
            throw translateSqliteError(error, file)
          }
        },
        streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
      }
    }
    return this.#connection
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }

  /**
   * SQLite rolls a transaction back by itself after some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM); a
   * ROLLBACK then fails with "cannot rollback - no transaction is active", and Kysely would throw that instead of
   * the error that matters. Nothing to roll back is not a failure.
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.#sqlite !== undefined && !this.#sqlite.inTransaction) return
    await super.rollbackTransaction(connection)
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true
  }
}

export interface RecflowSqliteDialectConfig extends SqliteDialectConfig {
  /** The database file, named in errors (a full disk). */
  file?: string
}

/** How many distinct statements stay prepared (the app uses a few hundred at most). */
const STATEMENT_CACHE_SIZE = 500

type Row = Record<string, unknown>

/**
 * A reading statement whose rows are made by a function generated for its columns. better-sqlite3 builds each row
 * object key by key, and V8 turns an object with more than a dozen keys added that way into a slow dictionary: the
 * recordings page (51 rows of 24 columns) took 2.6x as long to read as from the raw arrays this makes the same
 * objects from, with fast properties (and everything after, the codecs, zod and JSON.stringify, is faster on
 * them). Keys are the column names as JSON string literals, so no name can inject code; a name repeated by a join
 * keeps its last value, as better-sqlite3's own rows do.
 */
function withFastRows(stmt: BetterSqlite3.Statement): SqliteStatement {
  if (!stmt.reader) return stmt as unknown as SqliteStatement
  stmt.raw(true)
  const names = stmt.columns().map((c) => c.name)
  const body = `return {${names.map((name, i) => `${JSON.stringify(name)}: r[${i}]`).join(', ')}}`
  const toRow = new Function('r', body) as (r: unknown[]) => Row
  return {
    reader: true,
    get busy(): boolean {
      return stmt.busy
    },
    all: (parameters: ReadonlyArray<unknown>) => (stmt.all(parameters) as unknown[][]).map(toRow),
    run: (parameters: ReadonlyArray<unknown>) => stmt.run(parameters),
    *iterate(parameters: ReadonlyArray<unknown>): IterableIterator<Row> {
      for (const r of stmt.iterate(parameters) as IterableIterator<unknown[]>) yield toRow(r)
    },
  } as unknown as SqliteStatement
}

/** better-sqlite3's database with `prepare` answered from a cache; `inTransaction` still reads the real one. */
function withStatementCache(database: SqliteDatabase): SqliteDatabase {
  const cache = boundedMap<string, SqliteStatement>(STATEMENT_CACHE_SIZE)
  return {
    get inTransaction(): boolean {
      return (database as BetterSqlite3.Database).inTransaction
    },
    close: () => {
      cache.clear()
      return database.close()
    },
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql)
      if (cached !== undefined && (cached as { busy?: boolean }).busy !== true) return cached
      const stmt = withFastRows((database as BetterSqlite3.Database).prepare(sql))
      if (cached === undefined) cache.set(sql, stmt)
      return stmt
    },
  } as SqliteDatabase
}

export class RecflowSqliteDialect extends SqliteDialect {
  readonly #config: RecflowSqliteDialectConfig

  constructor(config: RecflowSqliteDialectConfig) {
    const cached = typeof config.database === 'function' ? config : { ...config, database: withStatementCache(config.database) }
    super(cached)
    this.#config = cached
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config)
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter()
  }
}
