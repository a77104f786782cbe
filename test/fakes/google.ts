import crypto from 'node:crypto'
import { jsonResponse, startFakeServer, type FakeRequest, type FakeResponse, type FakeServer } from './fake-http.js'

/*
 * Google's OAuth 2.0 endpoints and the YouTube channel lookup, strict to API-CONTRACTS.md §B.1:
 * - GET /o/oauth2/v2/auth (RECFLOW_GOOGLE_AUTH_URL): a known client_id, response_type=code, a scope, a redirect_uri
 *   that is a loopback http URL (installed clients) or one of a web client's registered URIs, PKCE
 *   code_challenge with method S256 (plain is refused here: we never send it). The "user" approves unless the
 *   browser sends `x-fake-consent: deny` (then `error=access_denied`). Answers 302 to redirect_uri with code+state.
 *   A request it rejects gets Google's error page (400, text), never a redirect.
 * - POST /token (RECFLOW_GOOGLE_TOKEN_URL), form body only: authorization_code (client id+secret, a code issued to
 *   that client, unused and at most 10 minutes old, the same redirect_uri, a code_verifier whose S256 is the
 *   challenge) and refresh_token (not rotated: no new refresh token in the answer). invalid_grant 400 for a bad,
 *   used or expired code or a revoked refresh token; invalid_client 401 for a wrong client.
 * - GET /youtube/v3/channels?part=snippet&mine=true (RECFLOW_YOUTUBE_API_URL): Bearer access token that is known,
 *   unexpired and has a YouTube scope, else 401 authError / 403 insufficientPermissions.
 * Tokens are issued only with access_type=offline (refresh token; with prompt=consent every time, else on the
 * first consent only). Fault injection: `server.inject(...)`, `revokeAll()`, `expireAccessTokens()`.
 */

export interface GoogleClient {
  id: string
  secret: string
  /** 'installed' accepts any loopback redirect; 'web' only its registered redirect URIs. */
  type: 'installed' | 'web'
  redirectUris?: string[]
}

interface IssuedCode {
  clientId: string
  redirectUri: string
  challenge: string
  scopes: string[]
  offline: boolean
  consent: boolean
  issuedAt: number
  used: boolean
}

export interface GoogleAccessToken {
  clientId: string
  scopes: string[]
  expiresAt: number
}

export interface GoogleFake {
  readonly server: FakeServer
  /** RECFLOW_GOOGLE_AUTH_URL, RECFLOW_GOOGLE_TOKEN_URL and RECFLOW_YOUTUBE_API_URL pointing here. */
  readonly env: Record<string, string>
  readonly clients: GoogleClient[]
  /** The channel `channels.list?mine=true` answers; null: the account has no channel. */
  channel: { id: string; title: string } | null
  /** Access tokens issued (by value), for other fakes that check a Bearer token. */
  readonly accessTokens: Map<string, GoogleAccessToken>
  /** Refresh tokens issued, by value, with whether each is revoked. */
  readonly refreshTokens: Map<string, { clientId: string; scopes: string[]; revoked: boolean }>
  /** Seconds an access token lives (3599 like Google). */
  accessTokenTtlS: number
  /** How many refresh_token grants succeeded. */
  readonly refreshCount: () => number
  /** Tokens as a past sign-in would have left them (an access and a refresh token of `client`). */
  grant(opts?: { clientId?: string; scopes?: string[] }): { accessToken: string; refreshToken: string; scopes: string[] }
  /** Revokes every refresh token (the user removed the app's access). */
  revokeAll(): void
  /** Makes every issued access token expired. */
  expireAccessTokens(): void
  /** True when `token` is a live access token with one of `scopes` (any when empty). */
  accepts(token: string | undefined, scopes?: string[]): boolean
  close(): Promise<void>
}

export const GOOGLE_TEST_CLIENT: GoogleClient = { id: '1234-test.apps.googleusercontent.com', secret: 'GOCSPX-test-secret-9f8e7d', type: 'installed' }

const YOUTUBE_SCOPES = ['youtube', 'youtube.force-ssl', 'youtube.readonly', 'youtube.upload', 'youtubepartner'].map((s) => `https://www.googleapis.com/auth/${s}`)
const CHANNEL_SCOPES = YOUTUBE_SCOPES.filter((s) => !s.endsWith('youtube.upload'))

const errorPage = (message: string): FakeResponse => ({ status: 400, headers: { 'content-type': 'text/html' }, body: `<html><body><h1>Error 400: ${message}</h1></body></html>` })
const oauthError = (status: number, error: string, description: string) => jsonResponse(status, { error, error_description: description })
const b64url = (buf: Buffer) => buf.toString('base64url')
const token = (prefix: string) => `${prefix}${b64url(crypto.randomBytes(24))}`

function isLoopback(uri: string): boolean {
  try {
    const u = new URL(uri)
    return u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === '[::1]' || u.hostname === 'localhost') && !u.hash
  } catch {
    return false
  }
}

function formOf(req: FakeRequest): URLSearchParams | undefined {
  const type = String(req.headers['content-type'] ?? '')
  if (!type.startsWith('application/x-www-form-urlencoded')) return undefined
  return new URLSearchParams(req.body.toString('utf8'))
}

export async function startGoogleFake(opts: { clients?: GoogleClient[]; channel?: { id: string; title: string } | null } = {}): Promise<GoogleFake> {
  const clients = opts.clients ?? [GOOGLE_TEST_CLIENT]
  const codes = new Map<string, IssuedCode>()
  const accessTokens = new Map<string, GoogleAccessToken>()
  const refreshTokens = new Map<string, { clientId: string; scopes: string[]; revoked: boolean }>()
  const consented = new Set<string>() // client ids the user has consented to before
  let refreshes = 0

  const issueAccess = (clientId: string, scopes: string[]) => {
    const value = token('ya29.')
    accessTokens.set(value, { clientId, scopes, expiresAt: Date.now() + fake.accessTokenTtlS * 1000 })
    return value
  }

  const authorize = (req: FakeRequest): FakeResponse => {
    const q = req.query
    const client = clients.find((c) => c.id === q.get('client_id'))
    if (!client) return errorPage('invalid_client (The OAuth client was not found.)')
    const redirectUri = q.get('redirect_uri') ?? ''
    const allowed = client.type === 'installed' ? isLoopback(redirectUri) : (client.redirectUris ?? []).includes(redirectUri)
    if (!allowed) return errorPage('redirect_uri_mismatch')
    if (q.get('response_type') !== 'code') return errorPage('unsupported_response_type')
    const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean)
    if (scopes.length === 0) return errorPage('invalid_request (Missing required parameter: scope)')
    const challenge = q.get('code_challenge')
    if (client.type === 'installed' && !challenge) return errorPage('invalid_request (Missing required parameter: code_challenge)')
    if (challenge && q.get('code_challenge_method') !== 'S256') return errorPage('invalid_request (code_challenge_method must be S256 here)')
    if (challenge && !/^[A-Za-z0-9_-]{43}$/.test(challenge)) return errorPage('invalid_request (Invalid code_challenge)')
    const back = new URL(redirectUri)
    const state = q.get('state')
    if (req.headers['x-fake-consent'] === 'deny') {
      back.searchParams.set('error', 'access_denied')
      if (state !== null) back.searchParams.set('state', state)
      return { status: 302, headers: { location: back.toString() } }
    }
    const code = token('4/0A')
    codes.set(code, {
      clientId: client.id,
      redirectUri,
      challenge: challenge ?? '',
      scopes,
      offline: q.get('access_type') === 'offline',
      consent: q.get('prompt') === 'consent',
      issuedAt: Date.now(),
      used: false,
    })
    back.searchParams.set('code', code)
    if (state !== null) back.searchParams.set('state', state)
    back.searchParams.set('scope', scopes.join(' '))
    return { status: 302, headers: { location: back.toString() } }
  }

  const tokenEndpoint = (req: FakeRequest): FakeResponse => {
    const form = formOf(req)
    if (!form) return oauthError(400, 'invalid_request', 'Body must be application/x-www-form-urlencoded.')
    const client = clients.find((c) => c.id === form.get('client_id'))
    if (!client || form.get('client_secret') !== client.secret) return oauthError(401, 'invalid_client', 'Unauthorized')
    const grant = form.get('grant_type')
    if (grant === 'authorization_code') {
      const code = codes.get(form.get('code') ?? '')
      if (!code || code.clientId !== client.id) return oauthError(400, 'invalid_grant', 'Malformed auth code.')
      if (code.used) return oauthError(400, 'invalid_grant', 'Bad Request')
      code.used = true
      if (Date.now() - code.issuedAt > 10 * 60_000) return oauthError(400, 'invalid_grant', 'Bad Request')
      if (form.get('redirect_uri') !== code.redirectUri) return oauthError(400, 'redirect_uri_mismatch', 'Bad Request')
      const verifier = form.get('code_verifier')
      if (code.challenge) {
        if (!verifier) return oauthError(400, 'invalid_request', 'Missing code verifier.')
        if (b64url(crypto.createHash('sha256').update(verifier).digest()) !== code.challenge) return oauthError(400, 'invalid_grant', 'Invalid code verifier.')
      }
      const body: Record<string, unknown> = {
        access_token: issueAccess(client.id, code.scopes),
        expires_in: fake.accessTokenTtlS,
        scope: code.scopes.join(' '),
        token_type: 'Bearer',
      }
      if (code.offline && (code.consent || !consented.has(client.id))) {
        const refresh = token('1//0g')
        refreshTokens.set(refresh, { clientId: client.id, scopes: code.scopes, revoked: false })
        body.refresh_token = refresh
      }
      consented.add(client.id)
      return jsonResponse(200, body)
    }
    if (grant === 'refresh_token') {
      const refresh = refreshTokens.get(form.get('refresh_token') ?? '')
      if (!refresh || refresh.revoked || refresh.clientId !== client.id) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.')
      refreshes++
      return jsonResponse(200, { access_token: issueAccess(client.id, refresh.scopes), expires_in: fake.accessTokenTtlS, scope: refresh.scopes.join(' '), token_type: 'Bearer' })
    }
    return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grant ?? ''}`)
  }

  const ytError = (status: number, reason: string, message: string) =>
    jsonResponse(status, { error: { code: status, message, errors: [{ message, domain: 'global', reason }] } })

  const bearer = (req: FakeRequest) => /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''))?.[1]

  const channels = (req: FakeRequest): FakeResponse => {
    const value = bearer(req)
    const t = value === undefined ? undefined : accessTokens.get(value)
    if (!t || t.expiresAt <= Date.now()) return ytError(401, 'authError', 'Invalid Credentials')
    if (!t.scopes.some((s) => CHANNEL_SCOPES.includes(s))) return ytError(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.')
    if (req.query.get('mine') !== 'true' || !req.query.get('part')) return ytError(400, 'missingRequiredParameter', 'No filter selected.')
    const items = fake.channel ? [{ kind: 'youtube#channel', id: fake.channel.id, snippet: { title: fake.channel.title } }] : []
    return jsonResponse(200, { kind: 'youtube#channelListResponse', pageInfo: { totalResults: items.length, resultsPerPage: 5 }, items })
  }

  const server = await startFakeServer([
    { method: 'GET', path: '/o/oauth2/v2/auth', handler: authorize },
    { method: 'POST', path: '/token', handler: tokenEndpoint },
    { method: 'GET', path: '/youtube/v3/channels', handler: channels },
  ])

  const fake: GoogleFake = {
    server,
    env: {
      RECFLOW_GOOGLE_AUTH_URL: `${server.url}/o/oauth2/v2/auth`,
      RECFLOW_GOOGLE_TOKEN_URL: `${server.url}/token`,
      RECFLOW_YOUTUBE_API_URL: server.url,
    },
    clients,
    channel: opts.channel === undefined ? { id: 'UC_fake_channel_1', title: 'Lectures Channel' } : opts.channel,
    accessTokens,
    refreshTokens,
    accessTokenTtlS: 3599,
    refreshCount: () => refreshes,
    grant: ({ clientId = clients[0]!.id, scopes = YOUTUBE_SCOPES.slice(1, 2) } = {}) => {
      const refreshToken = token('1//0g')
      refreshTokens.set(refreshToken, { clientId, scopes, revoked: false })
      return { accessToken: issueAccess(clientId, scopes), refreshToken, scopes }
    },
    revokeAll: () => {
      for (const r of refreshTokens.values()) r.revoked = true
      accessTokens.clear()
    },
    expireAccessTokens: () => {
      for (const t of accessTokens.values()) t.expiresAt = 0
    },
    accepts: (value, scopes = []) => {
      const t = value === undefined ? undefined : accessTokens.get(value)
      return !!t && t.expiresAt > Date.now() && (scopes.length === 0 || t.scopes.some((s) => scopes.includes(s)))
    },
    close: () => server.close(),
  }
  return fake
}
