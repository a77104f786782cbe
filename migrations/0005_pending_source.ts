import { sql, type Kysely } from 'kysely'

/*
 * Recording status PENDING_SOURCE (a Zoom meeting whose files Zoom is still processing). SQLite cannot change a
 * CHECK constraint in place, so the recordings table is rebuilt the way SQLite documents it (create the new
 * table, copy, drop, rename, recreate the indexes, check foreign keys). The caller runs migrations with foreign
 * keys off (src/db/connection.ts), else dropping the old table would cascade-delete every child row; this
 * migration checks the references itself before it commits. The new definition is the stored one with the
 * status list changed, so every other column and constraint stays exactly as it was.
 */
const BEFORE = `'INITIALIZED', 'SKIPPED', 'DOWNLOADING', 'DOWNLOADED', 'PROCESSING', 'PROCESSED', 'TRANSCRIBING', 'TRANSCRIBED', 'UPLOADING', 'UPLOADED', 'READY', 'EXPIRED'`
const AFTER = `'PENDING_SOURCE', ${BEFORE}`

async function rebuildRecordings(db: Kysely<any>, from: string, to: string): Promise<void> {
  const fkOn = await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(db)
  if (fkOn.rows[0]?.foreign_keys !== 0) throw new Error('the recordings table can only be rebuilt with foreign keys off')
  const table = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'recordings'`.execute(db)
  const ddl = table.rows[0]?.sql
  if (ddl === undefined || !ddl.includes(`("status" in (${from}))`)) throw new Error('unexpected definition of the recordings table')
  const indexes = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'recordings' AND sql IS NOT NULL`.execute(db)
  const next = ddl.replace(`("status" in (${from}))`, `("status" in (${to}))`).replace(/^CREATE TABLE "recordings"/, 'CREATE TABLE "recordings_next"')
  await sql.raw(next).execute(db)
  await sql`INSERT INTO recordings_next SELECT * FROM recordings`.execute(db)
  await sql`DROP TABLE recordings`.execute(db)
  await sql`ALTER TABLE recordings_next RENAME TO recordings`.execute(db)
  for (const index of indexes.rows) await sql.raw(index.sql).execute(db)
  const broken = await sql`PRAGMA foreign_key_check`.execute(db)
  if (broken.rows.length > 0) throw new Error(`rebuilding recordings broke ${broken.rows.length} references`)
}

export async function up(db: Kysely<any>): Promise<void> {
  await rebuildRecordings(db, BEFORE, AFTER)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`UPDATE recordings SET status = 'SKIPPED' WHERE status = 'PENDING_SOURCE'`.execute(db)
  await rebuildRecordings(db, AFTER, BEFORE)
}
