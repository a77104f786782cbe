import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { forUser, systemScope, type UserScope } from '../../../src/db/scope.js'
import { tempDatabase, type TempDatabase } from './temp-db.js'

let t: TempDatabase
let a: UserScope

beforeEach(async () => {
  t = await tempDatabase()
  a = forUser(t.database.db, (await systemScope(t.database.db).users.create({ email: 'a@example.com' })).id)
})
afterEach(() => t.cleanup())

describe('64-bit byte sizes', () => {
  it('round-trips 6_000_000_000 bytes (beyond int32) and stores them as an integer', async () => {
    const rec = await a.recordings.create({ display_name: 'big', start_time: '2024-01-01T00:00:00Z', size_bytes: 6_000_000_000 })
    expect((await a.recordings.get(rec.id))?.size_bytes).toBe(6_000_000_000)
    const stored = await sql<{ kind: string; v: number }>`select typeof(size_bytes) as kind, size_bytes as v from recordings where id = ${rec.id}`.execute(t.database.db)
    expect(stored.rows[0]).toEqual({ kind: 'integer', v: 6_000_000_000 })
  })

  it('adds storage usage past 4 GiB without wrapping', async () => {
    await a.quota.addUsage('202405', { storage_bytes: 3_000_000_000 })
    const usage = await a.quota.addUsage('202405', { storage_bytes: 3_000_000_000 })
    expect(usage.storage_bytes).toBe(6_000_000_000)
  })

  it('round-trips the largest exactly representable size', async () => {
    const rec = await a.recordings.create({ display_name: 'max', start_time: '2024-01-01T00:00:00Z', size_bytes: Number.MAX_SAFE_INTEGER })
    expect((await a.recordings.get(rec.id))?.size_bytes).toBe(Number.MAX_SAFE_INTEGER)
  })

  it('refuses to read a stored size JavaScript cannot represent exactly, instead of rounding it', async () => {
    const rec = await a.recordings.create({ display_name: 'huge', start_time: '2024-01-01T00:00:00Z' })
    await sql`update recordings set size_bytes = 9007199254740993 where id = ${rec.id}`.execute(t.database.db)
    await expect(a.recordings.get(rec.id)).rejects.toMatchObject({ code: 'internal' })
  })

  it('rejects negative, fractional and unsafe sizes on write', async () => {
    for (const size_bytes of [-1, 1.5, 2 ** 53]) {
      await expect(
        a.recordings.create({ display_name: 'bad', start_time: '2024-01-01T00:00:00Z', size_bytes }),
      ).rejects.toMatchObject({ code: 'validation' })
    }
  })
})
