import crypto from 'node:crypto'
import { RecflowError } from '../../domain/errors.js'
import { HttpUnreachableError, requestWithRetry, retryAfterMs, type HttpAnswer } from '../../platform/http.js'
import { ProviderError, type ProviderEnv } from '../types.js'
import type { OAuthClient, OAuthTokenSet } from './zoom.js'

/*
 * VK sign-in (API-CONTRACTS.md §C.1–C.2).
 * - VK ID, OAuth 2.1: authorization code + PKCE (mandatory; `code_challenge_method=s256`, lowercase as VK writes
 *   it). The redirect brings a `device_id` that every later token call must send: it is kept with the tokens.
 *   Token calls are form posts to /oauth2/auth; refresh tokens rotate (the old one is refused after use).
 * - Legacy implicit flow on oauth.vk.com: the token comes back in the fragment of the blank.html redirect the user
 *   pastes; no refresh token (with `offline` it does not expire).
 * The account name is the user's name from `users.get`, which answers for both kinds of token.
 */

const PROVIDER = 'vk'
const RETRY = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 30_000, attemptTimeoutMs: 30_000 }
export const VK_API_VERSION = '5.199'
/** VK ID scopes: the profile, and API access to video (upload) and groups (community albums). */
export const VK_ID_SCOPES = ['vkid.personal_info', 'video', 'groups']
/** Legacy implicit flow scopes (comma list); `offline` makes the token not expire. */
export const VK_IMPLICIT_SCOPES = ['video', 'groups', 'offline']
/** Where a standalone app's implicit flow lands: the user copies this page's address. */
export const VK_BLANK_REDIRECT = 'https://oauth.vk.com/blank.html'

export interface VkTokenSet extends OAuthTokenSet {
  /** VK ID's device id, sent with every refresh. */
  deviceId: string | null
  userId: string | null
}

export function vkAuthorizeUrl(env: ProviderEnv, input: { clientId: string; redirectUri: string; state: string; codeChallenge: string; scopes?: string[] }): string {
  const url = new URL(`${env.urls.vkId}/authorize`)
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('client_id', input.clientId)
  url.searchParams.set('redirect_uri', input.redirectUri)
  url.searchParams.set('state', input.state)
  url.searchParams.set('code_challenge', input.codeChallenge)
  url.searchParams.set('code_challenge_method', 's256')
  url.searchParams.set('scope', (input.scopes ?? VK_ID_SCOPES).join(' '))
  return url.toString()
}

export async function vkExchange(
  env: ProviderEnv,
  input: { code: string; codeVerifier: string; redirectUri: string; deviceId: string; state: string; client: OAuthClient },
  control: { signal?: AbortSignal } = {},
): Promise<VkTokenSet> {
  const form: Record<string, string> = {
    grant_type: 'authorization_code',
    code: input.code,
    code_verifier: input.codeVerifier,
    client_id: input.client.clientId,
    device_id: input.deviceId,
    redirect_uri: input.redirectUri,
    state: input.state,
  }
  if (input.client.clientSecret) form.client_secret = input.client.clientSecret
  return tokenSet(env, await tokenCall(env, form, 'code exchange', control), { deviceId: input.deviceId, refreshToken: null })
}

/** A new pair for the refresh token (VK ID rotates it: the answer's refresh token replaces the old one). */
export async function vkRefresh(
  env: ProviderEnv,
  input: { refreshToken: string; deviceId: string; client: OAuthClient },
  control: { signal?: AbortSignal } = {},
): Promise<VkTokenSet> {
  const form: Record<string, string> = {
    grant_type: 'refresh_token',
    refresh_token: input.refreshToken,
    client_id: input.client.clientId,
    device_id: input.deviceId,
    state: crypto.randomBytes(24).toString('base64url'),
  }
  if (input.client.clientSecret) form.client_secret = input.client.clientSecret
  return tokenSet(env, await tokenCall(env, form, 'refresh', control), { deviceId: input.deviceId, refreshToken: input.refreshToken })
}

/** The legacy implicit-flow URL (oauth.vk.com), whose redirect to blank.html carries the token in its fragment. */
export function vkImplicitUrl(env: ProviderEnv, input: { clientId: string; state: string; scopes?: string[] }): string {
  const url = new URL(`${env.urls.vkOauth}/authorize`)
  url.searchParams.set('client_id', input.clientId)
  url.searchParams.set('display', 'page')
  url.searchParams.set('redirect_uri', VK_BLANK_REDIRECT)
  url.searchParams.set('scope', (input.scopes ?? VK_IMPLICIT_SCOPES).join(','))
  url.searchParams.set('response_type', 'token')
  url.searchParams.set('v', VK_API_VERSION)
  url.searchParams.set('state', input.state)
  return url.toString()
}

/**
 * The token of a pasted implicit-flow redirect (`…/blank.html#access_token=…&expires_in=…&user_id=…&state=…`).
 * Refused with a clear message: not a URL, an error redirect, no token, a state that is not this sign-in's.
 */
export function parseImplicitRedirect(pasted: string, expectedState: string, now: Date, scopes: string[] = VK_IMPLICIT_SCOPES): VkTokenSet {
  let url: URL
  try {
    url = new URL(pasted.trim())
  } catch {
    throw new RecflowError('usage', 'the pasted text is not a URL', { hint: 'copy the whole address of the page VK opened after you allowed access (it starts with https://oauth.vk.com/blank.html#)' })
  }
  const params = new URLSearchParams(url.hash.replace(/^#/, '') || url.search.replace(/^\?/, ''))
  const error = params.get('error')
  if (error !== null) {
    const why = params.get('error_description') ?? error
    throw new RecflowError(error === 'access_denied' ? 'auth' : 'provider', `VK did not grant access: ${why}`, { hint: 'run `recflow auth vk --implicit` again and allow access' })
  }
  if (params.get('state') !== expectedState) {
    throw new RecflowError('auth', 'the pasted address is not from this sign-in (its state does not match)', { hint: 'run `recflow auth vk --implicit` again and paste the address it leads to' })
  }
  const token = params.get('access_token')
  if (token === null || token === '') {
    throw new RecflowError('usage', 'the pasted address holds no access_token', { hint: 'copy the whole address, including the part after #' })
  }
  const expiresIn = Number(params.get('expires_in') ?? '0')
  return {
    accessToken: token,
    refreshToken: null,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(now.getTime() + expiresIn * 1000) : null,
    scopes,
    deviceId: null,
    userId: params.get('user_id'),
  }
}

/** The signed-in user's name from `users.get` (works for VK ID and legacy tokens alike). */
export async function vkAccountName(env: ProviderEnv, accessToken: string, control: { signal?: AbortSignal } = {}): Promise<string> {
  const url = `${env.urls.vkApi}/users.get`
  const answer = await send(
    url,
    () => ({
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ v: VK_API_VERSION }).toString(),
    }),
    'user lookup',
    control,
    [accessToken],
  )
  const body = parseJson(answer.text)
  const error = body?.error as { error_code?: unknown; error_msg?: unknown } | undefined
  if (answer.status !== 200 || error) {
    const code = typeof error?.error_code === 'number' ? error.error_code : undefined
    const msg = redact(typeof error?.error_msg === 'string' ? error.error_msg : `HTTP ${answer.status}`, [accessToken])
    if (code === 5 || answer.status === 401) throw new ProviderError(PROVIDER, 'auth', `VK refused the access token (${msg})`, { hint: REAUTH_HINT })
    if (code === 6 || code === 9 || code === 29 || answer.status === 429) throw new ProviderError(PROVIDER, 'rate_limited', `VK rate limit on users.get (${msg})`)
    throw new ProviderError(PROVIDER, answer.status >= 500 || code === 10 ? 'transient' : 'permanent', `VK users.get failed (${msg})`)
  }
  const user = Array.isArray(body?.response) ? (body.response[0] as { id?: unknown; first_name?: unknown; last_name?: unknown } | undefined) : undefined
  const name = [user?.first_name, user?.last_name].filter((p): p is string => typeof p === 'string' && p !== '').join(' ')
  if (name !== '') return name
  if (user?.id !== undefined) return `id${String(user.id)}`
  throw new ProviderError(PROVIDER, 'permanent', 'VK users.get answered without a user')
}

const REAUTH_HINT = 'run `recflow auth vk` to sign in again'

async function tokenCall(env: ProviderEnv, form: Record<string, string>, what: string, control: { signal?: AbortSignal }): Promise<Record<string, unknown>> {
  const secrets = [form.client_secret, form.code, form.code_verifier, form.refresh_token].filter((s): s is string => typeof s === 'string')
  const answer = await send(
    `${env.urls.vkId}/oauth2/auth`,
    () => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() }),
    what,
    control,
    secrets,
  )
  const body = parseJson(answer.text)
  if (answer.status !== 200 || typeof body?.error === 'string') throw tokenFailure(answer, body, what, secrets)
  if (!body || typeof body.access_token !== 'string' || body.access_token === '') {
    throw new ProviderError(PROVIDER, 'permanent', `VK ID's ${what} answer holds no access token`)
  }
  if (body.state !== undefined && body.state !== form.state) {
    throw new ProviderError(PROVIDER, 'permanent', `VK ID's ${what} answer carries another state than the request's`)
  }
  return body
}

function tokenSet(env: ProviderEnv, body: Record<string, unknown>, prev: { deviceId: string; refreshToken: string | null }): VkTokenSet {
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in)
  return {
    accessToken: body.access_token as string,
    refreshToken: typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : prev.refreshToken,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(env.clock.now().getTime() + expiresIn * 1000) : null,
    scopes: typeof body.scope === 'string' ? body.scope.split(/[\s,]+/).filter(Boolean) : [],
    deviceId: prev.deviceId,
    userId: body.user_id === undefined ? null : String(body.user_id),
  }
}

function tokenFailure(answer: HttpAnswer, body: Record<string, unknown> | undefined, what: string, secrets: string[]): ProviderError {
  const error = typeof body?.error === 'string' ? body.error : undefined
  const description = typeof body?.error_description === 'string' ? body.error_description : undefined
  const detail = redact([error, description].filter(Boolean).join(': ') || answer.text.slice(0, 200) || 'no details', secrets)
  const status = answer.status
  if (status === 429) {
    return new ProviderError(PROVIDER, 'rate_limited', `VK ID kept answering 429 (${detail})`, { retryAfterMs: retryAfterMs(answer.headers.get('retry-after'), Date.now()) })
  }
  if (status >= 500) return new ProviderError(PROVIDER, 'transient', `VK ID's token endpoint failed (${status}: ${detail})`)
  if (status === 401 || error === 'invalid_grant' || error === 'invalid_token' || error === 'invalid_client' || error === 'unauthorized_client') {
    return new ProviderError(PROVIDER, 'auth', `VK ID refused the ${what} (${detail})`, { hint: REAUTH_HINT })
  }
  return new ProviderError(PROVIDER, 'permanent', `VK ID refused the ${what} (${status}: ${detail})`)
}

async function send(url: string, init: () => RequestInit, what: string, control: { signal?: AbortSignal }, secrets: string[]): Promise<HttpAnswer> {
  try {
    return await requestWithRetry(url, init, { ...RETRY, signal: control.signal })
  } catch (e) {
    if (e instanceof RecflowError) throw e
    const message = e instanceof HttpUnreachableError ? e.message : String(e)
    throw new ProviderError(PROVIDER, 'transient', `VK ${what}: ${redact(message, secrets)}`, { cause: e })
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
