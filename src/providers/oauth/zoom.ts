import { requestWithRetry, type HttpAnswer } from '../../platform/http.js'
import { ProviderError, type OAuthClient, type OAuthProvider, type OAuthTokens, type ProviderEnv } from '../types.js'
import { oauthErrorOf, postTokenForm, tokensFromResponse, unreachable } from './token-endpoint.js'

/*
 * Zoom OAuth (API-CONTRACTS.md §A.1–A.2): the user-level authorization-code flow with PKCE, whose refresh tokens
 * rotate on every refresh (the old one stops working once the new one is issued), and Server-to-Server
 * `account_credentials` (no refresh token: a new access token when the old one expires; earlier ones stay valid).
 * The client authenticates with HTTP Basic. A refused grant (400 "Invalid Token!", 4711, invalid_grant, or a 401
 * on refresh) is ProviderError 'auth' with reauth: sign in again. Scopes are the app's, fixed in the Marketplace.
 */

const REAUTH_HINT = 'run `recflow auth zoom` to sign in again'
const S2S_HINT = 'check the account id, client id and secret of the Server-to-Server app, then run `recflow credentials add zoom` again'

type Call = 'exchange' | 'refresh' | 'account'

export function zoomOAuth(env: ProviderEnv): OAuthProvider {
  const failure = (answer: HttpAnswer, call: Call, secrets: string[]): ProviderError => {
    const { error, description } = oauthErrorOf(answer.text)
    // Zoom echoes a refused code in its reason ("Invalid authorization code …"): no code or token in a message.
    const what = redact(`${answer.status}${error ? ` ${error}` : ''}${description ? `: ${description}` : ''}`, secrets)
    const status = answer.status
    if (status === 429 || status >= 500) return new ProviderError('zoom', 'transient', `Zoom's token endpoint failed (${what})`, { hint: 'try again later' })
    const badClient = error === 'invalid_client' || /client_id|client_secret|4702|4704|4717|deactivated/i.test(description ?? '')
    if (call === 'account') {
      return new ProviderError('zoom', badClient || status === 401 ? 'auth' : 'permanent', `Zoom refused the Server-to-Server token request (${what})`, {
        hint: S2S_HINT,
        reauth: badClient || status === 401,
      })
    }
    if (call === 'refresh' && (status === 401 || status === 400)) {
      // "Invalid Token!" (4711: rotated out, revoked, expired) or a client that no longer exists: sign in again.
      return new ProviderError('zoom', 'auth', `Zoom refused the refresh token (${what})`, { hint: REAUTH_HINT, reauth: true })
    }
    if (badClient || status === 401) return new ProviderError('zoom', 'auth', `Zoom refused the OAuth client (${what})`, { hint: 'check --client-id and --client-secret (the app\'s page on marketplace.zoom.us)' })
    return new ProviderError('zoom', 'permanent', `Zoom's token endpoint refused the ${call === 'exchange' ? 'authorization code' : 'request'} (${what})`)
  }

  const token = async (params: Record<string, string>, client: OAuthClient, call: Call, signal?: AbortSignal): Promise<OAuthTokens> => {
    if (!client.clientSecret) throw new ProviderError('zoom', 'permanent', 'Zoom needs the app\'s client secret', { hint: 'give --client-secret (the app\'s page on marketplace.zoom.us)' })
    const answer = await postTokenForm(env, {
      provider: 'zoom',
      url: `${env.urls.zoomOauth}/oauth/token`,
      params,
      basic: { clientId: client.clientId, clientSecret: client.clientSecret },
      signal,
    })
    if (answer.status !== 200) throw failure(answer, call, [client.clientSecret, ...Object.values(params).filter((v) => v.length >= 8)])
    return tokensFromResponse('zoom', answer.text, env.clock.now(), [])
  }

  return {
    platform: 'zoom',
    defaultScopes: [],

    authorizeUrl({ clientId, redirectUri, state, codeChallenge }) {
      const url = new URL(`${env.urls.zoomOauth}/oauth/authorize`)
      const q = url.searchParams
      q.set('response_type', 'code')
      q.set('client_id', clientId)
      q.set('redirect_uri', redirectUri)
      q.set('state', state)
      q.set('code_challenge', codeChallenge)
      q.set('code_challenge_method', 'S256')
      return url.toString()
    },

    exchange({ code, codeVerifier, redirectUri, client }, control = {}) {
      return token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: codeVerifier }, client, 'exchange', control.signal)
    },

    /** Zoom always rotates: the answer's refresh token replaces the old one, which Zoom no longer accepts. */
    refresh({ refreshToken, client }, control = {}) {
      return token({ grant_type: 'refresh_token', refresh_token: refreshToken }, client, 'refresh', control.signal)
    },

    async accountToken({ accountId, client }, control = {}) {
      const tokens = await token({ grant_type: 'account_credentials', account_id: accountId }, client, 'account', control.signal)
      return { ...tokens, refreshToken: null }
    },

    /** The signed-in user's email (`GET /v2/users/me`). */
    async accountName(accessToken, control = {}) {
      const url = `${env.urls.zoomApi}/users/me`
      let answer: HttpAnswer
      try {
        answer = await requestWithRetry(url, () => ({ headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } }), { signal: control.signal, maxAttempts: 4 })
      } catch (e) {
        throw unreachable('zoom', url, e)
      }
      const body = parse(answer.text)
      if (answer.status === 200 && typeof body?.email === 'string' && body.email !== '') return body.email
      const detail = typeof body?.message === 'string' ? `${String(body.code ?? answer.status)} ${body.message}` : `HTTP ${answer.status}`
      if (answer.status === 401) throw new ProviderError('zoom', 'auth', `Zoom refused the access token (${detail})`, { hint: REAUTH_HINT })
      if (answer.status === 429 || answer.status >= 500) throw new ProviderError('zoom', 'transient', `Zoom's user lookup failed (${detail})`, { hint: 'try again later' })
      throw new ProviderError('zoom', 'permanent', `Zoom's user lookup failed (${detail})`)
    },
  }
}

const redact = (text: string, secrets: string[]) => secrets.reduce((t, s) => (s.length >= 4 ? t.split(s).join('***') : t), text)

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
