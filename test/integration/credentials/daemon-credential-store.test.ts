import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../../src/app.js'
import { systemScope } from '../../../src/db/index.js'
import type { UserRef } from '../../../src/services/context.js'
import { readOAuthSecret, writeRefreshedTokens } from '../../../src/services/credentials/oauth-secrets.js'
import { resolveApiKey } from '../../../src/services/credentials/resolve-api-key.js'
import { webhookSecretTokens } from '../../../src/services/zoom-webhooks/webhook-secrets.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'
import { credentialDeps } from '../../support/credentials.js'
import { runCommandInProcess } from '../../support/run-in-process.js'
import { seedOAuthCredential } from '../../support/oauth.js'
import { databaseText } from '../../support/oauth-store.js'
import { openTestApp } from '../../support/test-app.js'
import { failure } from '../../support/failure.js'

/*
 * Daemon mode (RECFLOW_SECRET_STORE=database): credential secrets sealed into their rows with the credential
 * keyring (AES-256-GCM, key file credential-keys.json 0600), rotation with lazy and eager re-sealing.
 */

let home: string
let app: App
beforeAll(async () => {
  home = makeTempDir()
  app = await openTestApp(home, { RECFLOW_SECRET_STORE: 'database' })
})
afterAll(async () => {
  await app?.close()
  if (home) removeDir(home)
})

const keyFile = () => path.join(app.env.configDir, 'credential-keys.json')
const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8)
const rowOf = (id: number) => app.database.db.selectFrom('user_credentials').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

/** The deps createApp wires (sealed new secrets unless told otherwise). */
const deps = (sealNewSecrets = true) => credentialDeps(app, { sealNewSecrets })

async function addKey(kind: 'fireworks' | 'openai' | 'deepseek' | 'zoom-webhook', apiKey: string, user: UserRef = app.localUser) {
  return (await (await app.service('credentials')).add(user, { kind, apiKey, name: `${kind}-${apiKey.slice(-4)}` })).id
}

describe('credentials sealed in the database', () => {
  it('round trip: the key is sealed into its row with db:k1, never in the clear, never in the secret file', async () => {
    const id = await addKey('deepseek', 'sk-sealed-roundtrip-0001')
    const row = await rowOf(id)
    expect(row.key_id).toBe('db:k1')
    expect(row.encrypted_data).not.toContain('sk-sealed-roundtrip-0001')
    expect(JSON.parse(row.encrypted_data).secret).toMatch(/^v1\./)
    expect(databaseText(app)).not.toContain('sk-sealed-roundtrip-0001')
    expect(fs.existsSync(path.join(app.env.configDir, 'secrets.enc.json'))).toBe(false)
    expect((await resolveApiKey(deps(), app.localUser, 'deepseek', id)).access.apiKey).toBe('sk-sealed-roundtrip-0001')
    // The view names where it is (the key id), never the key; a Zoom webhook token is read back the same way.
    const view = await (await app.service('credentials')).show(app.localUser, id)
    expect(view.store).toBe('db:k1')
    expect(JSON.stringify(view)).not.toContain('sk-sealed')
    await addKey('zoom-webhook', 'whsec-sealed-0002')
    expect(await webhookSecretTokens(deps(), app.localUser)).toEqual(['whsec-sealed-0002'])
  })

  it('the key file and its folder are private (0600, 0700), and hold no key id the rows do not use as db:<id>', () => {
    expect(mode(keyFile())).toBe('600')
    expect(mode(path.dirname(keyFile()))).toBe('700')
    const doc = JSON.parse(fs.readFileSync(keyFile(), 'utf8'))
    expect(doc.current).toBe('k1')
    expect(Buffer.from(doc.keys.k1, 'base64')).toHaveLength(32)
  })

  it('OAuth tokens: sealed at sign-in, read back, refreshed tokens sealed again; none in the database text', async () => {
    const id = await seedOAuthCredential(app, {
      platform: 'youtube',
      accessToken: 'ya29.sealed-access-1',
      refreshToken: '1//sealed-refresh-1',
      expiresAt: new Date(Date.now() + 3_600_000),
      clientId: 'client-1',
      clientSecret: 'GOCSPX-sealed-client',
      accountName: 'Sealed channel',
    })
    const row = await rowOf(id)
    expect(row.key_id).toBe('db:k1')
    const current = await readOAuthSecret(deps(), row)
    expect(current.secret).toMatchObject({ access_token: 'ya29.sealed-access-1', refresh_token: '1//sealed-refresh-1', client_secret: 'GOCSPX-sealed-client' })
    await writeRefreshedTokens(deps(), app.localUser, row, current, { accessToken: 'ya29.sealed-access-2', refreshToken: null, expiresAt: null, scopes: [] })
    const again = await readOAuthSecret(deps(), await rowOf(id))
    expect(again.secret).toMatchObject({ access_token: 'ya29.sealed-access-2', refresh_token: '1//sealed-refresh-1' })
    const text = databaseText(app)
    for (const secret of ['ya29.sealed-access', '1//sealed-refresh-1', 'GOCSPX-sealed-client']) expect(text).not.toContain(secret)
  })

  it('a tampered row, or a sealed value moved to another user, fails with a clear auth error that holds no secret', async () => {
    const id = await addKey('openai', 'sk-tamper-me-0003')
    const row = await rowOf(id)
    const ref = JSON.parse(row.encrypted_data)
    const parts = ref.secret.split('.')
    parts[3] = Buffer.from('sk-forged-0000000').toString('base64url')
    await app.database.db
      .updateTable('user_credentials')
      .set({ encrypted_data: JSON.stringify({ ...ref, secret: parts.join('.') }) })
      .where('id', '=', id)
      .execute()
    const e = await failure(resolveApiKey(deps(), app.localUser, 'openai', id))
    expect(e.code).toBe('auth')
    expect(e.message).toContain(`credential ${id} cannot be decrypted`)
    expect(e.hint).toContain('recflow credentials add openai')
    expect(JSON.stringify({ m: e.message, h: e.hint })).not.toContain('sk-')

    // The other user's row gets this user's sealed value verbatim: bound to its owner, it does not open there.
    const other = await systemScope(app.database.db).users.create({ email: 'moved@example.org' })
    const theirs = await addKey('openai', 'sk-theirs-00000004', { id: other.id, timezone: 'UTC' })
    const mine = await addKey('openai', 'sk-mine-000000005')
    await app.database.db.updateTable('user_credentials').set({ encrypted_data: (await rowOf(mine)).encrypted_data }).where('id', '=', theirs).execute()
    expect((await failure(resolveApiKey(deps(), { id: other.id, timezone: 'UTC' }, 'openai', theirs))).message).toContain('cannot be decrypted')
  })

  it("another user's credential id is not found by show, test and remove, and stays", async () => {
    const id = await addKey('fireworks', 'fw-owned-000006')
    const intruder = { id: (await systemScope(app.database.db).users.create({ email: 'intruder@example.org' })).id, timezone: 'UTC' }
    const credentials = await app.service('credentials')
    for (const call of [() => credentials.show(intruder, id), () => credentials.test(intruder, id), () => credentials.remove(intruder, id, { force: true })]) {
      expect((await failure(call())).code).toBe('not_found')
    }
    expect((await resolveApiKey(deps(), intruder, 'fireworks', id).catch((e: unknown) => e)) as { code?: string }).toMatchObject({ code: 'not_found' })
    expect((await resolveApiKey(deps(), app.localUser, 'fireworks', id)).access.apiKey).toBe('fw-owned-000006')
  })

  it('rotate-key: new writes use k2, an old row is re-sealed on read; --reencrypt-now re-seals the rest (CLI, --json holds no key)', async () => {
    const old1 = await addKey('deepseek', 'sk-before-rotation-7')
    const old2 = await addKey('deepseek', 'sk-before-rotation-8')
    const rotated = await runCommandInProcess(['daemon', 'rotate-key'], { home, env: { RECFLOW_SECRET_STORE: 'database' } })
    expect(rotated.code).toBe(0)
    expect(rotated.stdout).toContain('The credential key db:k2 is current; db:k1 and older keys stay for reading.')
    expect(mode(keyFile())).toBe('600')
    const keys = JSON.parse(fs.readFileSync(keyFile(), 'utf8')).keys
    for (const k of Object.values(keys)) expect(rotated.stdout).not.toContain(k as string)

    const fresh = await addKey('deepseek', 'sk-after-rotation-09')
    expect((await rowOf(fresh)).key_id).toBe('db:k2')
    // Lazy: reading the old row re-seals it with k2 (same key inside, new ciphertext).
    const before = await rowOf(old1)
    expect(before.key_id).toBe('db:k1')
    expect((await resolveApiKey(deps(), app.localUser, 'deepseek', old1)).access.apiKey).toBe('sk-before-rotation-7')
    const after = await rowOf(old1)
    expect(after.key_id).toBe('db:k2')
    expect(after.encrypted_data).not.toBe(before.encrypted_data)
    expect((await resolveApiKey(deps(), app.localUser, 'deepseek', old1)).access.apiKey).toBe('sk-before-rotation-7')

    // Eager: a second rotation with --reencrypt-now leaves no row on an old key (text output).
    const eager = await runCommandInProcess(['daemon', 'rotate-key', '--reencrypt-now', '--json'], { home, env: { RECFLOW_SECRET_STORE: 'database' } })
    expect(eager.code).toBe(0)
    const stale = await app.database.db.selectFrom('user_credentials').select('id').where('key_id', 'like', 'db:%').where('key_id', '!=', 'db:k3').execute()
    // Only the two rows the tamper test broke stay on an old key (they cannot be opened); every other one moved.
    expect(stale).toHaveLength(2)
    expect(eager.json.data).toMatchObject({ current: 'db:k3', previous: 'db:k2', failed: stale.map((r) => r.id) })
    expect(eager.json.data.reencrypted).toBeGreaterThanOrEqual(5)
    for (const k of Object.values(JSON.parse(fs.readFileSync(keyFile(), 'utf8')).keys)) expect(eager.stdout).not.toContain(k as string)
    expect((await rowOf(old2)).key_id).toBe('db:k3')
    expect((await resolveApiKey(deps(), app.localUser, 'deepseek', old2)).access.apiKey).toBe('sk-before-rotation-8')
  })

  it('the CLI mode is unchanged: new keys go to the secret store, and sealed rows stay readable there', async () => {
    const cli = await openTestApp(home)
    try {
      const id = (await (await cli.service('credentials')).add(cli.localUser, { kind: 'fireworks', apiKey: 'fw-cli-mode-00010', name: 'cli' })).id
      expect((await rowOf(id)).key_id).toBe('encrypted-file')
      expect(fs.existsSync(path.join(cli.env.configDir, 'secrets.enc.json'))).toBe(true)
      const sealed = await addKey('openai', 'sk-read-by-cli-011')
      expect((await resolveApiKey(deps(false), cli.localUser, 'openai', sealed)).access.apiKey).toBe('sk-read-by-cli-011')
    } finally {
      await cli.close()
    }
  })
})
