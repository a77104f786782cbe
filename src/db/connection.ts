import fs from 'node:fs'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely } from 'kysely'
import { RecflowError } from '../domain/errors.js'
import { isUpToDate, latestSchemaVersion, migrateToLatest, schemaVersion } from './migrate.js'
import type { DB } from './schema.js'
import { DATABASE_DISK_FULL, RecflowSqliteDialect, translateSqliteError } from './sqlite-dialect.js'

export interface Database {
  readonly db: Kysely<DB>
  /** Name of the last applied migration, e.g. "0001_initial". */
  readonly schemaVersion: string
  /** PRAGMA integrity_check: the problems SQLite finds (at most `max`), none when the file is sound. */
  integrityProblems(max?: number): string[]
  /**
   * A value that differs whenever the database may have changed since it was last taken: another connection (any
   * process) committed (PRAGMA data_version), or this connection changed rows (total_changes()). Undefined when it
   * cannot be read (the connection is closed, or SQLite refused): then nothing counts as unchanged.
   */
  changeStamp(): string | undefined
  close(): Promise<void>
}

export interface OpenDatabaseOptions {
  /** Open an existing, up-to-date database without writing to it (no migrations, no pragma changes). */
  readonly readonly?: boolean
}

/**
 * Opens (creating if needed) the SQLite database at `file` and migrates it to the latest schema.
 *
 * Byte sizes: stored as 64-bit INTEGER and read as JavaScript numbers through a safe-integer check
 * (src/db/values.ts), not with `defaultSafeIntegers`, which would turn every id and count into a bigint.
 */
export async function openDatabase(file: string, opts: OpenDatabaseOptions = {}): Promise<Database> {
  const readonly = opts.readonly === true
  let sqlite: BetterSqlite3.Database
  try {
    // Created 0600 whatever the umask: the database holds tokens' metadata, tasks and paths. SQLite gives its
    // -wal and -shm files the database file's mode.
    if (!readonly && file !== ':memory:' && file !== '') createPrivately(file)
    sqlite = new BetterSqlite3(file, { readonly, fileMustExist: readonly })
  } catch (error) {
    const translated = translateSqliteError(error, file)
    if (translated instanceof RecflowError) throw translated
    throw new RecflowError('internal', `cannot open database ${file}: ${(error as Error).message}`, {
      hint: readonly ? 'run any recflow command once to create the database' : 'check that the folder exists and is writable',
      cause: error,
    })
  }
  try {
    // First, before any pragma writes to the file: another program's database is left exactly as it was.
    checkIsRecflowDatabase(sqlite, file)
    if (!readonly) {
      // WAL lets the CLI and the daemon share the file: readers never block the writer.
      sqlite.pragma('journal_mode = WAL')
      sqlite.pragma('synchronous = NORMAL')
    }
    sqlite.pragma('foreign_keys = ON')
    sqlite.pragma('busy_timeout = 5000')
  } catch (error) {
    sqlite.close()
    if (error instanceof RecflowError) throw error
    if (isNotADatabase(error)) throw notRecflowDatabase(file, (error as Error).message, error)
    const translated = translateSqliteError(error, file)
    if (translated instanceof RecflowError) throw translated
    throw new RecflowError('internal', `cannot configure database ${file}: ${(error as Error).message}`, { cause: error })
  }

  const db = new Kysely<DB>({ dialect: new RecflowSqliteDialect({ database: sqlite, file }) })
  try {
    const version = readonly
      ? await checkUpToDate(db, file)
      : (await isUpToDate(db))
        ? latestSchemaVersion()
        : await migrateWithForeignKeysOff(sqlite, db)
    const integrityProblems = (max = 20): string[] => {
      const rows = sqlite.pragma(`integrity_check(${Math.max(1, Math.floor(max))})`) as Array<{ integrity_check: string }>
      return rows.map((r) => r.integrity_check).filter((line) => line !== 'ok')
    }
    return { db, schemaVersion: version, integrityProblems, changeStamp: changeStampOf(sqlite), close: () => db.destroy() }
  } catch (error) {
    await db.destroy()
    throw error
  }
}

/** Two prepared reads, ~4 µs together: a cache check far cheaper than the query it saves (prepared on first use). */
function changeStampOf(sqlite: BetterSqlite3.Database): () => string | undefined {
  let reads: [BetterSqlite3.Statement, BetterSqlite3.Statement] | undefined
  return () => {
    try {
      const [dataVersion, totalChanges] = (reads ??= [sqlite.prepare('pragma data_version').pluck(), sqlite.prepare('select total_changes()').pluck()])
      return `${dataVersion.get() as number}:${totalChanges.get() as number}`
    } catch {
      return undefined
    }
  }
}

/** The code of the error every command gives for a file that is not a recflow database (`doctor` reports it). */
export const NOT_RECFLOW_DATABASE = 'not_recflow_database'

/** What to do about a file that is not a recflow database; the other commands add that `recflow doctor` checks it. */
export const NOT_RECFLOW_DATABASE_FIX = 'move the file away (recflow then creates a new database there) or point RECFLOW_DB at your recflow database'

/** A corrupt file, another program's SQLite database or any other file where the database should be. */
export function notRecflowDatabase(file: string, reason: string, cause?: unknown): RecflowError {
  return new RecflowError('internal', `the database at ${file} is not a recflow database (${reason})`, {
    hint: `${NOT_RECFLOW_DATABASE_FIX}; \`recflow doctor\` checks it`,
    details: { kind: NOT_RECFLOW_DATABASE, path: file },
    cause,
  })
}

/** The errors that keep a database from being opened at all (not recflow's, or its disk is full): `doctor` reports them. */
export function isUnopenableDatabase(e: unknown): e is RecflowError {
  const kind = e instanceof RecflowError ? (e.details as { kind?: unknown } | undefined)?.kind : undefined
  return kind === NOT_RECFLOW_DATABASE || kind === DATABASE_DISK_FULL
}

function isNotADatabase(error: unknown): boolean {
  const code = (error as { code?: unknown }).code
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT'
}

/**
 * A database with tables but no migration table was made by another program: migrating it would write recflow's
 * tables into someone else's file. (A new, empty file has no tables and is fine.)
 */
function checkIsRecflowDatabase(sqlite: BetterSqlite3.Database, file: string): void {
  const tables = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[]
  if (tables.length > 0 && !tables.includes('kysely_migration')) {
    throw notRecflowDatabase(file, `it holds other tables: ${tables.slice(0, 3).join(', ')}${tables.length > 3 ? ', …' : ''}`)
  }
}

async function checkUpToDate(db: Kysely<DB>, file: string): Promise<string> {
  const version = await schemaVersion(db)
  if (version !== latestSchemaVersion()) {
    throw new RecflowError('conflict', `database ${file} is at schema "${version || 'empty'}", expected "${latestSchemaVersion()}"`, {
      hint: 'open it once without --readonly (any regular recflow command) to migrate it',
    })
  }
  return version
}

/** Creates an empty file with mode 0600 unless one exists (O_EXCL: an existing file is never touched). */
function createPrivately(file: string): void {
  let fd: number
  try {
    fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return
    throw error
  }
  // Created with 0600: a umask can only take bits away, so the mode needs no second look.
  fs.closeSync(fd)
}

/**
 * Migrations run with foreign keys off, as SQLite's procedure for rebuilding a table requires (dropping a parent
 * table with them on would cascade-delete its children); a migration that rebuilds checks the references itself
 * (PRAGMA foreign_key_check) before it commits. The pragma cannot change inside a transaction, hence here.
 */
async function migrateWithForeignKeysOff(sqlite: BetterSqlite3.Database, db: Kysely<DB>): Promise<string> {
  sqlite.pragma('foreign_keys = OFF')
  try {
    return await migrateToLatest(db)
  } finally {
    sqlite.pragma('foreign_keys = ON')
  }
}
