import crypto from 'node:crypto'
import { RecflowError } from '../../domain/errors.js'
import { requestWithRetry, type HttpAnswer } from '../../platform/http.js'
import { ProviderError, type OAuthProvider, type OAuthTokens, type ProviderEnv } from '../types.js'
import { oauthErrorOf, postTokenForm, tokensFromResponse, unreachable } from './token-endpoint.js'

/*
 * VK sign-in (API-CONTRACTS.md §C.1–C.2).
 * - VK ID, OAuth 2.1: authorization code + PKCE (mandatory; `code_challenge_method=s256`, lowercase as VK writes
 *   it). The redirect brings a `device_id` that every later token call must send: it is kept with the tokens
 *   (`extra.device_id`). Token calls are form posts to /oauth2/auth with a `state` VK echoes back; refresh tokens
 *   rotate (the old one is refused once used). `client_secret` only for a confidential app (`--client-secret`).
 * - Legacy implicit flow on oauth.vk.com: the token comes back in the fragment of the blank.html page whose address
 *   the user pastes; no refresh token (with `offline` it does not expire).
 * The account name is the user's name from `users.get`, which answers for both kinds of token.
 */

export const VK_API_VERSION = '5.199'
/** VK ID scopes: the profile, and API access to video (upload) and groups (community albums). */
export const VK_ID_SCOPES = ['vkid.personal_info', 'video', 'groups']
/** Legacy implicit flow scopes (a comma list on the wire); `offline` makes the token not expire. */
export const VK_IMPLICIT_SCOPES = ['video', 'groups', 'offline']
/** Where a standalone app's implicit flow lands: the user copies this page's address. */
export const VK_BLANK_REDIRECT = 'https://oauth.vk.com/blank.html'

const REAUTH_HINT = 'run `recflow auth vk` to sign in again'

export function vkOAuth(env: ProviderEnv): OAuthProvider {
  const failure = (answer: HttpAnswer, call: 'exchange' | 'refresh', secrets: string[]): ProviderError => {
    const { error, description } = oauthErrorOf(answer.text)
    const what = redact(`${error ?? `HTTP ${answer.status}`}${description ? `: ${description}` : ''}`, secrets)
    if (answer.status === 429 || answer.status >= 500) return new ProviderError('vk', 'transient', `VK ID's token endpoint failed (${what})`, { hint: 'try again later' })
    if (error === 'invalid_grant' || error === 'invalid_token' || (call === 'refresh' && answer.status === 401)) {
      return new ProviderError('vk', 'auth', call === 'refresh' ? `VK ID refused the refresh token (${what})` : `VK ID refused the authorization code (${what})`, {
        hint: REAUTH_HINT,
        reauth: call === 'refresh',
      })
    }
    if (error === 'invalid_client' || error === 'unauthorized_client' || answer.status === 401) {
      return new ProviderError('vk', 'auth', `VK ID refused the app (${what})`, { hint: 'check --app-id (and --client-secret), then run `recflow auth vk` again', reauth: call === 'refresh' })
    }
    return new ProviderError('vk', 'permanent', `VK ID's token endpoint refused the request (${what})`)
  }

  const token = async (params: Record<string, string | undefined>, call: 'exchange' | 'refresh', deviceId: string, signal?: AbortSignal): Promise<OAuthTokens> => {
    const answer = await postTokenForm(env, { provider: 'vk', url: `${env.urls.vkId}/oauth2/auth`, params, signal })
    const secrets = Object.values(params).filter((v): v is string => v !== undefined && v.length >= 8)
    if (answer.status !== 200 || oauthErrorOf(answer.text).error !== undefined) throw failure(answer, call, secrets)
    const tokens = tokensFromResponse('vk', answer.text, env.clock.now(), [])
    const body = JSON.parse(answer.text) as { state?: unknown; user_id?: unknown }
    if (body.state !== undefined && body.state !== params.state) throw new ProviderError('vk', 'permanent', 'VK ID answered with another state than the request\'s')
    const extra: Record<string, string> = { device_id: deviceId }
    if (body.user_id !== undefined) extra.user_id = String(body.user_id)
    return { ...tokens, extra }
  }

  const deviceIdOf = (extra: Record<string, string> | undefined, call: string): string => {
    const id = extra?.device_id
    if (!id) throw new ProviderError('vk', 'auth', `VK ID ${call} needs the device_id of the sign-in, and none was kept`, { hint: REAUTH_HINT, reauth: call === 'refresh' })
    return id
  }

  return {
    platform: 'vk',
    defaultScopes: VK_ID_SCOPES,

    authorizeUrl({ clientId, redirectUri, state, codeChallenge, scopes }) {
      const url = new URL(`${env.urls.vkId}/authorize`)
      const q = url.searchParams
      q.set('response_type', 'code')
      q.set('client_id', clientId)
      q.set('redirect_uri', redirectUri)
      q.set('state', state)
      q.set('code_challenge', codeChallenge)
      q.set('code_challenge_method', 's256')
      q.set('scope', scopes.join(' '))
      return url.toString()
    },

    exchange({ code, codeVerifier, redirectUri, client, extra }, control = {}) {
      const deviceId = deviceIdOf(extra, 'code exchange')
      const params = {
        grant_type: 'authorization_code',
        code,
        code_verifier: codeVerifier,
        client_id: client.clientId,
        client_secret: client.clientSecret ?? undefined,
        device_id: deviceId,
        redirect_uri: redirectUri,
        state: extra?.state ?? newState(),
      }
      return token(params, 'exchange', deviceId, control.signal)
    },

    /** VK ID rotates: the answer's refresh token replaces the old one, which VK no longer accepts. */
    refresh({ refreshToken, client, extra }, control = {}) {
      const deviceId = deviceIdOf(extra, 'refresh')
      const params = {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: client.clientId,
        client_secret: client.clientSecret ?? undefined,
        device_id: deviceId,
        state: newState(),
      }
      return token(params, 'refresh', deviceId, control.signal)
    },

    implicitUrl({ clientId, state, scopes }) {
      const url = new URL(`${env.urls.vkOauth}/authorize`)
      const q = url.searchParams
      q.set('client_id', clientId)
      q.set('display', 'page')
      q.set('redirect_uri', VK_BLANK_REDIRECT)
      q.set('scope', (scopes.length > 0 ? scopes : VK_IMPLICIT_SCOPES).join(','))
      q.set('response_type', 'token')
      q.set('v', VK_API_VERSION)
      q.set('state', state)
      return url.toString()
    },

    implicitTokens(pasted, expectedState, scopes) {
      return parseImplicitRedirect(pasted, expectedState, env.clock.now(), scopes.length > 0 ? scopes : VK_IMPLICIT_SCOPES)
    },

    /** The user's name from `users.get` (VK ID and legacy tokens alike). */
    async accountName(accessToken, control = {}) {
      const url = `${env.urls.vkApi}/users.get`
      let answer: HttpAnswer
      try {
        answer = await requestWithRetry(
          url,
          () => ({
            method: 'POST',
            headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ v: VK_API_VERSION }).toString(),
          }),
          { signal: control.signal, maxAttempts: 4 },
        )
      } catch (e) {
        throw unreachable('vk', url, e)
      }
      const body = parse(answer.text)
      const error = body?.error !== null && typeof body?.error === 'object' ? (body.error as { error_code?: unknown; error_msg?: unknown }) : undefined
      if (answer.status === 200 && !error && Array.isArray(body?.response)) {
        const user = body.response[0] as { id?: unknown; first_name?: unknown; last_name?: unknown } | undefined
        const name = [user?.first_name, user?.last_name].filter((p): p is string => typeof p === 'string' && p !== '').join(' ')
        if (name !== '') return name
        if (user?.id !== undefined) return `id${String(user.id)}`
      }
      const code = typeof error?.error_code === 'number' ? error.error_code : undefined
      const msg = redact(typeof error?.error_msg === 'string' ? error.error_msg : `HTTP ${answer.status}`, [accessToken])
      if (code === 5 || answer.status === 401) throw new ProviderError('vk', 'auth', `VK refused the access token (${msg})`, { hint: REAUTH_HINT })
      if (code === 6 || code === 9 || code === 10 || code === 29 || answer.status === 429 || answer.status >= 500) {
        throw new ProviderError('vk', 'transient', `VK users.get failed (${msg})`, { hint: 'try again later' })
      }
      throw new ProviderError('vk', 'permanent', `VK users.get failed (${msg})`)
    },
  }
}

const newState = () => crypto.randomBytes(32).toString('base64url')

/**
 * The token of a pasted implicit-flow redirect (`…/blank.html#access_token=…&expires_in=…&user_id=…&state=…`).
 * Refused with a clear message: not a URL, an error redirect, a state that is not this sign-in's, no token.
 */
export function parseImplicitRedirect(pasted: string, expectedState: string, now: Date, scopes: string[]): OAuthTokens {
  let url: URL
  try {
    url = new URL(pasted.trim())
  } catch {
    throw new RecflowError('usage', 'the pasted text is not a URL', {
      hint: 'copy the whole address of the page VK opened after you allowed access (it starts with https://oauth.vk.com/blank.html#), then run `recflow auth vk --implicit` again',
    })
  }
  const params = new URLSearchParams(url.hash.replace(/^#/, '') || url.search.replace(/^\?/, ''))
  const error = params.get('error')
  if (error !== null) {
    throw new RecflowError('auth', `VK did not grant access: ${params.get('error_description') ?? error}`, { hint: 'run `recflow auth vk --implicit` again and allow access' })
  }
  if (params.get('state') !== expectedState) {
    throw new RecflowError('auth', 'the pasted address is not from this sign-in (its state does not match)', {
      hint: 'run `recflow auth vk --implicit` again and paste the address that sign-in leads to',
    })
  }
  const token = params.get('access_token')
  if (token === null || token === '') {
    throw new RecflowError('usage', 'the pasted address holds no access_token', { hint: 'copy the whole address, including the part after #, then run `recflow auth vk --implicit` again' })
  }
  const expiresIn = Number(params.get('expires_in') ?? '0')
  const userId = params.get('user_id')
  return {
    accessToken: token,
    refreshToken: null,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(now.getTime() + expiresIn * 1000) : null,
    scopes,
    ...(userId ? { extra: { user_id: userId } } : {}),
  }
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

const redact = (text: string, secrets: string[]) => secrets.reduce((t, s) => (s.length >= 4 ? t.split(s).join('***') : t), text)
