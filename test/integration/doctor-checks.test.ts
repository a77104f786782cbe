import fs from 'node:fs'
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../src/app.js'
import { forUser } from '../../src/db/index.js'
import { loadRuntimeEnv } from '../../src/platform/config.js'
import { silentLogger } from '../../src/platform/logger.js'
import { EncryptedFileStore } from '../../src/platform/secrets.js'
import { makeTempDir, removeDir } from '../fixtures/media/generate.js'

/* `doctor` looks at what it reports (issue 7, item 1): the database's integrity, the secret store, real modes. */

let home: string | undefined
let app: App | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
  removeDir(home)
})

const openApp = async (secretStore = 'file') => {
  home ??= makeTempDir()
  app = await createApp(loadRuntimeEnv({ RECFLOW_HOME: home, PATH: process.env.PATH, RECFLOW_SECRET_STORE: secretStore }), { logger: silentLogger })
  return app
}
const check = async (name: string) => {
  const report = await (await app!.service('doctor')).run(app!.localUser)
  return { report, check: report.checks.find((c) => c.name === name)! }
}

/** Rewrites bytes inside an index page of the file, so SQLite's integrity check finds rows missing from it. */
function corruptAnIndex(file: string): void {
  const db = new BetterSqlite3(file)
  db.exec('create table filler (x text); create index filler_x on filler (x);')
  const insert = db.prepare('insert into filler values (?)')
  for (let i = 0; i < 50; i++) insert.run(`value ${i}`)
  db.pragma('wal_checkpoint(TRUNCATE)')
  const { rootpage } = db.prepare(`select rootpage from sqlite_master where name = 'filler_x'`).get() as { rootpage: number }
  const pageSize = db.pragma('page_size', { simple: true }) as number
  db.close()
  const fd = fs.openSync(file, 'r+')
  const buf = Buffer.alloc(300)
  fs.readSync(fd, buf, 0, 300, rootpage * pageSize - 300)
  fs.writeSync(fd, Buffer.from(buf.toString('latin1').replace(/value/g, 'VALUE'), 'latin1'), 0, 300, rootpage * pageSize - 300)
  fs.closeSync(fd)
}

describe('doctor', () => {
  it('reports a sound database with its mode, and fails one that fails PRAGMA integrity_check', async () => {
    await openApp()
    const sound = await check('database')
    expect(sound.check).toMatchObject({ ok: true, detail: expect.stringMatching(/mode 0600\), integrity ok/) })
    await app!.close()
    app = undefined

    corruptAnIndex(path.join(home!, 'data', 'recflow.db'))
    await openApp()
    const { report, check: db } = await check('database')
    expect(report.ok).toBe(false)
    expect(db.ok).toBe(false)
    expect(db.detail).toMatch(/fails the integrity check: row \d+ missing from index filler_x/)
    expect(db.hint).toMatch(/restore .* from a backup/)
  })

  it('fails a secret store it cannot read, and names the file', async () => {
    await openApp()
    await new EncryptedFileStore(app!.env.configDir).set('zoom:main', 'token')
    fs.writeFileSync(path.join(app!.env.configDir, 'secrets.enc.json'), '{ not json')
    const { check: store } = await check('secret store')
    expect(store.ok).toBe(false)
    expect(store.detail).toContain('secrets.enc.json cannot be read')
  })

  it('fails a secret store whose key does not open its secrets', async () => {
    await openApp()
    await new EncryptedFileStore(app!.env.configDir).set('zoom:main', 'token')
    fs.writeFileSync(path.join(app!.env.configDir, 'secrets.key'), Buffer.alloc(32, 7).toString('base64'), { mode: 0o600 })
    const { check: store } = await check('secret store')
    expect(store.ok).toBe(false)
    expect(store.detail).toMatch(/cannot be decrypted/)
  })

  it('reports the real modes of the key file and folder, and fails loose ones', async () => {
    await openApp()
    const dir = app!.env.configDir
    await new EncryptedFileStore(dir).set('zoom:main', 'token')
    const tight = await check('secret store')
    expect(tight.check).toMatchObject({ ok: true, detail: expect.stringMatching(/config 0700, secrets\.key 0600, secrets\.enc\.json 0600/) })

    fs.chmodSync(path.join(dir, 'secrets.key'), 0o644)
    fs.chmodSync(dir, 0o755)
    const { report, check: store } = await check('secret store')
    expect(report.ok).toBe(false)
    expect(store.ok).toBe(false)
    expect(store.detail).toContain(`${path.join(dir, 'secrets.key')} has mode 0644`)
    expect(store.detail).toContain(`${dir} has mode 0755`)
    // Only real modes: no fixed "mode 0600" beside a key file that is 0644.
    expect(store.detail).not.toMatch(/mode 0600/)
    expect(store.hint).toContain(`chmod 600 ${path.join(dir, 'secrets.key')}`)
    expect(report.secretStore?.modes).toMatchObject({ [path.join(dir, 'secrets.key')]: '0644', [dir]: '0755' })
  })

  it('checks the credential key file of daemon mode (readable, whole, mode 0600), not only the file store beside it', async () => {
    await openApp('database')
    const file = path.join(app!.env.configDir, 'credential-keys.json')
    expect((await check('credential keys')).check).toMatchObject({ ok: true, detail: expect.stringContaining('no key yet') })
    await (await app!.service('credentialKeys')).ensure()
    expect((await check('credential keys')).check).toMatchObject({ ok: true, detail: `${file} (1 key, current k1, mode 0600)` })

    fs.chmodSync(file, 0o644)
    const loose = await check('credential keys')
    expect(loose.report.ok).toBe(false)
    expect(loose.check).toMatchObject({ ok: false, detail: expect.stringContaining(`${file} has mode 0644`), hint: `chmod 600 ${file}` })

    fs.writeFileSync(file, '{ "version": 1 }')
    fs.chmodSync(file, 0o600)
    expect((await check('credential keys')).check).toMatchObject({ ok: false, detail: expect.stringContaining('is damaged'), hint: expect.stringMatching(/backup/) })
  })

  it('leaves the credential key check out where daemon mode was never used', async () => {
    await openApp()
    expect((await check('credential keys')).check).toBeUndefined()
  })

  it('fails a stored config layer that no longer validates, naming the key and the commands that repair it', async () => {
    await openApp()
    expect((await check('config')).check).toMatchObject({ ok: true, detail: 'defaults only (nothing stored)' })
    const scope = forUser(app!.database.db, app!.localUser.id)
    await scope.configs.set({ processing: { padding_before: 2 } })
    expect((await check('config')).check).toMatchObject({ ok: true, detail: 'your stored settings are valid' })

    // As an older recflow or a hand edit could leave it: written past the validation.
    await scope.configs.set({ processing: { padding_before: -3 } } as never)
    const { report, check: config } = await check('config')
    expect(report.ok).toBe(false)
    expect(config.ok).toBe(false)
    expect(config.detail).toMatch(/processing\.padding_before/)
    expect(config.hint).toMatch(/`recflow config unset KEY`.*`recflow config reset`/)
    // The other checks still ran.
    expect(report.checks.find((c) => c.name === 'database')).toMatchObject({ ok: true })
  })
})
