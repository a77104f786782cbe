import type { Credential } from '../../db/index.js'
import { CREDENTIAL_NEEDS_REAUTH, OAUTH_PLATFORM_NAMES, parseOAuthReference, signInCommand, type OAuthGrant } from '../../domain/credentials/oauth.js'
import type { GoogleClientConfig } from '../../domain/credentials/google-client.js'
import { RecflowError } from '../../domain/errors.js'
import type { OAuthClient, OAuthPlatform } from '../../providers/types.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { browserSignIn, type SignInIo } from './browser-sign-in.js'
import { listAll } from '../paging.js'
import { saveOAuthCredential, type NewOAuthCredential } from '../credentials/oauth-secrets.js'
import { accessToken } from '../credentials/oauth-tokens.js'
import { providerFailure } from '../provider-error.js'
import { addZoomServerToServer, type ZoomS2SInput } from './zoom-s2s.js'
import { vkImplicitSignIn, type VkImplicitInput } from './vk-implicit.js'

/** An OAuth credential as `recflow auth status` shows it: never a token, a client secret or where they are stored. */
export interface SignInView {
  id: number
  platform: string
  /** The credential's name (the account, unless --name gave another). */
  name: string
  /** The account the provider named: channel title, user name, email. */
  account: string
  grant: OAuthGrant | null
  scopes: string[]
  /** When the current access token expires (null: it does not, or unknown). */
  expires_at: string | null
  /** Whether a new access token comes without the user (a refresh token, or Zoom S2S). */
  refreshes: boolean
  status: string
  needs_reauth: boolean
  store: string
  updated_at: string
}

export function signInView(row: Credential): SignInView {
  const ref = parseOAuthReference(row.encrypted_data)
  return {
    id: row.id,
    platform: row.platform,
    name: row.account_name,
    account: ref?.account || row.account_name,
    grant: ref?.grant ?? null,
    scopes: ref?.scopes ?? [],
    expires_at: ref?.expires_at ?? row.expires_at,
    refreshes: ref?.refreshes ?? false,
    status: row.status,
    needs_reauth: row.status === CREDENTIAL_NEEDS_REAUTH || ref === undefined,
    store: row.key_id,
    updated_at: row.updated_at,
  }
}

/** What a browser sign-in needs besides the platform. */
export interface BrowserSignInRequest {
  client: OAuthClient
  /** The credential's name (default: the account the provider names). */
  name?: string
  /** Default: the provider's defaultScopes. */
  scopes?: string[]
  timeoutMs?: number
  /** A redirect URI registered with the provider (fixed port), else a free port on 127.0.0.1. */
  redirectUri?: string
}

const SERVICE_NAMES: Record<OAuthPlatform, string> = { youtube: 'YouTube', vk: 'VK', zoom: 'Zoom' }

/** A provider's failure during a sign-in as the error the user sees (nothing was stored). */
export function signInFailure(platform: OAuthPlatform, e: unknown): unknown {
  return providerFailure(e, { suffix: '; nothing was stored', hint: 'run `' + signInCommand(platform) + '` again' })
}

export function validCredentialName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined
  const trimmed = name.trim()
  if (trimmed === '' || trimmed.length > 100) throw new RecflowError('usage', '--name must be 1 to 100 characters')
  return trimmed
}

export function authService(deps: ServiceDeps) {
  const scope = (user: UserRef) => deps.scopes.forUser(user.id)

  /**
   * The authorization-code sign-in of any platform: the browser half (browser-sign-in.ts), the code traded for
   * tokens (with the callback's parameters as `extra`: VK ID's device_id), the account looked up, and the
   * credential stored (or the same account's credential updated in place and made active again).
   */
  const signIn = async (user: UserRef, platform: OAuthPlatform, request: BrowserSignInRequest, io: SignInIo) => {
    const name = validCredentialName(request.name)
    const provider = await deps.oauth[platform]()
    const scopes = request.scopes ?? provider.defaultScopes
    return browserSignIn(
      {
        service: SERVICE_NAMES[platform],
        command: signInCommand(platform),
        clock: deps.clock,
        timeoutMs: request.timeoutMs,
        redirectUri: request.redirectUri,
        authorizeUrl: (p) => provider.authorizeUrl({ ...p, clientId: request.client.clientId, scopes }),
      },
      io,
      async (callback) => {
        try {
          const extra = Object.fromEntries([...callback.params].filter(([k]) => !['code', 'state', 'scope'].includes(k)))
          const tokens = await provider.exchange(
            { code: callback.code, codeVerifier: callback.codeVerifier, redirectUri: callback.redirectUri, client: request.client, extra },
            { signal: io.signal },
          )
          if (tokens.scopes.length === 0) tokens.scopes = scopes
          const account = await provider.accountName(tokens.accessToken, { signal: io.signal, extra: tokens.extra })
          const { row, replaced } = await saveOAuthCredential(deps, user, { platform, account, name, grant: 'authorization_code', tokens, client: request.client })
          return { ...signInView(row), replaced }
        } catch (e) {
          throw signInFailure(platform, e)
        }
      },
    )
  }

  return {
    signIn,

    /** `recflow auth youtube`: Google's installed-app flow (offline access, consent) for the client given. */
    signInYoutube: (user: UserRef, input: { client: GoogleClientConfig; name?: string; timeoutMs?: number }, io: SignInIo) =>
      signIn(
        user,
        'youtube',
        {
          client: { clientId: input.client.clientId, clientSecret: input.client.clientSecret },
          name: input.name,
          timeoutMs: input.timeoutMs,
          redirectUri: input.client.redirectUri,
        },
        io,
      ),

    /** `recflow auth vk`: VK ID (OAuth 2.1, PKCE; the callback's device_id kept for refreshes) for the app given. */
    signInVk: (user: UserRef, input: { appId: string; clientSecret?: string; name?: string; timeoutMs?: number; redirectUri?: string }, io: SignInIo) =>
      signIn(user, 'vk', { client: { clientId: input.appId, clientSecret: input.clientSecret ?? null }, name: input.name, timeoutMs: input.timeoutMs, redirectUri: input.redirectUri }, io),

    /** `recflow auth vk --implicit`: the legacy implicit flow, the token read from the pasted address (vk-implicit.ts). */
    async signInVkImplicit(user: UserRef, input: VkImplicitInput, io: SignInIo & { pasted: () => Promise<string | undefined> }): Promise<SignInView & { replaced: boolean }> {
      const { row, replaced } = await vkImplicitSignIn(deps, user, { ...input, name: validCredentialName(input.name) }, io)
      return { ...signInView(row), replaced }
    },

    /** `recflow auth zoom`: Zoom's user-level OAuth (PKCE; refresh tokens rotate on every refresh). */
    signInZoom: (user: UserRef, input: { clientId: string; clientSecret: string; name?: string; timeoutMs?: number; redirectUri?: string }, io: SignInIo) =>
      signIn(user, 'zoom', { client: { clientId: input.clientId, clientSecret: input.clientSecret }, name: input.name, timeoutMs: input.timeoutMs, redirectUri: input.redirectUri }, io),

    /** Every OAuth credential of the user (YouTube, VK, Zoom), by id. */
    async status(user: UserRef): Promise<SignInView[]> {
      const rows = await listAll((page) => scope(user).credentials.list({}, page))
      return rows.filter((r) => (OAUTH_PLATFORM_NAMES as readonly string[]).includes(r.platform)).map(signInView)
    },

    /** Stores tokens got by a sign-in (or a Zoom S2S token); see saveOAuthCredential. */
    async saveCredential(user: UserRef, input: NewOAuthCredential): Promise<SignInView & { replaced: boolean }> {
      const { row, replaced } = await saveOAuthCredential(deps, user, input)
      return { ...signInView(row), replaced }
    },

    /** `recflow credentials add zoom`: a Server-to-Server app, checked with one account token (zoom-s2s.ts). */
    async addZoomServerToServer(user: UserRef, input: ZoomS2SInput, control: { signal?: AbortSignal } = {}): Promise<SignInView & { replaced: boolean }> {
      const { row, replaced } = await addZoomServerToServer(deps, user, input, control)
      return { ...signInView(row), replaced }
    },

    /** A valid access token of the credential, refreshed when needed (src/services/credentials/oauth-tokens.ts). */
    accessToken: (user: UserRef, credentialId: number, platform: OAuthPlatform, opts: { forceRefresh?: boolean; signal?: AbortSignal } = {}) =>
      accessToken(deps, user, credentialId, platform, opts),
  }
}

export type AuthService = ReturnType<typeof authService>
