import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../../src/app.js'
import { RecflowError } from '../../../src/domain/errors.js'
import { startVkIdFake, VK_APP_ID, type VkIdFake } from '../../fakes/vk-id.js'
import { startZoomOAuthFake, ZOOM_S2S_APP, ZOOM_USER, ZOOM_USER_APP, type ZoomOAuthFake } from '../../fakes/zoom-oauth.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'
import { seedOAuthCredential } from '../../support/oauth.js'
import { databaseText, readStoredOAuth } from '../../support/oauth-store.js'
import { openTestApp } from '../../support/test-app.js'

/*
 * Zoom and VK tokens through the real storage and accessToken (src/services/credentials/oauth-tokens.ts) against
 * the fakes: rotating refresh tokens (each new pair stored before it is returned, so the fake never sees a used
 * refresh token again), one refresh for concurrent callers, a revoked grant -> needs_reauth and exit-4 errors
 * naming the sign-in command, Zoom S2S tokens renewed when they expire, and no token or secret in the DB file.
 */

let zoom: ZoomOAuthFake
let vk: VkIdFake
let home: string
let app: App
const redirectUri = 'http://127.0.0.1:50000/callback'

beforeAll(async () => {
  zoom = await startZoomOAuthFake({ accessTtlS: 30 }) // inside the 60 s skew: every accessToken call renews
  vk = await startVkIdFake()
  home = makeTempDir()
  app = await openTestApp(home, {
    RECFLOW_ZOOM_OAUTH_URL: zoom.oauthUrl,
    RECFLOW_ZOOM_API_URL: zoom.apiUrl,
    RECFLOW_VK_ID_URL: vk.idUrl,
    RECFLOW_VK_OAUTH_URL: vk.oauthUrl,
    RECFLOW_VK_API_URL: vk.apiUrl,
  })
})
afterAll(async () => {
  await app?.close()
  await zoom?.close()
  await vk?.close()
  removeDir(home)
})

const pkce = () => {
  const verifier = crypto.randomBytes(32).toString('base64url')
  return { verifier, challenge: crypto.createHash('sha256').update(verifier).digest('base64url') }
}
const follow = async (url: string) => new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!)
const auth = () => app.service('auth')
let n = 0

/** A real grant from the Zoom fake (authorize + exchange through the provider), stored as a sign-in stores it. */
async function zoomSignedIn(): Promise<{ id: number; refreshToken: string }> {
  const provider = await app.service('auth').then(() => import('../../../src/providers/oauth/zoom.js'))
  const p = provider.zoomOAuth({ urls: app.env.urls, logger: { debug() {}, info() {}, warn() {}, error() {} } as never, clock: { now: () => new Date() } })
  const { verifier, challenge } = pkce()
  const back = await follow(p.authorizeUrl({ clientId: ZOOM_USER_APP.clientId, redirectUri, state: 'x', codeChallenge: challenge, scopes: [] }))
  const client = { clientId: ZOOM_USER_APP.clientId, clientSecret: ZOOM_USER_APP.clientSecret }
  const t = await p.exchange({ code: back.searchParams.get('code')!, codeVerifier: verifier, redirectUri, client })
  const id = await seedOAuthCredential(app, {
    platform: 'zoom',
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    expiresAt: t.expiresAt,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    accountName: `zoom user ${++n}`,
    scopes: t.scopes,
  })
  return { id, refreshToken: t.refreshToken! }
}

describe('Zoom user OAuth: rotating refresh tokens', () => {
  it('each refresh stores the new pair before returning it; the used refresh token is never sent again', async () => {
    const { id, refreshToken } = await zoomSignedIn()
    const a = await (await auth()).accessToken(app.localUser, id, 'zoom')
    const afterFirst = await readStoredOAuth(app, id)
    expect(afterFirst.secret.access_token).toBe(a)
    expect(afterFirst.secret.refresh_token).not.toBe(refreshToken)
    expect(zoom.validAccessTokens()).toContain(a)
    const b = await (await auth()).accessToken(app.localUser, id, 'zoom')
    const c = await (await auth()).accessToken(app.localUser, id, 'zoom', { forceRefresh: true })
    expect(new Set([a, b, c]).size).toBe(3)
    expect((await readStoredOAuth(app, id)).secret.access_token).toBe(c)
    expect(zoom.reusedRefreshTokens).toEqual([])
    // The account name the sign-in would look up works with the stored token.
    const res = await fetch(`${zoom.apiUrl}/users/me`, { headers: { authorization: `Bearer ${c}` } })
    expect(((await res.json()) as { email: string }).email).toBe(ZOOM_USER.email)
  })

  it('two callers at once spend the refresh token once', async () => {
    const { id } = await zoomSignedIn() // its token expires inside the skew: both callers need a new one
    zoom.accessTtlS = 3599
    const before = zoom.grants.filter((g) => g === 'refresh_token').length
    const [x, y] = await Promise.all([(await auth()).accessToken(app.localUser, id, 'zoom'), (await auth()).accessToken(app.localUser, id, 'zoom')])
    expect(x).toBe(y)
    expect(zoom.grants.filter((g) => g === 'refresh_token').length).toBe(before + 1)
    expect(zoom.reusedRefreshTokens).toEqual([])
    zoom.accessTtlS = 30
  })

  it('a revoked grant marks the credential needs_reauth: auth status says so and the error is exit-4 auth naming `recflow auth zoom`', async () => {
    const { id } = await zoomSignedIn()
    await (await auth()).accessToken(app.localUser, id, 'zoom')
    zoom.revoke()
    const e = await (await auth()).accessToken(app.localUser, id, 'zoom').then(() => undefined, (err: unknown) => err)
    expect(e).toBeInstanceOf(RecflowError)
    expect(e).toMatchObject({ code: 'auth', hint: expect.stringContaining('recflow auth zoom') })
    expect((e as Error).message).toContain('Invalid Token!')
    const view = (await (await auth()).status(app.localUser)).find((v) => v.id === id)!
    expect(view).toMatchObject({ status: 'needs_reauth', needs_reauth: true, platform: 'zoom' })
    // Later callers fail at once, without spending another request on Zoom.
    const before = zoom.requests.length
    await expect((await auth()).accessToken(app.localUser, id, 'zoom')).rejects.toMatchObject({ code: 'auth' })
    expect(zoom.requests.length).toBe(before)
  })
})

describe('Zoom Server-to-Server', () => {
  it('credentials are checked with a token, stored without a refresh token, and a new token is got when the old expires', async () => {
    const s = await auth()
    await expect(
      s.addZoomServerToServer(app.localUser, { accountId: ZOOM_S2S_APP.accountId, clientId: ZOOM_S2S_APP.clientId, clientSecret: 'wrong-secret-123' }),
    ).rejects.toMatchObject({ code: 'auth', hint: expect.stringContaining('--client-secret') })
    const countBefore = (await s.status(app.localUser)).length
    const added = await s.addZoomServerToServer(app.localUser, { accountId: ZOOM_S2S_APP.accountId, clientId: ZOOM_S2S_APP.clientId, clientSecret: ZOOM_S2S_APP.clientSecret })
    expect((await s.status(app.localUser)).length).toBe(countBefore + 1)
    expect(added).toMatchObject({ platform: 'zoom', grant: 'account_credentials', refreshes: true, name: `s2s-${ZOOM_S2S_APP.accountId}`, account: 'admin@example.edu' })
    const stored = await readStoredOAuth(app, added.id)
    expect(stored.secret).toMatchObject({ refresh_token: null, account_id: ZOOM_S2S_APP.accountId, client_secret: ZOOM_S2S_APP.clientSecret })
    // The fake's tokens live 30 s, inside the 60 s skew: the stored one counts as expired, so a new one is asked for.
    const grants = zoom.grants.filter((g) => g === 'account_credentials').length
    const t = await s.accessToken(app.localUser, added.id, 'zoom')
    expect(t).not.toBe(stored.secret.access_token)
    expect(zoom.grants.filter((g) => g === 'account_credentials').length).toBe(grants + 1)
    expect((await readStoredOAuth(app, added.id)).secret.access_token).toBe(t)
    zoom.deactivateS2S()
    await expect(s.accessToken(app.localUser, added.id, 'zoom')).rejects.toMatchObject({ code: 'auth', hint: expect.stringContaining('recflow credentials add zoom') })
    expect((await readStoredOAuth(app, added.id)).status).toBe('needs_reauth')
  })
})

describe('VK ID: rotating refresh tokens with the device id', () => {
  async function vkSignedIn() {
    const { vkOAuth } = await import('../../../src/providers/oauth/vk.js')
    const p = vkOAuth({ urls: app.env.urls, logger: { debug() {}, info() {}, warn() {}, error() {} } as never, clock: { now: () => new Date() } })
    const { verifier, challenge } = pkce()
    const state = crypto.randomBytes(32).toString('base64url')
    const back = await follow(p.authorizeUrl({ clientId: VK_APP_ID, redirectUri, state, codeChallenge: challenge, scopes: p.defaultScopes }))
    const extra = { device_id: back.searchParams.get('device_id')!, state }
    const t = await p.exchange({ code: back.searchParams.get('code')!, codeVerifier: verifier, redirectUri, client: { clientId: VK_APP_ID, clientSecret: null }, extra })
    const id = await seedOAuthCredential(app, {
      platform: 'vk',
      accessToken: t.accessToken,
      refreshToken: t.refreshToken,
      expiresAt: new Date(Date.now() - 1000),
      clientId: VK_APP_ID,
      clientSecret: null,
      accountName: `vk user ${++n}`,
      scopes: t.scopes,
      extra: t.extra,
    })
    return { id, t }
  }

  it('refreshes with the kept device_id, stores the rotated pair, and a revoked grant needs a new sign-in', async () => {
    const { id, t } = await vkSignedIn()
    const a = await (await auth()).accessToken(app.localUser, id, 'vk')
    const stored = await readStoredOAuth(app, id)
    expect(stored.secret).toMatchObject({ access_token: a, extra: { device_id: t.extra!.device_id } })
    expect(stored.secret.refresh_token).not.toBe(t.refreshToken)
    await (await auth()).accessToken(app.localUser, id, 'vk', { forceRefresh: true })
    expect(vk.reusedRefreshTokens).toEqual([])
    vk.revoke()
    await expect((await auth()).accessToken(app.localUser, id, 'vk', { forceRefresh: true })).rejects.toMatchObject({
      code: 'auth',
      hint: expect.stringContaining('recflow auth vk'),
    })
    expect((await readStoredOAuth(app, id)).status).toBe('needs_reauth')
  })
})

describe('storage', () => {
  it('no token, refresh token or client secret the fakes issued or took is in the database file', () => {
    const db = databaseText(app)
    for (const secret of [...zoom.issuedTokens, ...vk.issuedTokens, ZOOM_USER_APP.clientSecret, ZOOM_S2S_APP.clientSecret]) expect(db).not.toContain(secret)
  })
})
