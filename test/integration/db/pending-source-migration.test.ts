import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { migrations } from '../../../migrations/index.js'
import { systemScope } from '../../../src/db/scope.js'
import { tempDatabase, type TempDatabase } from './temp-db.js'

let current: TempDatabase | undefined
afterEach(async () => {
  await current?.cleanup()
  current = undefined
})

describe('migration 0005_pending_source', () => {
  it('rebuilds recordings so PENDING_SOURCE is a status, keeping every row, child row and index', async () => {
    current = await tempDatabase()
    const db = current.database.db
    const user = await systemScope(db).users.ensureLocalUser()
    const now = '2026-01-01T00:00:00Z'
    const insertRecording = (id: number, status: string) =>
      sql`insert into recordings (id, user_id, display_name, start_time, status, created_at, updated_at)
          values (${id}, ${user.id}, ${`rec ${id}`}, ${now}, ${status}, ${now}, ${now})`.execute(db)
    await insertRecording(1, 'INITIALIZED')
    await sql`insert into source_metadata (user_id, recording_id, metadata, created_at, updated_at) values (${user.id}, 1, '{"a":1}', ${now}, ${now})`.execute(db)
    await insertRecording(2, 'PENDING_SOURCE')
    const m = migrations['0005_pending_source']!
    const count = async (table: string) => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]!.n)
    const indexes = async () =>
      (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'recordings' order by name`.execute(db)).rows.map((r) => r.name)
    const before = await indexes()

    await sql`PRAGMA foreign_keys = OFF`.execute(db)
    await m.down!(db)
    expect((await sql<{ status: string }>`select status from recordings where id = 2`.execute(db)).rows[0]!.status).toBe('SKIPPED')
    await expect(insertRecording(3, 'PENDING_SOURCE')).rejects.toThrow(/CHECK constraint/)
    await m.up(db)
    await sql`PRAGMA foreign_keys = ON`.execute(db)

    await insertRecording(3, 'PENDING_SOURCE')
    await expect(insertRecording(4, 'NOT_A_STATUS')).rejects.toThrow(/CHECK constraint/)
    expect(await count('recordings')).toBe(3)
    expect(await count('source_metadata')).toBe(1)
    expect(await indexes()).toEqual(before)
    // The child's foreign key still points at the rebuilt table: deleting the parent cascades.
    await sql`delete from recordings where id = 1`.execute(db)
    expect(await count('source_metadata')).toBe(0)
  })

  it('refuses to rebuild with foreign keys on (the drop would cascade)', async () => {
    current = await tempDatabase()
    await expect(migrations['0005_pending_source']!.down!(current.database.db)).rejects.toThrow(/foreign keys off/)
  })
})
