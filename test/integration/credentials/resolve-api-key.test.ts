import { describe, expect, it } from 'vitest'
import { resolveApiKey } from '../../../src/services/credentials/resolve-api-key.js'
import { systemScope } from '../../../src/db/index.js'
import { EncryptedFileStore } from '../../../src/platform/secrets.js'
import { addApiKey, credentialDeps } from '../../support/credentials.js'
import { useTestApp } from '../../support/test-app.js'
import { failure } from '../../support/failure.js'

const t = useTestApp()

/** The deps resolveApiKey needs, over the test app's database and its home's encrypted-file store. */
const deps = () => credentialDeps(t.app)

describe('resolveApiKey', () => {
  it('with no credential of the kind: an auth error with the hint to add one', async () => {
    const e = await failure(resolveApiKey(deps(), t.app.localUser, 'fireworks', null))
    expect(e.code).toBe('auth')
    expect(e.hint).toContain('recflow credentials add fireworks')
  })

  it('the only credential of a kind is the default; its key comes from the secret store and its base URL with it', async () => {
    const id = await addApiKey(t.app, { kind: 'deepseek', apiKey: 'sk-deepseek-only-1', baseUrl: 'http://127.0.0.1:9/v1/' })
    const got = await resolveApiKey(deps(), t.app.localUser, 'deepseek', null)
    expect(got).toEqual({ credentialId: id, access: { apiKey: 'sk-deepseek-only-1', baseUrl: 'http://127.0.0.1:9/v1' } })
    expect(await resolveApiKey(deps(), t.app.localUser, 'deepseek', id)).toEqual(got)
  })

  it('several of a kind and no id: a clear error naming them and the config key; an id picks one', async () => {
    const a = await addApiKey(t.app, { kind: 'fireworks', apiKey: 'fw-key-aaaa', name: 'lab' })
    const b = await addApiKey(t.app, { kind: 'fireworks', apiKey: 'fw-key-bbbb' })
    const e = await failure(resolveApiKey(deps(), t.app.localUser, 'fireworks', null))
    expect(e.code).toBe('validation')
    expect(e.message).toContain(`${a} "lab"`)
    expect(e.message).toContain(`${b} "fireworks"`)
    expect(e.message).toContain('transcription.credential_id')
    expect(e.hint).toContain('recflow config set transcription.credential_id')
    expect(e.message + e.hint).not.toContain('fw-key')
    expect((await resolveApiKey(deps(), t.app.localUser, 'fireworks', b)).access.apiKey).toBe('fw-key-bbbb')
  })

  it('an id of another kind, a missing id, or another user\'s id is not found', async () => {
    const deepseek = (await resolveApiKey(deps(), t.app.localUser, 'deepseek', null)).credentialId
    expect((await failure(resolveApiKey(deps(), t.app.localUser, 'openai', deepseek))).code).toBe('not_found')
    expect((await failure(resolveApiKey(deps(), t.app.localUser, 'deepseek', 9999))).code).toBe('not_found')
    const other = await systemScope(t.app.database.db).users.create({ email: 'other@example.org' })
    expect((await failure(resolveApiKey(deps(), { id: other.id, timezone: 'UTC' }, 'deepseek', deepseek))).code).toBe('not_found')
  })
})

describe('resolveApiKey with the store switched', () => {
  it('a key in another secret store than this run uses: an auth error saying which store', async () => {
    const id = await addApiKey(t.app, { kind: 'openai', apiKey: 'sk-openai-1' })
    const keychainDeps = { ...deps(), secrets: async () => ({ ...new EncryptedFileStore(t.app.env.configDir), kind: 'keychain' as const }) as never }
    const e = await failure(resolveApiKey(keychainDeps, t.app.localUser, 'openai', id))
    expect(e.code).toBe('auth')
    expect(e.message).toContain('encrypted-file')
    expect(e.hint).toContain('RECFLOW_SECRET_STORE=file')
  })
})

describe('the credentials service across users', () => {
  it("another user's credential is not found by show, test or remove, and stays", async () => {
    const id = await addApiKey(t.app, { kind: 'fireworks', apiKey: 'fw-key-mine', name: 'mine' })
    const intruder = await systemScope(t.app.database.db).users.create({ email: 'intruder@example.org' })
    const as = { id: intruder.id, timezone: 'UTC' }
    const credentials = await t.app.service('credentials')
    for (const call of [() => credentials.show(as, id), () => credentials.test(as, id), () => credentials.remove(as, id, { force: true })]) {
      expect((await failure(call())).code).toBe('not_found')
    }
    expect(await credentials.list(as)).toEqual([])
    expect((await credentials.show(t.app.localUser, id)).name).toBe('mine')
  })
})
