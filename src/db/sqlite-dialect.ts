import type BetterSqlite3 from 'better-sqlite3'
import { RecflowError } from '../domain/errors.js'
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely'

/*
 * Kysely's SQLite dialect with two changes, both about sharing one database file between processes (the CLI and
 * the daemon, in WAL mode):
 *
 * - Transactions start with BEGIN IMMEDIATE. A plain (deferred) BEGIN that reads and then writes fails at once
 *   with SQLITE_BUSY when another process wrote in between; busy_timeout cannot help with that upgrade. Taking the
 *   write lock up front makes check-then-write transactions (quota consume, task claim) wait instead of fail.
 * - Migrations run in one transaction: SQLite has transactional DDL, so a failed migration leaves no half schema,
 *   and the immediate lock keeps two processes from migrating at once.
 */

/** The driver's error, or a RecflowError that says what it means for the user (the original kept as its cause). */
export function translateSqliteError(error: unknown, file: string | undefined): unknown {
  const code = (error as { code?: unknown } | null)?.code
  if (code === 'SQLITE_FULL') {
    return new RecflowError('internal', `the disk holding the database at ${file ?? '(unknown path)'} is full (${(error as Error).message})`, {
      hint: 'free some space on that disk, then run the command again',
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

export class RecflowSqliteDialect extends SqliteDialect {
  readonly #config: RecflowSqliteDialectConfig

  constructor(config: RecflowSqliteDialectConfig) {
    super(config)
    this.#config = config
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config)
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter()
  }
}
