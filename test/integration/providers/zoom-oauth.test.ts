import crypto from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { zoomOAuth } from '../../../src/providers/oauth/zoom.js'
import { ProviderError } from '../../../src/providers/types.js'
import { jsonResponse } from '../../fakes/fake-http.js'
import { startZoomOAuthFake, ZOOM_S2S_APP, ZOOM_USER, ZOOM_USER_APP, type ZoomOAuthFake } from '../../fakes/zoom-oauth.js'
import { providerEnv } from './transcription-env.js'

const client = { clientId: ZOOM_USER_APP.clientId, clientSecret: ZOOM_USER_APP.clientSecret }
const redirectUri = 'http://127.0.0.1:53123/callback'

/** What a browser does with the authorize URL: the fake's redirect back to the loopback, read not followed. */
async function approve(url: string): Promise<URL> {
  const res = await fetch(url, { redirect: 'manual' })
  expect(res.status).toBe(302)
  return new URL(res.headers.get('location')!)
}

describe('Zoom OAuth provider against the Zoom OAuth fake (§A.1–A.2)', () => {
  let fake: ZoomOAuthFake
  afterEach(async () => fake?.close())
  const zoom = () => zoomOAuth(providerEnv({ RECFLOW_ZOOM_OAUTH_URL: fake.oauthUrl, RECFLOW_ZOOM_API_URL: fake.apiUrl }))

  const signIn = async () => {
    const verifier = crypto.randomBytes(32).toString('base64url')
    const challenge = crypto.createHash('sha256').update(verifier).digest('base64url')
    const back = await approve(zoom().authorizeUrl({ clientId: client.clientId, redirectUri, state: 'st-1', codeChallenge: challenge, scopes: [] }))
    expect(back.searchParams.get('state')).toBe('st-1')
    return { code: back.searchParams.get('code')!, verifier }
  }

  it('exchanges a PKCE code, looks up the email, and rotates the refresh token on every refresh', async () => {
    fake = await startZoomOAuthFake()
    const { code, verifier } = await signIn()
    const first = await zoom().exchange({ code, codeVerifier: verifier, redirectUri, client })
    expect(first.refreshToken).toMatch(/^zoom-rt\./)
    expect(first.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3500_000)
    expect(first.scopes).toContain('user:read:user')
    expect(await zoom().accountName(first.accessToken)).toBe(ZOOM_USER.email)
    expect(fake.requests.find((r) => r.path === '/oauth/token')!.headers.authorization).toBe(`Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`)

    const second = await zoom().refresh({ refreshToken: first.refreshToken!, client })
    expect(second.refreshToken).not.toBe(first.refreshToken)
    // The old refresh token is refused once the new one was issued: an auth failure, sign in again.
    const reuse = await zoom().refresh({ refreshToken: first.refreshToken!, client }).catch((e: unknown) => e)
    expect(reuse).toBeInstanceOf(ProviderError)
    expect(reuse).toMatchObject({ kind: 'auth', reauth: true, message: expect.stringContaining('Invalid Token!') })
    expect((reuse as Error).message).not.toContain(first.refreshToken!)
    expect(fake.reusedRefreshTokens).toEqual([first.refreshToken])
  })

  it('refuses a code twice, a wrong verifier and a redirect_uri other than the authorize request\'s', async () => {
    fake = await startZoomOAuthFake()
    const a = await signIn()
    await expect(zoom().exchange({ code: a.code, codeVerifier: 'x'.repeat(43), redirectUri, client })).rejects.toMatchObject({ kind: 'permanent' })
    const again = await zoom().exchange({ code: a.code, codeVerifier: a.verifier, redirectUri, client }).then(() => new Error("accepted"), (e: unknown) => e as Error)
    expect(again.message).toMatch(/Invalid authorization code \*\*\*/)
    const b = await signIn()
    await expect(zoom().exchange({ code: b.code, codeVerifier: b.verifier, redirectUri: 'http://127.0.0.1:1/other', client })).rejects.toThrow(/Redirect URI mismatch/)
    await expect(zoom().exchange({ code: 'c', codeVerifier: b.verifier, redirectUri, client: { ...client, clientSecret: 'wrong-secret' } })).rejects.toMatchObject({ kind: 'auth' })
  })

  it('a revoked grant is an auth failure; a 429 is retried after Retry-After', async () => {
    fake = await startZoomOAuthFake()
    const { code, verifier } = await signIn()
    const t = await zoom().exchange({ code, codeVerifier: verifier, redirectUri, client })
    fake.inject('POST /oauth/token', jsonResponse(429, { code: 429, message: 'Too many requests' }, { 'retry-after': '0' }))
    const next = await zoom().refresh({ refreshToken: t.refreshToken!, client })
    fake.revoke()
    await expect(zoom().refresh({ refreshToken: next.refreshToken!, client })).rejects.toMatchObject({ kind: 'auth', reauth: true })
    await expect(zoom().accountName(next.accessToken)).rejects.toMatchObject({ kind: 'auth' })
  })

  it('Server-to-Server: an account token without a refresh token; bad client or account refused', async () => {
    fake = await startZoomOAuthFake({ accessTtlS: 3600 })
    const s2s = { clientId: ZOOM_S2S_APP.clientId, clientSecret: ZOOM_S2S_APP.clientSecret }
    const t = await zoom().accountToken!({ accountId: ZOOM_S2S_APP.accountId, client: s2s })
    expect(t.refreshToken).toBeNull()
    expect(fake.requests.at(-1)!.body.toString()).toBe(`grant_type=account_credentials&account_id=${ZOOM_S2S_APP.accountId}`)
    const again = await zoom().accountToken!({ accountId: ZOOM_S2S_APP.accountId, client: s2s })
    expect(fake.validAccessTokens()).toEqual(expect.arrayContaining([t.accessToken, again.accessToken]))
    await expect(zoom().accountToken!({ accountId: ZOOM_S2S_APP.accountId, client: { ...s2s, clientSecret: 'nope-nope' } })).rejects.toMatchObject({ kind: 'auth' })
    await expect(zoom().accountToken!({ accountId: 'other', client: s2s })).rejects.toMatchObject({ kind: 'permanent' })
  })
})
