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

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true
  }
}

export class RecflowSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig

  constructor(config: SqliteDialectConfig) {
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
