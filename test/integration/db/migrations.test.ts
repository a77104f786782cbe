import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { migrations } from '../../../migrations/index.js'
import { openDatabase } from '../../../src/db/connection.js'
import { latestSchemaVersion } from '../../../src/db/migrate.js'
import { systemScope } from '../../../src/db/scope.js'
import { tempDatabase, type TempDatabase } from './temp-db.js'

const TABLES = [
  'users',
  'refresh_tokens',
  'user_credentials',
  'user_configs',
  'subscription_plans',
  'user_subscriptions',
  'quota_usage',
  'quota_change_history',
  'quota_counted_recordings',
  'quota_recording_storage',
  'input_sources',
  'recordings',
  'source_metadata',
  'recording_templates',
  'output_presets',
  'output_targets',
  'processing_stages',
  'topic_sets',
  'automation_jobs',
  'automation_job_runs',
  'tasks',
  'task_events',
]

const GB = 1024 ** 3
let current: TempDatabase | undefined
afterEach(async () => {
  await current?.cleanup()
  current = undefined
})

describe('opening a fresh database file', () => {
  it('creates every table of the data model', async () => {
    current = await tempDatabase()
    const rows = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(current.database.db)
    const names = rows.rows.map((r) => r.name)
    for (const table of TABLES) expect(names).toContain(table)
  })

  it('reports the schema version as the last migration applied', async () => {
    current = await tempDatabase()
    expect(current.database.schemaVersion).toBe(latestSchemaVersion())
    expect(Object.keys(migrations).sort().at(-1)).toBe(current.database.schemaVersion)
  })

  it('seeds the four plans with the exact limits and prices', async () => {
    current = await tempDatabase()
    const plans = await systemScope(current.database.db).plans.list()
    const pick = plans.map((p) => ({
      name: p.name,
      recordings: p.included_recordings_per_month,
      storage: p.included_storage_bytes,
      concurrent: p.max_concurrent_tasks,
      jobs: p.max_automation_jobs,
      interval: p.min_automation_interval_hours,
      price: p.price_monthly_cents,
      overage: p.overage_price_per_recording_cents,
      active: p.is_active,
    }))
    expect(pick).toEqual([
      { name: 'free', recordings: 10, storage: 5 * GB, concurrent: 1, jobs: 0, interval: null, price: 0, overage: 50, active: true },
      { name: 'plus', recordings: 50, storage: 25 * GB, concurrent: 2, jobs: 3, interval: 6, price: 1000, overage: 40, active: true },
      { name: 'pro', recordings: 200, storage: 100 * GB, concurrent: 5, jobs: 10, interval: 1, price: 3000, overage: 30, active: true },
      { name: 'enterprise', recordings: null, storage: null, concurrent: 10, jobs: null, interval: 1, price: null, overage: null, active: true },
    ])
  })

  it('sets WAL, foreign keys, busy timeout and synchronous=NORMAL on the connection', async () => {
    current = await tempDatabase()
    const db = current.database.db
    const one = async (pragma: string) => Object.values((await sql.raw(`pragma ${pragma}`).execute(db)).rows[0] as object)[0]
    expect(await one('journal_mode')).toBe('wal')
    expect(await one('foreign_keys')).toBe(1)
    expect(await one('busy_timeout')).toBe(5000)
    expect(await one('synchronous')).toBe(1)
  })
})

describe('re-opening a database', () => {
  it('applies nothing the second time and keeps the seeded rows as they were', async () => {
    current = await tempDatabase()
    const before = await current.database.db.selectFrom('subscription_plans').selectAll().orderBy('id').execute()
    await current.database.close()

    const again = await openDatabase(current.file)
    try {
      expect(again.schemaVersion).toBe(latestSchemaVersion())
      const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(again.db)
      expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort())
      expect(await again.db.selectFrom('subscription_plans').selectAll().orderBy('id').execute()).toEqual(before)
    } finally {
      await again.close()
    }
  })

  it('opens an up-to-date database while another connection holds the write lock (the check only reads)', async () => {
    current = await tempDatabase()
    await current.database.close()
    const writer = new BetterSqlite3(current.file)
    writer.exec('BEGIN IMMEDIATE')
    try {
      // The full migrator would take an IMMEDIATE transaction and wait out busy_timeout (5 s), then fail.
      const started = performance.now()
      const again = await openDatabase(current.file)
      expect(again.schemaVersion).toBe(Object.keys(migrations).sort().at(-1))
      expect(performance.now() - started).toBeLessThan(4000)
      await again.close()
    } finally {
      writer.exec('ROLLBACK')
      writer.close()
    }
  })

  it('opens an up-to-date database read-only and refuses writes through it', async () => {
    current = await tempDatabase()
    const reader = await openDatabase(current.file, { readonly: true })
    try {
      expect(reader.schemaVersion).toBe(latestSchemaVersion())
      await expect(systemScope(reader.db).users.create({ email: 'a@example.com' })).rejects.toThrow(/readonly/i)
    } finally {
      await reader.close()
    }
  })

  it('refuses to open a missing file read-only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-'))
    try {
      await expect(openDatabase(path.join(dir, 'missing.db'), { readonly: true })).rejects.toMatchObject({ code: 'internal' })
      expect(fs.existsSync(path.join(dir, 'missing.db'))).toBe(false)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses a database written by a newer recflow, with a hint to upgrade', async () => {
    current = await tempDatabase()
    await sql`insert into kysely_migration (name, timestamp) values ('9999_future', '2099-01-01T00:00:00.000Z')`.execute(
      current.database.db,
    )
    await current.database.close()
    await expect(openDatabase(current.file)).rejects.toMatchObject({ code: 'internal', hint: expect.stringMatching(/newer recflow/) })
  })
})

describe('the initial migration', () => {
  it('drops every table on the way down, so it can be re-applied', async () => {
    current = await tempDatabase()
    const m = migrations['0001_initial']
    if (m?.down === undefined) throw new Error('0001_initial has no down')
    // Migrations run with foreign keys off (src/db/connection.ts): 0005 rebuilds a parent table.
    await sql`PRAGMA foreign_keys = OFF`.execute(current.database.db)
    await current.database.db.transaction().execute(async (tx) => {
      // The later migrations go down first, newest first, as a real rollback would run them.
      for (const name of Object.keys(migrations).sort().reverse()) await migrations[name]!.down!(tx)
      const left = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'kysely%' and name not like 'sqlite%'`.execute(tx)
      expect(left.rows).toEqual([])
      await m.up(tx)
    })
    await sql`PRAGMA foreign_keys = ON`.execute(current.database.db)
    expect(await systemScope(current.database.db).plans.list()).toHaveLength(4)
  })
})
