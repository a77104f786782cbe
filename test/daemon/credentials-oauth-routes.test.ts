import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { GOOGLE_TEST_CLIENT, startGoogleFake, type GoogleFake } from '../fakes/google.js'
import { zoomWebhookSender } from '../fakes/zoom-webhook-sender.js'
import { useTestDaemon } from '../support/daemon.js'

/*
 * /credentials, /oauth/{platform}/authorize|callback and /webhooks/zoom over real HTTP, with the daemon in its
 * own mode (credentials sealed in the database) and Google's OAuth played by test/fakes/google.ts.
 */

/** A response's JSON body, untyped (the assertions say what it must hold). */
const json = (r: Response | Promise<Response>): Promise<any> => Promise.resolve(r).then((x) => x.json())

const RETURN = 'http://127.0.0.1:9/after-sign-in'
let google: GoogleFake
beforeAll(async () => {
  google = await startGoogleFake()
})
afterAll(async () => google?.close())

const d = useTestDaemon(() => ({
  env: {
    ...google.env,
    RECFLOW_SECRET_STORE: 'database',
    RECFLOW_YOUTUBE_CLIENT_ID: GOOGLE_TEST_CLIENT.id,
    RECFLOW_YOUTUBE_CLIENT_SECRET: GOOGLE_TEST_CLIENT.secret,
    RECFLOW_PUBLIC_URL: 'http://127.0.0.1:8123',
    RECFLOW_OAUTH_RETURN_URL: RETURN,
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
