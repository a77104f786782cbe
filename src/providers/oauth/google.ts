import type { HttpAnswer } from '../../platform/http.js'
import { requestWithRetry } from '../../platform/http.js'
import { ProviderError, type OAuthProvider, type OAuthTokens, type ProviderEnv } from '../types.js'
import { oauthErrorOf, postTokenForm, tokensFromResponse, unreachable } from './token-endpoint.js'

/*
 * Google OAuth 2.0 for YouTube (API-CONTRACTS.md §B.1): the authorization code flow of installed apps with PKCE
 * S256, `access_type=offline` and `prompt=consent` so a refresh token is issued every time; the token endpoint
 * takes client_id and client_secret in the form body. Refresh tokens do not rotate (a refresh answers none).
 * `invalid_grant` (revoked, expired, a used code) and `invalid_client` on refresh mean: sign in again.
 */

const SCOPE = 'https://www.googleapis.com/auth'
export const YOUTUBE_SCOPES = [`${SCOPE}/youtube.upload`, `${SCOPE}/youtube.force-ssl`]

const REAUTH_HINT = 'run `recflow auth youtube` to sign in again'

export function googleOAuth(env: ProviderEnv): OAuthProvider {
  const tokenFailure = (answer: HttpAnswer, during: 'exchange' | 'refresh'): ProviderError => {
    const { error, description } = oauthErrorOf(answer.text)
    const what = `${error ?? `HTTP ${answer.status}`}${description ? `: ${description}` : ''}`
    if (error === 'invalid_grant') {
      return new ProviderError(
        'google',
        'auth',
        during === 'refresh' ? `Google refused the refresh token (${what})` : `Google refused the authorization code (${what})`,
        { hint: REAUTH_HINT, reauth: true },
      )
    }
    if (error === 'invalid_client' || error === 'unauthorized_client' || answer.status === 401) {
      return new ProviderError('google', 'auth', `Google refused the OAuth client (${what})`, {
        hint: 'check the client id and secret (or the client JSON from the Google Cloud console), then run `recflow auth youtube` again',
        reauth: during === 'refresh',
      })
    }
    if (answer.status === 429 || answer.status >= 500) return new ProviderError('google', 'transient', `Google's token endpoint failed (${what})`, { hint: 'try again later' })
    return new ProviderError('google', 'permanent', `Google's token endpoint refused the request (${what})`)
  }

  const token = async (params: Record<string, string | undefined>, requested: string[], during: 'exchange' | 'refresh', signal?: AbortSignal): Promise<OAuthTokens> => {
    const answer = await postTokenForm(env, { provider: 'google', url: env.urls.googleToken, params, signal })
    if (answer.status !== 200) throw tokenFailure(answer, during)
    return tokensFromResponse('google', answer.text, env.clock.now(), requested)
  }

  return {
    platform: 'youtube',
    defaultScopes: YOUTUBE_SCOPES,

    authorizeUrl({ clientId, redirectUri, state, codeChallenge, scopes }) {
      const url = new URL(env.urls.googleAuth)
      const q = url.searchParams
      q.set('client_id', clientId)
      q.set('redirect_uri', redirectUri)
      q.set('response_type', 'code')
      q.set('scope', scopes.join(' '))
      q.set('access_type', 'offline')
      q.set('prompt', 'consent')
      q.set('include_granted_scopes', 'true')
      q.set('state', state)
      q.set('code_challenge', codeChallenge)
      q.set('code_challenge_method', 'S256')
      return url.toString()
    },

    exchange({ code, codeVerifier, redirectUri, client }, control = {}) {
      return token(
        {
          grant_type: 'authorization_code',
          code,
          code_verifier: codeVerifier,
          redirect_uri: redirectUri,
          client_id: client.clientId,
          client_secret: client.clientSecret ?? undefined,
        },
        [],
        'exchange',
        control.signal,
      )
    },

    refresh({ refreshToken, client }, control = {}) {
      return token(
        { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: client.clientId, client_secret: client.clientSecret ?? undefined },
        [],
        'refresh',
        control.signal,
      )
    },

    async accountName(accessToken, control = {}) {
      const url = `${env.urls.youtubeApi}/youtube/v3/channels?part=snippet&mine=true`
      let answer: HttpAnswer
      try {
        answer = await requestWithRetry(url, () => ({ headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } }), {
          signal: control.signal,
          maxAttempts: 4,
        })
      } catch (e) {
        throw unreachable('google', url, e)
      }
      if (answer.status === 401) throw new ProviderError('google', 'auth', 'YouTube refused the new access token', { hint: REAUTH_HINT })
      if (answer.status !== 200) {
        const { description } = oauthErrorOf(answer.text)
        throw new ProviderError('google', answer.status === 403 ? 'auth' : 'permanent', `YouTube could not look up the channel (HTTP ${answer.status}${description ? `: ${description}` : ''})`, {
          hint: 'sign in with an account that has a YouTube channel: `recflow auth youtube`',
        })
      }
      const body = JSON.parse(answer.text) as { items?: Array<{ id?: string; snippet?: { title?: string } }> }
      const channel = body.items?.[0]
      if (!channel) {
        throw new ProviderError('google', 'permanent', 'this Google account has no YouTube channel', {
          hint: 'create a channel on youtube.com, or sign in with another account: `recflow auth youtube`',
        })
      }
      return channel.snippet?.title?.trim() || channel.id || 'YouTube channel'
    },
  }
}
