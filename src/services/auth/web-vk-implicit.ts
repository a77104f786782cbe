import { RecflowError } from '../../domain/errors.js'
import { ProviderError, type OAuthProvider } from '../../providers/types.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { saveOAuthCredential } from '../credentials/oauth-secrets.js'
import { providerFailure } from '../provider-error.js'
import { signInView, validCredentialName, type SignInView } from './auth-service.js'
import { STATE_TTL_MS } from './browser-sign-in.js'
import { newState } from './pkce.js'

/*
 * VK's legacy implicit flow for web clients (REST-API.md GET /oauth/vk/authorize/implicit, POST /credentials/vk):
 * the daemon's form of `recflow auth vk --implicit` (vk-implicit.ts). `authorize` hands out the oauth.vk.com URL
 * with a single-use state (10 minutes, bound to the caller and the VK app); VK ends on blank.html with the token
 * in the address's fragment, which the user pastes back. `paste` reads it with the CLI's parser (the provider's
 * implicitTokens: error=, state, access_token), spends the state, checks the token with users.get and stores the
 * credential (grant implicit, no refresh token). A bare access token is accepted too (no state to check: VK's
 * answer to users.get is the check). Nothing is echoed back but the credential's metadata.
 */

export const VK_IMPLICIT_AUTHORIZE = 'GET /api/v1/oauth/vk/authorize/implicit'
const AGAIN = `${VK_IMPLICIT_AUTHORIZE} for a new address, allow access, then paste the address of the page VK shows`

interface PendingImplicit {
  userId: number
  appId: string
  expiresAt: number
}

export interface ImplicitAuthorizeAnswer {
  authorization_url: string
  state: string
  expires_in: number
  /** Where VK ends: the page whose address (with `#access_token=...`) the user pastes back. */
  redirect_uri: string
  paste_to: string
  instructions: string
}

export type VkPaste = { redirectUrl: string; name?: string } | { accessToken: string; expiresIn?: number; appId?: string; name?: string }

/** The `state` of a pasted address (fragment or query), or undefined when it is not a URL or has none. */
function stateOf(pasted: string): string | undefined {
  try {
    const url = new URL(pasted.trim())
    return new URLSearchParams(url.hash.replace(/^#/, '') || url.search.replace(/^\?/, '')).get('state') ?? undefined
  } catch {
    return undefined
  }
}

/** The CLI parser's refusals with the daemon's next step instead of the CLI command (a refused paste is 4xx, never 401). */
function pasteRefused(e: unknown): unknown {
  if (!(e instanceof RecflowError)) return e
  return new RecflowError(e.code === 'auth' ? 'validation' : e.code, `${e.message}; nothing was stored`, { hint: AGAIN, cause: e })
}

export function webVkImplicit(deps: ServiceDeps) {
  const pending = new Map<string, PendingImplicit>()
  const now = () => deps.clock.now().getTime()
  const sweep = () => {
    const t = now()
    for (const [state, p] of pending) if (p.expiresAt <= t) pending.delete(state)
  }
  const implicitProvider = async (): Promise<Required<Pick<OAuthProvider, 'implicitUrl' | 'implicitTokens'>> & OAuthProvider> => {
    const provider = await deps.oauth.vk()
    if (!provider.implicitUrl || !provider.implicitTokens) throw new RecflowError('internal', 'the VK provider has no implicit flow')
    return provider as never
  }
  const appIdOf = (given: string | undefined): string => {
    const appId = given ?? deps.env.webOAuth.clients.vk?.clientId
    if (appId === undefined) {
      throw new RecflowError('validation', 'no VK app: give app_id (your standalone VK app\'s ID), or the operator sets RECFLOW_VK_CLIENT_ID', { details: { platform: 'vk' } })
    }
    return appId
  }

  /** The pasted address's tokens, its state spent: only a state this user got (and not expired) is accepted. */
  const tokensOfAddress = (provider: Awaited<ReturnType<typeof implicitProvider>>, user: UserRef, pasted: string) => {
    const state = stateOf(pasted)
    const mine = state === undefined ? undefined : pending.get(state)
    const known = mine !== undefined && mine.userId === user.id
    if (known) pending.delete(state!)
    let tokens
    try {
      // An unknown state is checked against one that cannot match, so the parser names what is wrong first.
      tokens = provider.implicitTokens(pasted, known ? state! : newState(), [])
    } catch (e) {
      throw pasteRefused(e)
    }
    if (!known) throw new RecflowError('validation', 'the pasted address is not from a sign-in of yours; nothing was stored', { hint: AGAIN })
    if (mine.expiresAt <= now()) throw new RecflowError('validation', 'this sign-in expired (10 minutes); nothing was stored', { hint: AGAIN })
    return { tokens, appId: mine.appId }
  }

  return {
    async authorizeImplicit(user: UserRef, opts: { appId?: string } = {}): Promise<ImplicitAuthorizeAnswer> {
      const appId = appIdOf(opts.appId)
      const provider = await implicitProvider()
      sweep()
      const state = newState()
      pending.set(state, { userId: user.id, appId, expiresAt: now() + STATE_TTL_MS })
      const url = provider.implicitUrl({ clientId: appId, state, scopes: [] })
      return {
        authorization_url: url,
        state,
        expires_in: STATE_TTL_MS / 1000,
        redirect_uri: new URL(url).searchParams.get('redirect_uri') ?? '',
        paste_to: 'POST /api/v1/credentials/vk',
        instructions: 'Open authorization_url, allow access, then send the whole address of the page VK shows (it holds #access_token=...) as {"redirect_url": "..."} within 10 minutes.',
      }
    },

    async paste(user: UserRef, input: VkPaste): Promise<SignInView & { replaced: boolean }> {
      const name = validCredentialName(input.name)
      const provider = await implicitProvider()
      let got
      if ('redirectUrl' in input) got = tokensOfAddress(provider, user, input.redirectUrl)
      else {
        // A bare token goes through the same parser, as the fragment VK would have put it in.
        const state = newState()
        const fragment = new URLSearchParams({ access_token: input.accessToken, expires_in: String(input.expiresIn ?? 0), state })
        try {
          got = { tokens: provider.implicitTokens(`https://oauth.vk.com/blank.html#${fragment}`, state, []), appId: appIdOf(input.appId) }
        } catch (e) {
          throw pasteRefused(e)
        }
      }
      let account: string
      try {
        account = await provider.accountName(got.tokens.accessToken, { extra: got.tokens.extra })
      } catch (e) {
        if (e instanceof ProviderError && e.kind === 'auth') {
          throw new RecflowError('validation', `${e.message}; nothing was stored`, { hint: AGAIN, details: { platform: 'vk' } })
        }
        throw providerFailure(e, { suffix: '; nothing was stored', hint: 'try again later' })
      }
      const { row, replaced } = await saveOAuthCredential(deps, user, { platform: 'vk', account, name, grant: 'implicit', tokens: got.tokens, client: { clientId: got.appId, clientSecret: null } })
      return { ...signInView(row), replaced }
    },
  }
}
