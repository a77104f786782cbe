import crypto from 'node:crypto'
import { authorizationKey, jsonResponse, startFakeServer, type FakeRequest, type FakeResponse, type FakeServer } from './fake-http.js'

/*
 * VK sign-in hosts (API-CONTRACTS.md §C.1–C.3), strictly, on one server:
 * - VK ID (RECFLOW_VK_ID_URL = url): GET /authorize (response_type=code, known client_id, an allowed redirect_uri,
 *   state of at least `minStateLength` chars, PKCE mandatory with code_challenge_method=s256) redirects to
 *   redirect_uri?code&state&device_id&type=code_v2&expires_in=600, or error=access_denied when the user denies.
 *   POST /oauth2/auth (form): authorization_code (code single-use and 10 min, code_verifier against the challenge,
 *   the code's device_id and redirect_uri, state required) and refresh_token (client_id, device_id of the grant,
 *   state; rotating: the old refresh token is refused after use). Errors {"error","error_description","state"}.
 * - Legacy OAuth (RECFLOW_VK_OAUTH_URL = url + /legacy): GET /legacy/authorize, response_type=token, v required,
 *   redirect_uri must be https://oauth.vk.com/blank.html (or an allowed one): the token in the fragment;
 *   expires_in=0 with the `offline` scope, else 86400.
 * - API (RECFLOW_VK_API_URL = url + /method): users.get with the token as Bearer or access_token; errors are HTTP
 *   200 with {error:{error_code,error_msg,request_params}} (5 for an invalid token, 8 without v).
 * Fault injection: revoke() (every grant and token refused), expireAccessTokens(), consent, the clock, and
 * FakeServer.inject for 429/5xx/drops.
 */

export interface VkIdFakeOptions {
  clientId?: string
  /** A confidential app's secret: when set, token calls that send client_secret must send this one. */
  clientSecret?: string
  redirectUris?: (uri: string) => boolean
  /** VK ID docs ask for a state of at least 32 characters (UNCONFIRMED); default 32, 0 to disable. */
  minStateLength?: number
  accessTtlS?: number
  user?: { id: number; first_name: string; last_name: string }
}

export interface VkIdFake extends FakeServer {
  readonly idUrl: string
  readonly oauthUrl: string
  readonly apiUrl: string
  consent: 'approve' | 'deny'
  now: () => number
  readonly grants: string[]
  readonly reusedRefreshTokens: string[]
  readonly issuedTokens: string[]
  /** The device ids handed out with codes. */
  readonly deviceIds: string[]
  revoke(): void
  expireAccessTokens(): void
}

export const VK_APP_ID = '51234567'
export const VK_USER = { id: 1234567, first_name: 'Pavel', last_name: 'Durov' }
export const VK_BLANK = 'https://oauth.vk.com/blank.html'

const loopback = (uri: string) => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\//.test(uri)

interface CodeGrant {
  redirectUri: string
  challenge: string
  deviceId: string
  scope: string
  expiresAt: number
}

const idError = (status: number, error: string, description: string, state?: string | null): FakeResponse =>
  jsonResponse(status, state ? { error, error_description: description, state } : { error, error_description: description })

export async function startVkIdFake(opts: VkIdFakeOptions = {}): Promise<VkIdFake> {
  const clientId = opts.clientId ?? VK_APP_ID
  const allowRedirect = opts.redirectUris ?? loopback
  const minState = opts.minStateLength ?? 32
  const accessTtlS = opts.accessTtlS ?? 3600
  const user = opts.user ?? VK_USER
  const codes = new Map<string, CodeGrant>()
  const access = new Map<string, number>()
  const refreshCurrent = new Map<string, { deviceId: string; scope: string }>()
  const refreshUsed = new Set<string>()
  const state = { consent: 'approve' as 'approve' | 'deny', now: () => Date.now() }
  const grants: string[] = []
  const reusedRefreshTokens: string[] = []
  const issuedTokens: string[] = []
  const deviceIds: string[] = []

  const token = (prefix: string) => {
    const t = `${prefix}.${crypto.randomBytes(30).toString('base64url')}`
    issuedTokens.push(t)
    return t
  }

  const issue = (deviceId: string, scope: string, st: string) => {
    const at = token('vk2.a')
    const rt = token('vk2.r')
    access.set(at, state.now() + accessTtlS * 1000)
    refreshCurrent.set(rt, { deviceId, scope })
    return {
      access_token: at,
      refresh_token: rt,
      id_token: `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: user.id })).toString('base64url')}.sig`,
      token_type: 'Bearer',
      expires_in: accessTtlS,
      user_id: user.id,
      state: st,
      scope,
    }
  }

  const authorize = (req: FakeRequest): FakeResponse => {
    const q = req.query
    if (q.get('client_id') !== clientId) return idError(400, 'invalid_client', 'client_id is invalid')
    const redirectUri = q.get('redirect_uri') ?? ''
    if (!allowRedirect(redirectUri)) return idError(400, 'invalid_request', 'redirect_uri is not a trusted redirect URL')
    if (q.get('response_type') !== 'code') return idError(400, 'unsupported_response_type', 'response_type must be code')
    const st = q.get('state') ?? ''
    if (st.length < Math.max(1, minState)) return idError(400, 'invalid_request', `state must be at least ${minState} characters`)
    const challenge = q.get('code_challenge') ?? ''
    if (challenge === '' || q.get('code_challenge_method')?.toLowerCase() !== 's256') return idError(400, 'invalid_request', 'code_challenge and code_challenge_method=s256 are required')
    const target = new URL(redirectUri)
    if (state.consent === 'deny' || req.headers['x-fake-consent'] === 'deny') {
      target.searchParams.set('error', 'access_denied')
      target.searchParams.set('error_description', 'User denied access')
      target.searchParams.set('state', st)
      return { status: 302, headers: { location: target.toString() } }
    }
    const code = `vk2.c.${crypto.randomBytes(18).toString('base64url')}`
    const deviceId = crypto.randomBytes(24).toString('base64url')
    deviceIds.push(deviceId)
    codes.set(code, { redirectUri, challenge, deviceId, scope: q.get('scope') ?? 'vkid.personal_info', expiresAt: state.now() + 600_000 })
    target.searchParams.set('code', code)
    target.searchParams.set('state', st)
    target.searchParams.set('device_id', deviceId)
    target.searchParams.set('type', 'code_v2')
    target.searchParams.set('expires_in', '600')
    return { status: 302, headers: { location: target.toString() } }
  }

  const tokenRoute = (req: FakeRequest): FakeResponse => {
    if (!/^application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'] ?? ''))) return idError(400, 'invalid_request', 'form body expected')
    const p = new URLSearchParams(req.body.toString('utf8'))
    const st = p.get('state')
    if (p.get('client_id') !== clientId) return idError(401, 'invalid_client', 'client_id is invalid', st)
    if (p.has('client_secret') && p.get('client_secret') !== opts.clientSecret) return idError(401, 'invalid_client', 'client_secret is invalid', st)
    if (!st) return idError(400, 'invalid_request', 'state is required')
    const deviceId = p.get('device_id')
    if (!deviceId) return idError(400, 'invalid_request', 'device_id is required', st)
    const grantType = p.get('grant_type')
    if (grantType === 'authorization_code') {
      const code = p.get('code') ?? ''
      const grant = codes.get(code)
      codes.delete(code)
      if (!grant || grant.expiresAt < state.now()) return idError(400, 'invalid_grant', 'code is invalid or expired', st)
      if (grant.deviceId !== deviceId) return idError(400, 'invalid_grant', 'device_id does not match the code', st)
      if (p.get('redirect_uri') !== grant.redirectUri) return idError(400, 'invalid_grant', 'redirect_uri does not match', st)
      const verifier = p.get('code_verifier') ?? ''
      if (!/^[A-Za-z0-9_-]{43,128}$/.test(verifier) || crypto.createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
        return idError(400, 'invalid_grant', 'code_verifier is invalid', st)
      }
      grants.push(grantType)
      return jsonResponse(200, issue(deviceId, grant.scope, st))
    }
    if (grantType === 'refresh_token') {
      const rt = p.get('refresh_token') ?? ''
      const current = refreshCurrent.get(rt)
      if (!current) {
        if (refreshUsed.has(rt)) reusedRefreshTokens.push(rt)
        return idError(400, 'invalid_grant', 'refresh token is invalid or expired', st)
      }
      if (current.deviceId !== deviceId) return idError(400, 'invalid_grant', 'device_id does not match the refresh token', st)
      refreshCurrent.delete(rt)
      refreshUsed.add(rt)
      grants.push(grantType)
      return jsonResponse(200, issue(deviceId, current.scope, st))
    }
    return idError(400, 'unsupported_grant_type', 'grant_type is not supported', st)
  }

  const legacyAuthorize = (req: FakeRequest): FakeResponse => {
    const q = req.query
    if (q.get('client_id') !== clientId) return jsonResponse(400, { error: 'invalid_client', error_description: 'client_id is incorrect' })
    const redirectUri = q.get('redirect_uri') ?? ''
    if (redirectUri !== VK_BLANK && !allowRedirect(redirectUri)) return jsonResponse(400, { error: 'invalid_request', error_description: 'redirect_uri is incorrect' })
    if (!q.get('v')) return jsonResponse(400, { error: 'invalid_request', error_description: 'v is required' })
    const rt = q.get('response_type')
    if (rt !== 'token') return jsonResponse(400, { error: 'unsupported_response_type', error_description: 'response_type is not supported here' })
    const st = q.get('state') ?? ''
    const fragment = new URLSearchParams()
    if (state.consent === 'deny' || req.headers['x-fake-consent'] === 'deny') {
      fragment.set('error', 'access_denied')
      fragment.set('error_reason', 'user_denied')
      fragment.set('error_description', 'User denied your request')
    } else {
      const offline = (q.get('scope') ?? '').split(',').includes('offline')
      const at = token('vk1.a')
      access.set(at, offline ? Number.POSITIVE_INFINITY : state.now() + 86_400_000)
      grants.push('implicit')
      fragment.set('access_token', at)
      fragment.set('expires_in', offline ? '0' : '86400')
      fragment.set('user_id', String(user.id))
    }
    if (st) fragment.set('state', st)
    return { status: 302, headers: { location: `${redirectUri}#${fragment.toString()}` } }
  }

  const usersGet = (req: FakeRequest): FakeResponse => {
    const p = new URLSearchParams(req.query)
    if (req.body.length > 0) for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) p.append(k, v)
    const requestParams = [
      { key: 'method', value: 'users.get' },
      { key: 'v', value: p.get('v') ?? '' },
    ]
    if (!p.get('v')) return jsonResponse(200, { error: { error_code: 8, error_msg: 'Invalid request: v (version) is required', request_params: requestParams } })
    const at = authorizationKey(req) ?? p.get('access_token') ?? undefined
    const expiry = at === undefined ? undefined : access.get(at)
    if (expiry === undefined || expiry <= state.now()) {
      return jsonResponse(200, { error: { error_code: 5, error_msg: 'User authorization failed: invalid access_token (4).', request_params: requestParams } })
    }
    return jsonResponse(200, { response: [{ id: user.id, first_name: user.first_name, last_name: user.last_name, can_access_closed: true, is_closed: false }] })
  }

  const server = await startFakeServer([
    { method: 'GET', path: '/authorize', handler: authorize },
    { method: 'POST', path: '/oauth2/auth', handler: tokenRoute },
    { method: 'GET', path: '/legacy/authorize', handler: legacyAuthorize },
    { method: 'GET', path: '/method/users.get', handler: usersGet },
    { method: 'POST', path: '/method/users.get', handler: usersGet },
  ])

  const extra = {
    idUrl: server.url,
    oauthUrl: `${server.url}/legacy`,
    apiUrl: `${server.url}/method`,
    grants,
    reusedRefreshTokens,
    issuedTokens,
    deviceIds,
    get consent() {
      return state.consent
    },
    set consent(v: 'approve' | 'deny') {
      state.consent = v
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
      access.clear()
    },
    expireAccessTokens() {
      for (const t of access.keys()) access.set(t, 0)
    },
  }
  // defineProperties, not Object.assign: the accessors must stay live.
  return Object.defineProperties(server, Object.getOwnPropertyDescriptors(extra)) as VkIdFake
}
