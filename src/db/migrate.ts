import { Migrator, sql, type Kysely, type MigrationInfo } from 'kysely'
import { migrations } from '../../migrations/index.js'
import { RecflowError } from '../domain/errors.js'

const migrator = (db: Kysely<any>) =>
  new Migrator({ db, provider: { getMigrations: async () => migrations } })

/** Applies every pending migration; returns the schema version (the last applied migration's name). */
export async function migrateToLatest(db: Kysely<any>): Promise<string> {
  const { error, results } = await migrator(db).migrateToLatest()
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName
    const message = error instanceof Error ? error.message : String(error)
    const newer = /corrupted migrations|missing/i.test(message)
    const which = failed === undefined ? 'database migration' : `database migration ${failed}`
    throw new RecflowError('internal', `${which} failed: ${message}`, {
      hint: newer
        ? 'this database was written by a newer recflow; upgrade recflow to open it'
        : 'restore the database file from a backup or report this bug',
      cause: error,
    })
  }
  return schemaVersion(db)
}

/**
 * True when the database has applied exactly the migrations this build knows: one query, the check every start
 * makes before it builds a Migrator (whose lock and table checks cost several statements). Anything else, a
 * missing table included, answers false and takes the full path, which reports real errors.
 */
export async function isUpToDate(db: Kysely<any>): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db)
    const known = new Set(Object.keys(migrations))
    return rows.length === known.size && rows.every((r) => known.has(r.name))
  } catch {
    return false
  }
}

/** The last applied migration's name, or '' for an empty database. */
export async function schemaVersion(db: Kysely<any>): Promise<string> {
  const applied = (await migrator(db).getMigrations()).filter((m: MigrationInfo) => m.executedAt !== undefined)
  return applied[applied.length - 1]?.name ?? ''
}

/** Names of migrations this build knows but the database has not applied. */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  return (await migrator(db).getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name)
}

export const latestSchemaVersion = (): string => Object.keys(migrations).sort().at(-1) ?? ''
