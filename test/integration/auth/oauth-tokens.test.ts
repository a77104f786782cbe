import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { App } from '../../../src/app.js'
import { isRecflowError } from '../../../src/domain/errors.js'
import { ProviderError } from '../../../src/providers/types.js'
import { jsonResponse } from '../../fakes/fake-http.js'
import { GOOGLE_TEST_CLIENT, startGoogleFake, type GoogleFake } from '../../fakes/google.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'
import { seedOAuthCredential } from '../../support/oauth.js'
import { databaseText, readStoredOAuth } from '../../support/oauth-store.js'
import { openTestApp } from '../../support/test-app.js'

/*
 * The OAuth token contract (src/services/credentials/oauth-tokens.ts) against the Google fake: the stored token
 * while valid, a refresh when not (saved before it is returned, the refresh token kept when none comes back and
 * replaced when one does), one refresh for concurrent callers, and a refused refresh marking the credential
 * needs_reauth with an exit-4 error naming `recflow auth youtube`.
 */

let google: GoogleFake
let home: string
let app: App

beforeAll(async () => {
  google = await startGoogleFake()
  home = makeTempDir()
  app = await openTestApp(home, google.env)
})
afterAll(async () => {
  await app?.close()
  await google?.close()
  removeDir(home)
})

let n = 0
async function seed(opts: { expiresAt: Date | null; refresh?: boolean }) {
  const granted = google.grant()
  const id = await seedOAuthCredential(app, {
    platform: 'youtube',
    accessToken: granted.accessToken,
    refreshToken: opts.refresh === false ? null : granted.refreshToken,
    expiresAt: opts.expiresAt,
    clientId: GOOGLE_TEST_CLIENT.id,
    clientSecret: GOOGLE_TEST_CLIENT.secret,
    accountName: `Channel ${++n}`,
    scopes: granted.scopes,
  })
  return { id, ...granted }
}
const tokenRequests = () => google.server.requests.filter((r) => r.path === '/token').length
const past = () => new Date(Date.now() - 1000)
const soon = () => new Date(Date.now() + 30_000) // inside the 60 s skew
const later = () => new Date(Date.now() + 3_600_000)

describe('accessToken', () => {
  let before: number
  beforeEach(() => {
    before = tokenRequests()
  })

  it('returns the stored token while it is valid, without asking Google', async () => {
    const auth = await app.service('auth')
    const c = await seed({ expiresAt: later() })
    expect(await auth.accessToken(app.localUser, c.id, 'youtube')).toBe(c.accessToken)
    expect(tokenRequests()).toBe(before)
  })

  it('refreshes a token that expires within 60 s, saves it before returning it, and keeps the refresh token Google did not resend', async () => {
    const auth = await app.service('auth')
    const c = await seed({ expiresAt: soon() })
    const token = await auth.accessToken(app.localUser, c.id, 'youtube')
    expect(token).not.toBe(c.accessToken)
    expect(google.accepts(token)).toBe(true)
    expect(tokenRequests()).toBe(before + 1)
    const stored = await readStoredOAuth(app, c.id)
    expect(stored.secret.access_token).toBe(token)
    expect(stored.secret.refresh_token).toBe(c.refreshToken)
    expect(Date.parse(stored.secret.expires_at!)).toBeGreaterThan(Date.now() + 3_000_000)
    expect(stored.reference.expires_at).toBe(stored.secret.expires_at)
    // The next call uses the saved one.
    expect(await auth.accessToken(app.localUser, c.id, 'youtube')).toBe(token)
    expect(tokenRequests()).toBe(before + 1)
    const db = databaseText(app)
    for (const secret of [token, c.accessToken, c.refreshToken, GOOGLE_TEST_CLIENT.secret]) expect(db).not.toContain(secret)
  })

  it('forceRefresh gets a new token even when the stored one looks valid (a caller got a 401)', async () => {
    const auth = await app.service('auth')
    const c = await seed({ expiresAt: later() })
    const token = await auth.accessToken(app.localUser, c.id, 'youtube', { forceRefresh: true })
    expect(token).not.toBe(c.accessToken)
    expect(tokenRequests()).toBe(before + 1)
  })

  it('replaces a rotated refresh token, and never with an empty one', async () => {
    const auth = await app.service('auth')
    const c = await seed({ expiresAt: past() })
    google.server.inject('POST /token', jsonResponse(200, { access_token: 'ya29.rotated-1', refresh_token: '1//rotated-refresh', expires_in: 3599, token_type: 'Bearer' }))
    expect(await auth.accessToken(app.localUser, c.id, 'youtube')).toBe('ya29.rotated-1')
    expect((await readStoredOAuth(app, c.id)).secret.refresh_token).toBe('1//rotated-refresh')
    google.server.inject('POST /token', jsonResponse(200, { access_token: 'ya29.rotated-2', refresh_token: '', expires_in: 3599, token_type: 'Bearer' }))
    expect(await auth.accessToken(app.localUser, c.id, 'youtube', { forceRefresh: true })).toBe('ya29.rotated-2')
    expect((await readStoredOAuth(app, c.id)).secret.refresh_token).toBe('1//rotated-refresh')
  })

  it('retries a 503 from the token endpoint', async () => {
    const auth = await app.service('auth')
    const c = await seed({ expiresAt: past() })
    google.server.inject('POST /token', jsonResponse(503, { error: 'backend_error' }))
    const token = await auth.accessToken(app.localUser, c.id, 'youtube')
    expect(google.accepts(token)).toBe(true)
    expect(tokenRequests()).toBe(before + 2)
  })

  it('concurrent callers (two apps, as two processes would) spend the refresh token once', async () => {
    const other = await openTestApp(home, google.env)
    try {
      const c = await seed({ expiresAt: past() })
      const refreshesBefore = google.refreshCount()
      const [a, b, d] = await Promise.all([
        (await app.service('auth')).accessToken(app.localUser, c.id, 'youtube'),
        (await other.service('auth')).accessToken(other.localUser, c.id, 'youtube'),
        (await app.service('auth')).accessToken(app.localUser, c.id, 'youtube'),
      ])
      expect(google.refreshCount()).toBe(refreshesBefore + 1)
      expect(new Set([a, b, d]).size).toBe(1)
    } finally {
      await other.close()
    }
  })

  it('a revoked grant marks the credential needs_reauth and fails with exit-4 auth and the sign-in hint; later calls fail at once', async () => {
    const auth = await app.service('auth')
    const c = await seed({ expiresAt: past() })
    google.revokeAll()
    const err = await auth.accessToken(app.localUser, c.id, 'youtube').catch((e: unknown) => e)
    expect(isRecflowError(err) && err.code).toBe('auth')
    expect(isRecflowError(err) && err.hint).toContain('recflow auth youtube')
    expect(String((err as Error).message)).not.toContain(c.refreshToken)
    expect((await readStoredOAuth(app, c.id)).status).toBe('needs_reauth')
    const view = (await auth.status(app.localUser)).find((v) => v.id === c.id)
    expect(view).toMatchObject({ needs_reauth: true, refreshes: true, platform: 'youtube' })
    const requests = tokenRequests()
    const again = await auth.accessToken(app.localUser, c.id, 'youtube').catch((e: unknown) => e)
    expect(isRecflowError(again) && again.code).toBe('auth')
    expect(tokenRequests()).toBe(requests)
  })

  it('a revoked grant still fails with the sign-in error when marking the credential needs_reauth fails too', async () => {
    const auth = await app.service('auth')
    const c = await seed({ expiresAt: past() })
    google.revokeAll()
    // The database refuses the needs_reauth mark (as a full disk would), in another connection.
    const raw = new BetterSqlite3(app.env.dbPath)
    raw.exec(`CREATE TRIGGER refuse_reauth BEFORE UPDATE OF status ON user_credentials
      WHEN NEW.status = 'needs_reauth' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`)
    try {
      const err = await auth.accessToken(app.localUser, c.id, 'youtube').catch((e: unknown) => e)
      expect(isRecflowError(err) && err.code).toBe('auth')
      expect(isRecflowError(err) && err.hint).toContain('recflow auth youtube')
    } finally {
      raw.exec('DROP TRIGGER refuse_reauth')
      raw.close()
    }
  })

  it('an expired token without a refresh token needs a new sign-in', async () => {
    const auth = await app.service('auth')
    const c = await seed({ expiresAt: past(), refresh: false })
    const err = await auth.accessToken(app.localUser, c.id, 'youtube').catch((e: unknown) => e)
    expect(isRecflowError(err) && err.code).toBe('auth')
    expect((await readStoredOAuth(app, c.id)).status).toBe('needs_reauth')
    expect(tokenRequests()).toBe(before)
  })

  it('an unknown id or another platform is not found; a failure that is not a refusal leaves the credential active', async () => {
    const auth = await app.service('auth')
    const c = await seed({ expiresAt: past() })
    await expect(auth.accessToken(app.localUser, 999_999, 'youtube')).rejects.toMatchObject({ code: 'not_found' })
    await expect(auth.accessToken(app.localUser, c.id, 'zoom')).rejects.toMatchObject({ code: 'not_found' })
    google.server.inject('POST /token', jsonResponse(400, { error: 'invalid_request', error_description: 'Bad Request' }))
    const err = await auth.accessToken(app.localUser, c.id, 'youtube').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ProviderError)
    expect((await readStoredOAuth(app, c.id)).status).toBe('active')
  })
})

describe('credentials remove on an OAuth credential', () => {
  it('deletes its secret-store entry too', async () => {
    const c = await seed({ expiresAt: later() })
    const { reference } = await readStoredOAuth(app, c.id)
    const removed = await (await app.service('credentials')).remove(app.localUser, c.id)
    expect(removed.key_deleted).toBe(true)
    const { openSecretStore } = await import('../../../src/platform/secrets.js')
    const store = await openSecretStore({ preference: 'file', configDir: app.env.configDir, platform: process.platform })
    expect(await store.get(reference.secret)).toBeUndefined()
  })
})

describe('credentials test on a sign-in', () => {
  it('names the account with one authenticated call, refreshing an expiring token first', async () => {
    const c = await seed({ expiresAt: soon() })
    const before = tokenRequests()
    const check = await (await app.service('credentials')).test(app.localUser, c.id)
    expect(check).toMatchObject({ id: c.id, kind: 'youtube', ok: true, detail: 'signed in as Lectures Channel' })
    expect(tokenRequests()).toBe(before + 1)
    expect(JSON.stringify(check)).not.toContain(c.accessToken)
  })

  it('a token the channel lookup refuses gets one forced refresh; a revoked grant exits 4 naming `recflow auth youtube`', async () => {
    const credentials = await app.service('credentials')
    const c = await seed({ expiresAt: later() })
    google.expireAccessTokens()
    expect(await credentials.test(app.localUser, c.id)).toMatchObject({ ok: true })

    const d = await seed({ expiresAt: later() })
    google.expireAccessTokens()
    google.revokeAll()
    const err = await credentials.test(app.localUser, d.id).catch((e: unknown) => e)
    expect(isRecflowError(err) && err.code).toBe('auth')
    expect(isRecflowError(err) && err.hint).toMatch(/recflow auth youtube/)
    expect((await readStoredOAuth(app, d.id)).status).toBe('needs_reauth')
  })

  it('a lookup Google fails for another reason exits 5 with what it said, and leaves the credential active', async () => {
    const c = await seed({ expiresAt: later() })
    google.server.inject('GET /youtube/v3/channels', jsonResponse(400, { error: { code: 400, message: 'Bad Request', errors: [{ reason: 'badRequest' }] } }))
    const err = await (await app.service('credentials')).test(app.localUser, c.id).catch((e: unknown) => e)
    expect(isRecflowError(err) && err.code).toBe('provider')
    expect(isRecflowError(err) && err.message).toMatch(/the check of youtube credential \d+ failed/)
    expect((await readStoredOAuth(app, c.id)).status).toBe('active')
  })
})
