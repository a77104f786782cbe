import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../../../src/db/connection.js'
import { systemScope } from '../../../src/db/scope.js'
import { inTransaction } from '../../../src/db/transaction.js'
import { runCommandInProcess } from '../../support/run-in-process.js'
import { mountSmallDisk } from '../../support/small-disk.js'

let dir: string | undefined
let database: Database | undefined
afterEach(async () => {
  await database?.close()
  database = undefined
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

const tempDir = () => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-db-')))
const modeOf = (file: string) => fs.statSync(file).mode & 0o777

describe('the database file', () => {
  it('is created 0600 (and so are its WAL files) wherever it is, whatever the umask', async () => {
    const file = path.join(tempDir(), 'elsewhere', 'custom.db')
    fs.mkdirSync(path.dirname(file), { mode: 0o755 })
    database = await openDatabase(file)
    await systemScope(database.db).users.create({ email: 'mode@example.com' })
    expect(modeOf(file)).toBe(0o600)
    expect(modeOf(`${file}-wal`)).toBe(0o600)
  })

  it('leaves the mode of an existing file alone', async () => {
    const file = path.join(tempDir(), 'shared.db')
    fs.writeFileSync(file, '', { mode: 0o640 })
    fs.chmodSync(file, 0o640)
    database = await openDatabase(file)
    expect(modeOf(file)).toBe(0o640)
  })
})

describe('a full disk', () => {
  it('names the full disk and the database path, not "cannot rollback - no transaction is active"', async () => {
    const file = path.join(tempDir(), 'full.db')
    database = await openDatabase(file)
    const db = database.db
    await sql`create table filler (x blob)`.execute(db)
    const pages = Number(Object.values((await sql`pragma page_count`.execute(db)).rows[0] as object)[0])
    await sql.raw(`pragma max_page_count = ${pages + 2}`).execute(db)

    const error = await inTransaction(db, async (tx) => {
      for (let i = 0; i < 20; i++) await sql`insert into filler values (randomblob(65536))`.execute(tx)
    }).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string; hint?: string; cause?: { code?: string } },
    )
    expect(error?.message).not.toMatch(/cannot rollback/)
    expect(error?.message).toContain(`the disk holding the database at ${file} is full`)
    expect(error?.code).toBe('internal')
    expect(error?.hint).toMatch(/free some space/)
    expect(error?.cause?.code).toBe('SQLITE_FULL')
    // The connection is usable afterwards: nothing was left half-done.
    expect(await systemScope(db).users.create({ email: 'after@example.com' })).toMatchObject({ email: 'after@example.com' })
  })

  it('names the full disk when the database cannot even be opened (its WAL index cannot grow), not "disk I/O error"', async (ctx) => {
    const mount = path.join(tempDir(), 'disk')
    const unmount = mountSmallDisk(mount, '1m', ctx)
    if (!unmount) return
    try {
      const file = path.join(mount, 'recflow.db')
      await (await openDatabase(file)).close()
      // Whatever room is left goes to another file, as when a disk fills up between two commands.
      const fd = fs.openSync(path.join(mount, 'filler'), 'w')
      try {
        for (;;) fs.writeSync(fd, Buffer.alloc(4096))
      } catch (e) {
        expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC')
      } finally {
        fs.closeSync(fd)
      }
      const error = await openDatabase(file).then(
        (d) => (database = d, undefined),
        (e: unknown) => e as Error & { code?: string; hint?: string; cause?: { code?: string } },
      )
      expect(error?.message).toContain(`the disk holding the database at ${file} is full`)
      expect(error?.hint).toMatch(/free some space/)
      expect(error?.cause?.code).toMatch(/^SQLITE_(FULL|IOERR)/)

      // From the CLI: a command names the full disk (not a usage hint); doctor fails its database check and runs the rest.
      const home = path.join(dir!, 'home')
      fs.mkdirSync(home)
      const env = { RECFLOW_DB: file }
      const list = await runCommandInProcess(['templates', 'list'], { home, env })
      expect(list.code).toBe(1)
      expect(list.stderr).toContain(`Error: the disk holding the database at ${file} is full`)
      expect(list.stderr).toContain('Hint: free some space on that disk')
      const doctor = await runCommandInProcess(['doctor', '--json'], { home, env })
      expect(doctor.code).toBe(1)
      expect(doctor.json).toMatchObject({ ok: false, error: { code: 'doctor_failed', message: '1 check failed: database' } })
      expect(doctor.json.data.checks.find((c: { name: string }) => c.name === 'database')).toMatchObject({
        ok: false,
        detail: expect.stringContaining('is full'),
        hint: expect.stringMatching(/free some space/),
      })
    } finally {
      await database?.close()
      database = undefined
      unmount()
    }
  })
})

describe('a transaction', () => {
  it('holds the write lock from BEGIN (IMMEDIATE): no other process writes between its check and its write', async () => {
    const file = path.join(tempDir(), 'immediate.db')
    database = await openDatabase(file)
    const users = systemScope(database.db).users
    await users.create({ email: 'first@example.com' })
    const other = new BetterSqlite3(file, { timeout: 0 })
    try {
      const otherWrite = () => other.prepare(`update users set email = 'theirs@example.com' where email = 'first@example.com'`).run()
      await systemScope(database.db).transaction(async (tx) => {
        // Only a read so far: a deferred BEGIN would hold no lock yet, and the other write would go through.
        expect(await tx.users.findByEmail('first@example.com')).toBeDefined()
        expect(otherWrite).toThrow(/database is locked/)
        await tx.users.create({ email: 'second@example.com' })
      })
      expect(otherWrite().changes).toBe(1) // once it committed
    } finally {
      other.close()
    }
  })
})
