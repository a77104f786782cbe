import { RecflowError } from '../../domain/errors.js'
import { HttpUnreachableError, requestWithRetry, retryAfterMs, type HttpAnswer } from '../../platform/http.js'
import { ProviderError, type ProviderEnv } from '../types.js'

/*
 * Zoom OAuth (API-CONTRACTS.md §A.1–A.2): the user-level authorization-code flow with PKCE, whose refresh tokens
 * rotate on every refresh (the old one stops working), and Server-to-Server `account_credentials` (no refresh
 * token: a new access token when the old one expires). The client authenticates with HTTP Basic; parameters go
 * form-encoded. A refused grant (400 "Invalid Token!", 4711, invalid_grant, 401) is a ProviderError kind 'auth':
 * the caller marks the credential for re-authorisation. No token or secret ever appears in a message.
 */

export interface OAuthClient {
  clientId: string
  clientSecret: string | null
}

export interface OAuthTokenSet {
  accessToken: string
  refreshToken: string | null
  expiresAt: Date | null
  scopes: string[]
}

const PROVIDER = 'zoom'
const RETRY = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 30_000, attemptTimeoutMs: 30_000 }

/** Zoom's authorize URL for the user-level flow (scopes are the app's, fixed in the Marketplace). */
export function zoomAuthorizeUrl(env: ProviderEnv, input: { clientId: string; redirectUri: string; state: string; codeChallenge: string }): string {
  const url = new URL(`${env.urls.zoomOauth}/oauth/authorize`)
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('client_id', input.clientId)
  url.searchParams.set('redirect_uri', input.redirectUri)
  url.searchParams.set('state', input.state)
  url.searchParams.set('code_challenge', input.codeChallenge)
  url.searchParams.set('code_challenge_method', 'S256')
  return url.toString()
}

export async function zoomExchange(
  env: ProviderEnv,
  input: { code: string; codeVerifier: string; redirectUri: string; client: OAuthClient },
  control: { signal?: AbortSignal } = {},
): Promise<OAuthTokenSet> {
  const form = { grant_type: 'authorization_code', code: input.code, redirect_uri: input.redirectUri, code_verifier: input.codeVerifier }
  return tokenSet(env, await tokenCall(env, input.client, form, 'code exchange', control), null)
}

/** A new pair for the refresh token; Zoom always rotates it, so the answer's refresh token replaces the old one. */
export async function zoomRefresh(
  env: ProviderEnv,
  input: { refreshToken: string; client: OAuthClient },
  control: { signal?: AbortSignal } = {},
): Promise<OAuthTokenSet> {
  const answer = await tokenCall(env, input.client, { grant_type: 'refresh_token', refresh_token: input.refreshToken }, 'refresh', control)
  return tokenSet(env, answer, input.refreshToken)
}

/** Server-to-Server: a fresh account token (no refresh token; earlier tokens stay valid until they expire). */
export async function zoomAccountToken(
  env: ProviderEnv,
  input: { accountId: string; client: OAuthClient },
  control: { signal?: AbortSignal } = {},
): Promise<OAuthTokenSet> {
  const form = { grant_type: 'account_credentials', account_id: input.accountId }
  const set = tokenSet(env, await tokenCall(env, input.client, form, 'account token', control), null)
  return { ...set, refreshToken: null }
}

/** The signed-in user's email (`GET /v2/users/me`), the credential's account name. */
export async function zoomAccountName(env: ProviderEnv, accessToken: string, control: { signal?: AbortSignal } = {}): Promise<string> {
  const url = `${env.urls.zoomApi}/users/me`
  const answer = await send(url, () => ({ headers: { authorization: `Bearer ${accessToken}` } }), 'user lookup', control, [accessToken])
  if (answer.status !== 200) throw apiFailure(answer, 'user lookup', [accessToken])
  const body = parseJson(answer.text) as { email?: unknown; id?: unknown } | undefined
  if (typeof body?.email === 'string' && body.email !== '') return body.email
  if (typeof body?.id === 'string' && body.id !== '') return body.id
  throw new ProviderError(PROVIDER, 'permanent', 'Zoom answered GET /users/me without an email or id')
}

async function tokenCall(
  env: ProviderEnv,
  client: OAuthClient,
  form: Record<string, string>,
  what: string,
  control: { signal?: AbortSignal },
): Promise<Record<string, unknown>> {
  if (client.clientSecret === null || client.clientSecret === '') {
    throw new RecflowError('usage', 'Zoom needs the app\'s client secret', { hint: 'give --client-secret (from the app\'s page on marketplace.zoom.us)' })
  }
  const secrets = [client.clientSecret, ...Object.values(form).filter((v) => v.length >= 8)]
  const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')
  const answer = await send(
    `${env.urls.zoomOauth}/oauth/token`,
    () => ({
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    }),
    what,
    control,
    secrets,
  )
  if (answer.status !== 200) throw tokenFailure(answer, what, secrets)
  const body = parseJson(answer.text)
  if (!body || typeof body.access_token !== 'string' || body.access_token === '') {
    throw new ProviderError(PROVIDER, 'permanent', `Zoom's ${what} answer holds no access token`)
  }
  return body
}

function tokenSet(env: ProviderEnv, body: Record<string, unknown>, previousRefresh: string | null): OAuthTokenSet {
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in)
  const refresh = typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : previousRefresh
  return {
    accessToken: body.access_token as string,
    refreshToken: refresh,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(env.clock.now().getTime() + expiresIn * 1000) : null,
    scopes: typeof body.scope === 'string' ? body.scope.split(/[\s,]+/).filter(Boolean) : [],
  }
}

async function send(url: string, init: () => RequestInit, what: string, control: { signal?: AbortSignal }, secrets: string[]): Promise<HttpAnswer> {
  try {
    return await requestWithRetry(url, init, { ...RETRY, signal: control.signal })
  } catch (e) {
    if (e instanceof RecflowError) throw e
    const message = e instanceof HttpUnreachableError ? e.message : String(e)
    throw new ProviderError(PROVIDER, 'transient', `Zoom ${what}: ${redact(message, secrets)}`, { cause: e })
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

const redact = (text: string, secrets: string[]) => secrets.reduce((t, s) => (s.length >= 4 ? t.split(s).join('***') : t), text)

const REAUTH_HINT = 'run `recflow auth zoom` to sign in again'

/** Token endpoint failures: a refused grant or client is 'auth' (sign in again), 429/5xx after retries transient. */
function tokenFailure(answer: HttpAnswer, what: string, secrets: string[]): ProviderError {
  const body = parseJson(answer.text)
  const reason = typeof body?.reason === 'string' ? body.reason : typeof body?.error_description === 'string' ? body.error_description : undefined
  const error = typeof body?.error === 'string' ? body.error : undefined
  const detail = redact([reason, error].filter(Boolean).join(': ') || answer.text.slice(0, 200) || 'no details', secrets)
  const status = answer.status
  if (status === 429) {
    return new ProviderError(PROVIDER, 'rate_limited', `Zoom's token endpoint kept answering 429 (${detail})`, {
      retryAfterMs: retryAfterMs(answer.headers.get('retry-after'), Date.now()),
    })
  }
  if (status >= 500) return new ProviderError(PROVIDER, 'transient', `Zoom's token endpoint failed (${status}: ${detail})`)
  const refused = status === 401 || error === 'invalid_client' || error === 'invalid_grant' || /invalid token|invalid.*(client|secret)|4711|4700|4702|4704|4717/i.test(detail)
  if (refused || (status === 400 && what === 'refresh')) {
    return new ProviderError(PROVIDER, 'auth', `Zoom refused the ${what} (${status}: ${detail})`, { hint: REAUTH_HINT })
  }
  return new ProviderError(PROVIDER, 'permanent', `Zoom refused the ${what} (${status}: ${detail})`)
}

/** REST failures ({code, message}): 401 / code 124 is an invalid token. */
function apiFailure(answer: HttpAnswer, what: string, secrets: string[]): ProviderError {
  const body = parseJson(answer.text)
  const detail = redact(typeof body?.message === 'string' ? `${String(body.code ?? answer.status)} ${body.message}` : answer.text.slice(0, 200), secrets)
  if (answer.status === 401) return new ProviderError(PROVIDER, 'auth', `Zoom refused the access token for the ${what} (${detail})`, { hint: REAUTH_HINT })
  if (answer.status === 429) {
    return new ProviderError(PROVIDER, 'rate_limited', `Zoom kept answering 429 for the ${what} (${detail})`, {
      retryAfterMs: retryAfterMs(answer.headers.get('retry-after'), Date.now()),
    })
  }
  if (answer.status >= 500) return new ProviderError(PROVIDER, 'transient', `Zoom's ${what} failed (${answer.status}: ${detail})`)
  return new ProviderError(PROVIDER, 'permanent', `Zoom's ${what} failed (${answer.status}: ${detail})`)
}
