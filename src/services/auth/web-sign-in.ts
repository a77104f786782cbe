import { RecflowError } from '../../domain/errors.js'
import type { OAuthPlatform } from '../../providers/types.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { saveOAuthCredential } from '../credentials/oauth-secrets.js'
import { STATE_TTL_MS } from './browser-sign-in.js'
import { newPkcePair, newState } from './pkce.js'
import { webVkImplicit } from './web-vk-implicit.js'

/*
 * The daemon's sign-in for web clients (REST-API.md /oauth/{platform}/authorize and /callback): the same
 * providers and credential storage as the CLI sign-in commands, with the daemon's own OAuth apps
 * (RuntimeEnv.webOAuth). `authorize` keeps a single-use state for 10 minutes, bound to the caller, the platform,
 * the redirect URI and a PKCE S256 verifier; `callback` takes it back (once: a second use finds nothing), trades
 * the code for tokens, stores the credential for the state's user (never for whoever else calls the callback)
 * and says where to send the browser: the return URL with `status=success&platform=..&credential_id=..` or
 * `status=error&platform=..&error=<code>`. States live in this process (a restart drops sign-ins in progress).
 */

interface PendingState {
  userId: number
  timezone: string
  platform: OAuthPlatform
  verifier: string
  redirectUri: string
  expiresAt: number
}

export interface AuthorizeAnswer {
  authorization_url: string
  state: string
  expires_in: number
}

/** Why a callback did not store anything (the `error` parameter of the return URL). */
export type CallbackError = 'invalid_state' | 'expired_state' | 'access_denied' | 'provider_error' | 'missing_code'

export type CallbackResult =
  | { ok: true; location: string; credentialId: number; userId: number }
  | { ok: false; location: string; error: CallbackError; detail: string }

export function webSignInService(deps: ServiceDeps) {
  const pending = new Map<string, PendingState>()
  const now = () => deps.clock.now().getTime()
  const web = deps.env.webOAuth

  const sweep = () => {
    const t = now()
    for (const [state, p] of pending) if (p.expiresAt <= t) pending.delete(state)
  }
  const returnTo = (params: Record<string, string>) => {
    const url = new URL(web.returnUrl)
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
    return url.toString()
  }
  const clientOf = (platform: OAuthPlatform) => {
    const client = web.clients[platform]
    if (!client) {
      throw new RecflowError('validation', `this daemon has no ${platform} OAuth app: its operator sets RECFLOW_${platform.toUpperCase()}_CLIENT_ID (and _CLIENT_SECRET)`, {
        details: { platform },
      })
    }
    return client
  }

  return {
    /** VK's legacy implicit flow: authorizeImplicit and paste (web-vk-implicit.ts). */
    ...webVkImplicit(deps),

    /** The provider's authorization URL for the caller, with a new single-use state (10 minutes) and PKCE S256. */
    async authorize(user: UserRef, platform: OAuthPlatform): Promise<AuthorizeAnswer> {
      const client = clientOf(platform)
      const provider = await deps.oauth[platform]()
      sweep()
      const state = newState()
      const pkce = newPkcePair()
      const redirectUri = `${web.publicUrl}/api/v1/oauth/${platform}/callback`
      pending.set(state, { userId: user.id, timezone: user.timezone, platform, verifier: pkce.verifier, redirectUri, expiresAt: now() + STATE_TTL_MS })
      const url = provider.authorizeUrl({ redirectUri, state, codeChallenge: pkce.challenge, clientId: client.clientId, scopes: provider.defaultScopes })
      return { authorization_url: url, state, expires_in: STATE_TTL_MS / 1000 }
    },

    /** The provider's redirect back: `params` is its query. Never throws for what the provider or the browser sent. */
    async callback(platform: OAuthPlatform, params: Record<string, string | undefined>): Promise<CallbackResult> {
      const fail = (error: CallbackError, detail: string): CallbackResult => {
        deps.logger.info('a web sign-in callback stored nothing', { platform, error })
        return { ok: false, location: returnTo({ status: 'error', platform, error }), error, detail }
      }
      const stateValue = params.state ?? ''
      const state = pending.get(stateValue)
      // Single use: whatever the outcome, this state is spent (a replayed callback finds nothing).
      if (state) pending.delete(stateValue)
      if (!state || state.platform !== platform) return fail('invalid_state', 'the state is unknown, already used, or of another platform')
      if (state.expiresAt <= now()) return fail('expired_state', 'the state expired (10 minutes)')
      if (params.error !== undefined) return fail(params.error === 'access_denied' ? 'access_denied' : 'provider_error', `the provider answered error=${params.error}`)
      if (!params.code) return fail('missing_code', 'the callback holds no code')
      const client = clientOf(platform)
      const user: UserRef = { id: state.userId, timezone: state.timezone }
      try {
        const provider = await deps.oauth[platform]()
        const extra = Object.fromEntries(
          Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && !['code', 'state', 'scope'].includes(e[0])),
        )
        const tokens = await provider.exchange({ code: params.code, codeVerifier: state.verifier, redirectUri: state.redirectUri, client, extra })
        if (tokens.scopes.length === 0) tokens.scopes = provider.defaultScopes
        const account = await provider.accountName(tokens.accessToken, { extra: tokens.extra })
        const { row } = await saveOAuthCredential(deps, user, { platform, account, grant: 'authorization_code', tokens, client })
        return { ok: true, location: returnTo({ status: 'success', platform, credential_id: String(row.id) }), credentialId: row.id, userId: user.id }
      } catch (e) {
        deps.logger.warn('a web sign-in could not trade its code', { platform, user_id: user.id, error: (e as Error).message })
        return fail('provider_error', (e as Error).message)
      }
    },
  }
}

export type WebSignInService = ReturnType<typeof webSignInService>
