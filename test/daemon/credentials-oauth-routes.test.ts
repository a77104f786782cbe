import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startChatFake, type ChatFake } from '../fakes/chat.js'
import { GOOGLE_TEST_CLIENT, startGoogleFake, type GoogleFake } from '../fakes/google.js'
import { startVkIdFake, VK_APP_ID, VK_BLANK, type VkIdFake } from '../fakes/vk-id.js'
import { zoomWebhookSender } from '../fakes/zoom-webhook-sender.js'
import { useTestDaemon } from '../support/daemon.js'

/*
 * /credentials, /oauth/{platform}/authorize|callback and /webhooks/zoom over real HTTP, with the daemon in its
 * own mode (credentials sealed in the database) and Google's OAuth played by test/fakes/google.ts. PATCH
 * /credentials/{id}, GET /credentials/{id}/status, GET /oauth/vk/authorize/implicit and POST /credentials/vk: VK's
 * legacy OAuth and users.get played by test/fakes/vk-id.ts, a replaced key checked against test/fakes/chat.ts
 * (it accepts only the new key).
 */

/** A response's JSON body, untyped (the assertions say what it must hold). */
const json = (r: Response | Promise<Response>): Promise<any> => Promise.resolve(r).then((x) => x.json())

const RETURN = 'http://127.0.0.1:9/after-sign-in'
const OLD_KEY = 'sk-old-key-0000000001'
const NEW_KEY = 'sk-new-key-0000000002'
let google: GoogleFake
let vk: VkIdFake
let chat: ChatFake
beforeAll(async () => {
  ;[google, vk, chat] = await Promise.all([startGoogleFake(), startVkIdFake(), startChatFake({ keys: [NEW_KEY] })])
})
afterAll(async () => {
  await Promise.all([google?.close(), vk?.close(), chat?.close()])
})

const d = useTestDaemon(() => ({
  env: {
    ...google.env,
    RECFLOW_SECRET_STORE: 'database',
    RECFLOW_YOUTUBE_CLIENT_ID: GOOGLE_TEST_CLIENT.id,
    RECFLOW_YOUTUBE_CLIENT_SECRET: GOOGLE_TEST_CLIENT.secret,
    RECFLOW_PUBLIC_URL: 'http://127.0.0.1:8123',
    RECFLOW_OAUTH_RETURN_URL: RETURN,
    RECFLOW_VK_ID_URL: vk.idUrl,
    RECFLOW_VK_OAUTH_URL: vk.oauthUrl,
    RECFLOW_VK_API_URL: vk.apiUrl,
    RECFLOW_VK_CLIENT_ID: VK_APP_ID,
  },
}))

/** Starts a sign-in as `token`'s user and lets the fake Google consent: the callback query it redirects with. */
async function consent(token: string, opts: { deny?: boolean } = {}): Promise<{ state: string; query: string; authorizationUrl: URL }> {
  const res = await d.fetch('/api/v1/oauth/youtube/authorize', { token })
  expect(res.status).toBe(200)
  const body = await json(res)
  expect(body.expires_in).toBe(600)
  const authorizationUrl = new URL(body.authorization_url)
  const back = await fetch(authorizationUrl, { redirect: 'manual', headers: opts.deny ? { 'x-fake-consent': 'deny' } : {} })
  expect(back.status).toBe(302)
  const location = new URL(back.headers.get('location')!)
  expect(location.pathname).toBe('/api/v1/oauth/youtube/callback')
  return { state: body.state, query: location.search, authorizationUrl }
}

const callback = (query: string, init: { token?: string; platform?: string } = {}) =>
  fetch(`${d.url}/api/v1/oauth/${init.platform ?? 'youtube'}/callback${query}`, {
    redirect: 'manual',
    headers: init.token ? { authorization: `Bearer ${init.token}` } : {},
  })

const returnOf = (res: Response) => {
  expect(res.status).toBe(302)
  const url = new URL(res.headers.get('location')!)
  expect(`${url.origin}${url.pathname}`).toBe(RETURN)
  return Object.fromEntries(url.searchParams)
}

describe('web sign-in (OAuth authorize + callback)', () => {
  it('authorize sends PKCE S256 and a state; the callback trades the code (with the verifier), stores a sealed credential, 302 to the return URL', async () => {
    const alice = await d.user('alice-oauth@example.org')
    const { authorizationUrl, query, state } = await consent(alice.token)
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authorizationUrl.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(authorizationUrl.searchParams.get('state')).toBe(state)
    const result = returnOf(await callback(query))
    expect(result).toMatchObject({ status: 'success', platform: 'youtube' })
    // The fake refuses an exchange without the right code_verifier, so a success means it was sent.
    const list = await json(d.fetch('/api/v1/credentials?platform=youtube', { token: alice.token }))
    expect(list.items).toHaveLength(1)
    expect(list.items[0]).toMatchObject({ id: Number(result.credential_id), kind: 'youtube', store: 'db:k1' })
    const status = await json(d.fetch('/api/v1/credentials/status', { token: alice.token }))
    expect(status.items[0]).toMatchObject({ platform: 'youtube', needs_reauth: false, refreshes: true })
    const text = JSON.stringify([list, status])
    for (const t of [...google.accessTokens.keys(), ...google.refreshTokens.keys(), GOOGLE_TEST_CLIENT.secret]) expect(text).not.toContain(t)

    // Single use: the same callback again stores nothing.
    expect(returnOf(await callback(query))).toMatchObject({ status: 'error', error: 'invalid_state' })
  })

  it("error= from the provider, an unknown state, another platform's callback: nothing stored, error named", async () => {
    const bob = await d.user('bob-oauth@example.org')
    const denied = await consent(bob.token, { deny: true })
    expect(new URLSearchParams(denied.query).get('error')).toBe('access_denied')
    expect(returnOf(await callback(denied.query))).toMatchObject({ status: 'error', error: 'access_denied' })
    expect(returnOf(await callback('?code=x&state=forged'))).toMatchObject({ status: 'error', error: 'invalid_state' })
    const other = await consent(bob.token)
    expect(returnOf(await callback(other.query, { platform: 'zoom' }))).toMatchObject({ status: 'error', error: 'invalid_state' })
    // ...and that spent the state: it cannot be replayed on the right platform either.
    expect(returnOf(await callback(other.query))).toMatchObject({ status: 'error', error: 'invalid_state' })
    expect((await json(d.fetch('/api/v1/credentials', { token: bob.token }))).items).toEqual([])
  })

  it("a callback carrying another user's token binds the credential to the state's user only", async () => {
    const carol = await d.user('carol-oauth@example.org')
    const mallory = await d.user('mallory-oauth@example.org')
    const { query } = await consent(carol.token)
    const result = returnOf(await callback(query, { token: mallory.token }))
    expect(result.status).toBe('success')
    expect((await json(d.fetch('/api/v1/credentials', { token: mallory.token }))).items).toEqual([])
    expect((await d.fetch(`/api/v1/credentials/${result.credential_id}`, { token: mallory.token })).status).toBe(404)
    expect((await d.fetch(`/api/v1/credentials/${result.credential_id}`, { token: carol.token })).status).toBe(200)
  })

  it('an expired state (over 10 minutes) is refused', async () => {
    const dave = await d.user('dave-oauth@example.org')
    const { query } = await consent(dave.token)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 11 * 60_000)
    try {
      expect(returnOf(await callback(query))).toMatchObject({ status: 'error', error: 'expired_state' })
    } finally {
      vi.useRealTimers()
    }
  })

  it('authorize needs a token, a known platform, and a configured app', async () => {
    const erin = await d.user('erin-oauth@example.org')
    expect((await d.fetch('/api/v1/oauth/youtube/authorize')).status).toBe(401)
    expect((await d.fetch('/api/v1/oauth/myspace/authorize', { token: erin.token })).status).toBe(400)
    const zoom = await d.fetch('/api/v1/oauth/zoom/authorize', { token: erin.token })
    expect(zoom.status).toBe(422)
    expect((await json(zoom)).detail).toContain('RECFLOW_ZOOM_CLIENT_ID')
  })
})

describe('/credentials', () => {
  it('POST stores a key sealed (201, no secret back); GET lists and shows; another user gets 404; DELETE 409 while used, then with force', async () => {
    const frank = await d.user('frank-creds@example.org')
    const grace = await d.user('grace-creds@example.org')
    const created = await d.fetch('/api/v1/credentials', { token: frank.token, method: 'POST', body: { platform: 'deepseek', account_name: 'main', credentials: { api_key: 'sk-http-secret-0001' } } })
    expect(created.status).toBe(201)
    const cred = await json(created)
    expect(cred).toMatchObject({ kind: 'deepseek', name: 'main', store: 'db:k1' })
    expect(JSON.stringify(cred)).not.toContain('sk-http-secret')
    expect((await d.fetch(`/api/v1/credentials/${cred.id}`, { token: grace.token })).status).toBe(404)
    expect((await d.fetch(`/api/v1/credentials/${cred.id}`, { token: grace.token, method: 'DELETE' })).status).toBe(404)
    expect((await d.fetch('/api/v1/credentials', { token: frank.token, method: 'POST', body: { platform: 'deepseek', credentials: { password: 'x' } } })).status).toBe(400)
    expect((await d.fetch('/api/v1/credentials')).status).toBe(401)

    // Your config naming it as the topics key counts as a use.
    await (await d.app.service('config')).set({ id: frank.id, timezone: 'UTC' }, 'topics.credential_id', String(cred.id))
    const refused = await d.fetch(`/api/v1/credentials/${cred.id}`, { token: frank.token, method: 'DELETE' })
    expect(refused.status).toBe(409)
    const forced = await d.fetch(`/api/v1/credentials/${cred.id}?force=true`, { token: frank.token, method: 'DELETE' })
    expect(forced.status).toBe(200)
    expect(await json(forced)).toMatchObject({ id: cred.id, removed: true, key_deleted: true })
  })
})

describe('POST /webhooks/zoom', () => {
  it('answers url_validation signed with the user’s token; a bad signature, or another user, is 401', async () => {
    const henry = await d.user('henry-hooks@example.org')
    const ivy = await d.user('ivy-hooks@example.org')
    const stored = await d.fetch('/api/v1/credentials', { token: henry.token, method: 'POST', body: { platform: 'zoom-webhook', credentials: { secret_token: 'zoom-secret-token-henry' } } })
    expect(stored.status).toBe(201)
    const sender = zoomWebhookSender('zoom-secret-token-henry')
    const validation = sender.urlValidation()
    const ok = await sender.post(`${d.url}/api/v1/webhooks/zoom?user_id=${henry.id}`, validation)
    expect(ok.status).toBe(200)
    expect(await json(ok)).toEqual({ plainToken: validation.plainToken, encryptedToken: sender.expectedEncryptedToken(validation.plainToken) })

    const forged = zoomWebhookSender('not-the-secret').urlValidation()
    expect((await sender.post(`${d.url}/api/v1/webhooks/zoom?user_id=${henry.id}`, forged)).status).toBe(401)
    expect((await sender.post(`${d.url}/api/v1/webhooks/zoom?user_id=${ivy.id}`, sender.urlValidation())).status).toBe(401)
    // recording.completed with no Zoom source: acknowledged, nothing queued.
    const completed = sender.recordingCompleted({ uuid: 'meeting-uuid-1==', id: 123 })
    const ack = await sender.post(`${d.url}/api/v1/webhooks/zoom?user_id=${henry.id}`, completed)
    expect(ack.status).toBe(200)
    expect(await json(ack)).toEqual({ ok: true })
    expect((await sender.post(`${d.url}/api/v1/webhooks/zoom`, completed)).status).toBe(400)
  })
})

/** Every body a test saw, to check at the end that no secret was ever in one. */
const bodies: string[] = []
const text = async (res: Response) => {
  const t = await res.text()
  bodies.push(t)
  return t
}
const call = async (path: string, init: Parameters<typeof d.fetch>[1]) => {
  const res = await d.fetch(path, init)
  const body = await text(res)
  return { status: res.status, body: body === '' ? undefined : JSON.parse(body) }
}

/** Starts an implicit sign-in as `token`'s user and lets the fake VK grant it: the blank.html address to paste. */
async function blankPageAddress(token: string, headers: Record<string, string> = {}): Promise<string> {
  const started = await call('/api/v1/oauth/vk/authorize/implicit', { token })
  expect(started.status).toBe(200)
  expect(started.body).toMatchObject({ expires_in: 600, redirect_uri: VK_BLANK, paste_to: 'POST /api/v1/credentials/vk' })
  const url = new URL(started.body.authorization_url)
  expect(url.searchParams.get('state')).toBe(started.body.state)
  const back = await fetch(url, { redirect: 'manual', headers })
  expect(back.status).toBe(302)
  const location = back.headers.get('location')!
  expect(location.startsWith(`${VK_BLANK}#`)).toBe(true)
  return location
}

describe('PATCH /credentials/{id}', () => {
  it('replaces the key in place (same id; the new key works, the old is gone), renames, and never answers with a secret', async () => {
    const ann = await d.user('ann-rcreds@example.org')
    const ben = await d.user('ben-rcreds@example.org')
    const created = await call('/api/v1/credentials', { token: ann.token, method: 'POST', body: { platform: 'deepseek', account_name: 'main', credentials: { api_key: OLD_KEY } } })
    expect(created.status).toBe(201)
    const id = created.body.id
    const before = (await d.app.database.db.selectFrom('user_credentials').select('encrypted_data').where('id', '=', id).executeTakeFirstOrThrow()).encrypted_data

    const patched = await call(`/api/v1/credentials/${id}`, { token: ann.token, method: 'PATCH', body: { account_name: 'primary', credentials: { api_key: NEW_KEY, base_url: chat.url } } })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ id, kind: 'deepseek', name: 'primary', base_url: chat.url, store: 'db:k1', status: 'active' })
    const after = (await d.app.database.db.selectFrom('user_credentials').select('encrypted_data').where('id', '=', id).executeTakeFirstOrThrow()).encrypted_data
    expect(after).not.toBe(before)
    expect(after).not.toContain(NEW_KEY)
    // The fake accepts only the new key: the stored secret is the new one.
    const check = await (await d.app.service('credentials')).test({ id: ann.id, timezone: 'UTC' }, id)
    expect(check.ok).toBe(true)

    // A name alone keeps the key (and the base URL).
    const renamed = await call(`/api/v1/credentials/${id}`, { token: ann.token, method: 'PATCH', body: { account_name: 'renamed' } })
    expect(renamed.body).toMatchObject({ name: 'renamed', base_url: chat.url })
    expect((await (await d.app.service('credentials')).test({ id: ann.id, timezone: 'UTC' }, id)).ok).toBe(true)

    // Another tenant's id is 404, not a write.
    expect((await call(`/api/v1/credentials/${id}`, { token: ben.token, method: 'PATCH', body: { credentials: { api_key: 'sk-mallory-000000000' } } })).status).toBe(404)
    expect((await call(`/api/v1/credentials/${id}`, { token: ann.token, method: 'GET' })).body.name).toBe('renamed')
  })

  it('refuses bad input without writing: 400 malformed, 422 the wrong kind of secret or a sign-in, 409 a taken name, 401 without a token', async () => {
    const cat = await d.user('cat-rcreds@example.org')
    const key = (await call('/api/v1/credentials', { token: cat.token, method: 'POST', body: { platform: 'openai', credentials: { api_key: 'sk-cat-key-000000001' } } })).body
    const other = (await call('/api/v1/credentials', { token: cat.token, method: 'POST', body: { platform: 'openai', account_name: 'second', credentials: { api_key: 'sk-cat-key-000000002' } } })).body
    const hook = (await call('/api/v1/credentials', { token: cat.token, method: 'POST', body: { platform: 'zoom-webhook', credentials: { secret_token: 'cat-webhook-token-01' } } })).body
    const patch = (id: number, body: unknown, auth: { token?: string } = { token: cat.token }) => call(`/api/v1/credentials/${id}`, { ...auth, method: 'PATCH', body })

    expect((await patch(key.id, {})).status).toBe(400)
    expect((await patch(key.id, { credentials: { password: 'x' } })).status).toBe(400)
    expect((await patch(key.id, { credentials: { api_key: 'two words here' } })).status).toBe(400)
    expect((await patch(key.id, { credentials: { api_key: 'sk-x', base_url: 'ftp://example.org' } })).status).toBe(400)
    expect((await patch(key.id, { credentials: { secret_token: 'cat-webhook-token-02' } })).status).toBe(422)
    expect((await patch(hook.id, { credentials: { api_key: 'sk-cat-key-000000003' } })).status).toBe(422)
    expect((await patch(key.id, { account_name: 'second' })).status).toBe(409)
    expect((await patch(key.id, { account_name: 'x' }, {})).status).toBe(401)
    expect((await patch(0, { account_name: 'x' })).status).toBe(400)
    expect((await patch(999_999, { account_name: 'x' })).status).toBe(404)
    const hookPatched = await patch(hook.id, { credentials: { secret_token: 'cat-webhook-token-03' } })
    expect(hookPatched).toMatchObject({ status: 200, body: { kind: 'zoom-webhook', status: 'active' } })

    // A VK sign-in's tokens are replaced by signing in again.
    const signedIn = await call('/api/v1/credentials/vk', { token: cat.token, method: 'POST', body: { redirect_url: await blankPageAddress(cat.token) } })
    const refused = await patch(signedIn.body.id, { credentials: { api_key: 'vk1.a.pasted-token-000' } })
    expect(refused.status).toBe(422)
    expect(refused.body.hint).toContain('/oauth/vk/authorize')
    expect((await call(`/api/v1/credentials/${other.id}`, { token: cat.token, method: 'GET' })).body.name).toBe('second')
  })
})

describe('VK implicit flow over HTTP', () => {
  it('authorize/implicit -> VK grants -> POST /credentials/vk stores a sealed implicit sign-in; the state is single use and bound to its user', async () => {
    const dan = await d.user('dan-rcreds@example.org')
    const eve = await d.user('eve-rcreds@example.org')
    const address = await blankPageAddress(dan.token)
    const token = new URLSearchParams(address.split('#')[1]).get('access_token')!

    // Someone else pasting dan's address stores nothing, and does not spend dan's state.
    const stolen = await call('/api/v1/credentials/vk', { token: eve.token, method: 'POST', body: { redirect_url: address } })
    expect(stolen.status).toBe(422)
    expect((await call('/api/v1/credentials', { token: eve.token, method: 'GET' })).body.items).toEqual([])

    const stored = await call('/api/v1/credentials/vk', { token: dan.token, method: 'POST', body: { redirect_url: address } })
    expect(stored.status).toBe(201)
    expect(stored.body).toMatchObject({ platform: 'vk', account: 'Pavel Durov', grant: 'implicit', refreshes: false, expires_at: null, store: 'db:k1', replaced: false })
    expect(vk.grants).toContain('implicit')

    const replay = await call('/api/v1/credentials/vk', { token: dan.token, method: 'POST', body: { redirect_url: address } })
    expect(replay.status).toBe(422)
    expect(replay.body.detail).toMatch(/not from a sign-in of yours|not from this sign-in/)

    const health = await call(`/api/v1/credentials/${stored.body.id}/status`, { token: dan.token })
    expect(health.body).toMatchObject({ id: stored.body.id, type: 'sign_in', grant: 'implicit', expires_at: null, seconds_left: null, expired: false, needs_refresh: false, needs_reauth: false })
    expect((await call(`/api/v1/credentials/${stored.body.id}/status`, { token: eve.token })).status).toBe(404)
    for (const b of bodies) expect(b).not.toContain(token)
  })

  it('a bare token is checked with users.get (its expiry shows in the status); refused, denied and malformed pastes store nothing', async () => {
    const fay = await d.user('fay-rcreds@example.org')
    const granted = new URLSearchParams((await blankPageAddress(fay.token)).split('#')[1])
    // Spend that sign-in's state with the address, then paste the same token bare: the same account, updated in place.
    const token = granted.get('access_token')!
    const first = await call('/api/v1/credentials/vk', { token: fay.token, method: 'POST', body: { access_token: token, expires_in: 3600, account_name: 'vk main' } })
    expect(first.status).toBe(201)
    expect(first.body).toMatchObject({ name: 'vk main', grant: 'implicit', replaced: false })
    const health = await call(`/api/v1/credentials/${first.body.id}/status`, { token: fay.token })
    expect(health.body).toMatchObject({ type: 'sign_in', expired: false, needs_refresh: false, needs_reauth: false, refreshes: false })
    expect(health.body.seconds_left).toBeGreaterThan(3500)
    expect(health.body.seconds_left).toBeLessThanOrEqual(3600)
    const again = await call('/api/v1/credentials/vk', { token: fay.token, method: 'POST', body: { access_token: token, account_name: 'vk main' } })
    expect(again).toMatchObject({ status: 200, body: { id: first.body.id, replaced: true, expires_at: null } })

    const unknown = await call('/api/v1/credentials/vk', { token: fay.token, method: 'POST', body: { access_token: 'vk1.a.not-a-token-vk-knows' } })
    expect(unknown.status).toBe(422)
    expect(unknown.body.detail).toContain('VK refused the access token')
    const denied = await call('/api/v1/credentials/vk', { token: fay.token, method: 'POST', body: { redirect_url: await blankPageAddress(fay.token, { 'x-fake-consent': 'deny' }) } })
    expect(denied.status).toBe(422)
    expect(denied.body.detail).toContain('VK did not grant access')
    expect((await call('/api/v1/credentials/vk', { token: fay.token, method: 'POST', body: { redirect_url: 'not a url' } })).status).toBe(400)
    expect((await call('/api/v1/credentials/vk', { token: fay.token, method: 'POST', body: { access_token: 'has spaces in it, not a token' } })).status).toBe(400)
    expect((await call('/api/v1/credentials/vk', { token: fay.token, method: 'POST', body: { redirect_url: 'x', access_token: token } })).status).toBe(400)
    expect((await call('/api/v1/credentials/vk', { method: 'POST', body: { access_token: token } })).status).toBe(401)
    expect((await call('/api/v1/oauth/vk/authorize/implicit?app_id=abc', { token: fay.token })).status).toBe(400)
    expect((await call('/api/v1/credentials?platform=vk', { token: fay.token, method: 'GET' })).body.items).toHaveLength(1)
    for (const b of bodies) expect(b).not.toContain(token)
  })

  it('GET /credentials/{id}/status of an API key: a secret that does not expire', async () => {
    const gus = await d.user('gus-rcreds@example.org')
    const key = await call('/api/v1/credentials', { token: gus.token, method: 'POST', body: { platform: 'fireworks', credentials: { api_key: 'fw-gus-key-0000001' } } })
    const health = await call(`/api/v1/credentials/${key.body.id}/status`, { token: gus.token })
    expect(health).toMatchObject({ status: 200, body: { id: key.body.id, platform: 'fireworks', type: 'secret', expires_at: null, seconds_left: null, needs_reauth: false } })
    expect((await call('/api/v1/credentials/abc/status', { token: gus.token })).status).toBe(400)
    expect((await call(`/api/v1/credentials/${key.body.id}/status`, {})).status).toBe(401)
    for (const b of bodies) for (const s of [OLD_KEY, NEW_KEY, 'fw-gus-key-0000001', 'sk-cat-key-000000001', 'cat-webhook-token-03']) expect(b).not.toContain(s)
  })
})
