import crypto from 'node:crypto'
import { authorizationKey, jsonResponse, startFakeServer, type FakeRequest, type FakeResponse, type FakeServer } from './fake-http.js'

/*
 * Zoom's OAuth host (API-CONTRACTS.md §A.1–A.2), strictly, plus `GET /v2/users/me` for the account name:
 * - GET /oauth/authorize: response_type=code, a known client_id, an allowed redirect_uri, PKCE S256 when a
 *   challenge is given; the user's answer is scripted (approve, or deny -> error=access_denied) and the browser
 *   is redirected to redirect_uri?code&state. Codes live 5 minutes and work once.
 * - POST /oauth/token: HTTP Basic client authentication (401 invalid_client otherwise); parameters from the query
 *   or a form body; authorization_code (redirect_uri must equal the authorize request's, code_verifier must match
 *   the challenge), refresh_token (rotating: each refresh issues a new refresh token and the old one is refused
 *   with 400 {"reason":"Invalid Token!","error":"invalid_request"}), account_credentials (S2S: no refresh token);
 *   anything else 4705 unsupported_grant_type.
 * - GET /v2/users/me: the token's user; an unknown, expired or revoked token is 401 {code:124}.
 * Fault injection: revoke() (the user removed the app: every grant refused), expireAccessTokens(), the clock
 * (now()), and FakeServer.inject for 429/5xx/drops.
 */

export interface ZoomUserApp {
  clientId: string
  clientSecret: string
  /** Exact redirect URIs allowed, or a predicate (default: any http://127.0.0.1 or localhost loopback URL). */
  redirectUris?: (uri: string) => boolean
}

export interface ZoomS2SApp {
  accountId: string
  clientId: string
  clientSecret: string
}

export interface ZoomOAuthFakeOptions {
  userApp?: ZoomUserApp
  s2sApp?: ZoomS2SApp
  user?: { id: string; email: string; first_name: string; last_name: string }
  /** Access token lifetime in seconds (default 3599). */
  accessTtlS?: number
  /** Refresh token lifetime in seconds (UNCONFIRMED upstream: 90 days vs 15 years; default 90 days). */
  refreshTtlS?: number
  scope?: string
}

export interface ZoomOAuthFake extends FakeServer {
  /** The value for RECFLOW_ZOOM_OAUTH_URL (the OAuth host). */
  readonly oauthUrl: string
  /** The value for RECFLOW_ZOOM_API_URL (…/v2). */
  readonly apiUrl: string
  /** The next authorize requests' answer: 'approve' (default) or 'deny' (error=access_denied); a request's `x-fake-consent: deny` header denies too (the scripted browser's knob). */
  consent: 'approve' | 'deny'
  /** Every refresh token that was refused because it was already used (a rotation bug in the client). */
  readonly reusedRefreshTokens: string[]
  /** Token grants served, in order, by grant type. */
  readonly grants: string[]
  /** Tokens the fake issued (access and refresh), to check none leaks into files or output. */
  readonly issuedTokens: string[]
  /** The user removed the app: every user refresh token and access token stops working. */
  revoke(): void
  /** The S2S app was deactivated: its tokens stop working and no new one is issued. */
  deactivateS2S(): void
  /** Every access token issued so far is expired (the client still believes they are valid). */
  expireAccessTokens(): void
  /** Lifetime of the access tokens issued from now on, in seconds. */
  accessTtlS: number
  /** The fake's clock (default Date.now). */
  now: () => number
  /** Access tokens that are valid right now. */
  validAccessTokens(): string[]
}

export const ZOOM_USER_APP: ZoomUserApp = { clientId: 'zoom-client-id-123', clientSecret: 'zoom-client-secret-abcdef0123' }
export const ZOOM_S2S_APP: ZoomS2SApp = { accountId: 'zoom-account-AbC123', clientId: 'zoom-s2s-client-456', clientSecret: 'zoom-s2s-secret-fedcba9876' }
export const ZOOM_USER = { id: 'KDcuGIm1QgePTO8WbOqwIQ', email: 'lecturer@example.edu', first_name: 'Ada', last_name: 'Lovelace' }

const loopback = (uri: string) => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\//.test(uri)

interface CodeGrant {
  clientId: string
  redirectUri: string
  challenge: string | null
  expiresAt: number
}

interface TokenInfo {
  kind: 'user' | 's2s'
  expiresAt: number
}

const oauthError = (status: number, reason: string, error: string): FakeResponse => jsonResponse(status, { reason, error })

export async function startZoomOAuthFake(opts: ZoomOAuthFakeOptions = {}): Promise<ZoomOAuthFake> {
  const userApp = opts.userApp ?? ZOOM_USER_APP
  const s2sApp = opts.s2sApp ?? ZOOM_S2S_APP
  const user = opts.user ?? ZOOM_USER
  const refreshTtlS = opts.refreshTtlS ?? 90 * 86_400
  const scope = opts.scope ?? 'cloud_recording:read:list_user_recordings cloud_recording:read:recording user:read:user'
  const allowRedirect = userApp.redirectUris ?? loopback

  const codes = new Map<string, CodeGrant>()
  const access = new Map<string, TokenInfo>()
  /** Refresh tokens: current ones map to their expiry; rotated ones are remembered as used. */
  const refreshCurrent = new Map<string, number>()
  const refreshUsed = new Set<string>()
  const state = {
    consent: 'approve' as 'approve' | 'deny',
    now: () => Date.now(),
    accessTtlS: opts.accessTtlS ?? 3599,
  }
  let deactivated = false
  const reusedRefreshTokens: string[] = []
  const grants: string[] = []
  const issuedTokens: string[] = []

  const token = (prefix: string) => {
    const t = `${prefix}.${crypto.randomBytes(24).toString('base64url')}`
    issuedTokens.push(t)
    return t
  }

  const params = (req: FakeRequest): URLSearchParams => {
    const merged = new URLSearchParams(req.query)
    const type = String(req.headers['content-type'] ?? '')
    if (req.body.length > 0) {
      if (!/^application\/x-www-form-urlencoded/i.test(type)) return new URLSearchParams('__bad_content_type=1')
      for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) merged.append(k, v)
    }
    return merged
  }

  const basicClient = (req: FakeRequest): { id: string; secret: string } | undefined => {
    const value = req.headers.authorization
    const m = typeof value === 'string' ? /^Basic\s+(.+)$/i.exec(value) : null
    if (!m) return undefined
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8')
    const i = decoded.indexOf(':')
    return i === -1 ? undefined : { id: decoded.slice(0, i), secret: decoded.slice(i + 1) }
  }

  const issueUser = (): Record<string, unknown> => {
    const at = token('zoom-at')
    const rt = token('zoom-rt')
    access.set(at, { kind: 'user', expiresAt: state.now() + state.accessTtlS * 1000 })
    refreshCurrent.set(rt, state.now() + refreshTtlS * 1000)
    return { access_token: at, token_type: 'bearer', refresh_token: rt, expires_in: state.accessTtlS, scope, api_url: 'https://api.zoom.us' }
  }

  const authorize = (req: FakeRequest): FakeResponse => {
    const q = req.query
    if (q.get('response_type') !== 'code') return jsonResponse(400, { reason: 'Invalid response_type', error: 'unsupported_response_type' })
    if (q.get('client_id') !== userApp.clientId) return oauthError(400, 'Invalid client_id: ' + (q.get('client_id') ?? ''), 'invalid_client')
    const redirectUri = q.get('redirect_uri') ?? ''
    if (!allowRedirect(redirectUri)) return oauthError(400, 'Invalid redirect: ' + redirectUri, 'invalid_request') // 4709
    const challenge = q.get('code_challenge')
    if (challenge !== null && q.get('code_challenge_method') !== 'S256' && q.get('code_challenge_method') !== 'plain') {
      return oauthError(400, 'Invalid code_challenge_method', 'invalid_request')
    }
    const target = new URL(redirectUri)
    const st = q.get('state')
    if (state.consent === 'deny' || req.headers['x-fake-consent'] === 'deny') {
      target.searchParams.set('error', 'access_denied')
      if (st !== null) target.searchParams.set('state', st)
      return { status: 302, headers: { location: target.toString() } }
    }
    const code = crypto.randomBytes(16).toString('base64url')
    codes.set(code, { clientId: userApp.clientId, redirectUri, challenge: challenge === null ? null : `${q.get('code_challenge_method')}:${challenge}`, expiresAt: state.now() + 5 * 60_000 })
    target.searchParams.set('code', code)
    if (st !== null) target.searchParams.set('state', st)
    return { status: 302, headers: { location: target.toString() } }
  }

  const tokenRoute = (req: FakeRequest): FakeResponse => {
    const p = params(req)
    if (p.has('__bad_content_type')) return oauthError(400, 'Unsupported content type', 'invalid_request')
    const grantType = p.get('grant_type')
    const client = basicClient(req)
    if (!client || grantType === null) return oauthError(400, 'Invalid client_id, client_secret or grant_type missing', 'invalid_request') // 4706
    if (grantType === 'account_credentials') {
      if (client.id !== s2sApp.clientId || client.secret !== s2sApp.clientSecret) return oauthError(400, 'Invalid client_id or client_secret', 'invalid_client')
      if (p.get('account_id') !== s2sApp.accountId) return oauthError(400, 'Invalid account_id', 'invalid_request')
      if (deactivated) return oauthError(400, 'The app has been deactivated', 'invalid_client') // 4717
      grants.push(grantType)
      const at = token('zoom-s2s')
      access.set(at, { kind: 's2s', expiresAt: state.now() + state.accessTtlS * 1000 })
      return jsonResponse(200, { access_token: at, token_type: 'bearer', expires_in: state.accessTtlS, scope, api_url: 'https://api.zoom.us' })
    }
    if (client.id !== userApp.clientId || client.secret !== userApp.clientSecret) return oauthError(401, 'Invalid client_id or client_secret', 'invalid_client') // 4702/4704
    if (grantType === 'authorization_code') {
      const code = p.get('code') ?? ''
      const grant = codes.get(code)
      codes.delete(code) // single use, even when refused below
      if (!grant || grant.expiresAt < state.now()) return oauthError(400, `Invalid authorization code ${code}`, 'invalid_request')
      if (p.get('redirect_uri') !== grant.redirectUri) return oauthError(400, 'Redirect URI mismatch.', 'invalid_request') // 4709
      if (grant.challenge !== null) {
        const verifier = p.get('code_verifier') ?? ''
        const [method, challenge] = grant.challenge.split(':') as [string, string]
        const expected = method === 'S256' ? crypto.createHash('sha256').update(verifier).digest('base64url') : verifier
        if (verifier === '' || expected !== challenge) return oauthError(400, 'Invalid code_verifier', 'invalid_request')
      }
      grants.push(grantType)
      return jsonResponse(200, issueUser())
    }
    if (grantType === 'refresh_token') {
      const rt = p.get('refresh_token') ?? ''
      const expiry = refreshCurrent.get(rt)
      if (expiry === undefined || expiry < state.now()) {
        if (refreshUsed.has(rt)) reusedRefreshTokens.push(rt)
        return oauthError(400, 'Invalid Token!', 'invalid_request') // 4711
      }
      refreshCurrent.delete(rt)
      refreshUsed.add(rt)
      grants.push(grantType)
      return jsonResponse(200, issueUser())
    }
    return oauthError(400, 'Unsupported grant type', 'unsupported_grant_type') // 4705
  }

  const usersMe = (req: FakeRequest): FakeResponse => {
    const at = authorizationKey(req)
    const info = at === undefined ? undefined : access.get(at)
    if (!info || info.expiresAt <= state.now()) return jsonResponse(401, { code: 124, message: 'Invalid access token.' })
    if (info.kind === 's2s') return jsonResponse(200, { id: 'S2S_ADMIN_1', email: 'admin@example.edu', first_name: 'Account', last_name: 'Admin', type: 2 })
    return jsonResponse(200, { ...user, type: 2, account_id: s2sApp.accountId, status: 'active' })
  }

  const server = await startFakeServer(
    [
      { method: 'GET', path: '/oauth/authorize', handler: authorize },
      { method: 'POST', path: '/oauth/token', handler: tokenRoute },
      { method: 'GET', path: '/v2/users/me', handler: usersMe },
    ],
    { notFound: () => jsonResponse(404, { code: 404, message: 'Not found' }) },
  )

  const extra = {
    oauthUrl: server.url,
    apiUrl: `${server.url}/v2`,
    reusedRefreshTokens,
    grants,
    issuedTokens,
    get consent() {
      return state.consent
    },
    set consent(v: 'approve' | 'deny') {
      state.consent = v
    },
    get accessTtlS() {
      return state.accessTtlS
    },
    set accessTtlS(v: number) {
      state.accessTtlS = v
    },
    get now() {
      return state.now
    },
    set now(fn: () => number) {
      state.now = fn
    },
    revoke() {
      // Revoked, not reused: a refusal after this is not a rotation bug of the client.
      refreshCurrent.clear()
      for (const [t, info] of access) if (info.kind === 'user') access.delete(t)
    },
    deactivateS2S() {
      deactivated = true
      for (const [t, info] of access) if (info.kind === 's2s') access.delete(t)
    },
    expireAccessTokens() {
      for (const info of access.values()) info.expiresAt = 0
    },
    validAccessTokens: () => [...access.entries()].filter(([, i]) => i.expiresAt > state.now()).map(([t]) => t),
  }
  // defineProperties, not Object.assign: the accessors must stay live.
  return Object.defineProperties(server, Object.getOwnPropertyDescriptors(extra)) as ZoomOAuthFake
}
