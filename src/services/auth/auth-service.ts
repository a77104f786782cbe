import type { Credential } from '../../db/index.js'
import { CREDENTIAL_NEEDS_REAUTH, OAUTH_PLATFORM_NAMES, parseOAuthReference, type OAuthGrant } from '../../domain/credentials/oauth.js'
import type { OAuthPlatform } from '../../providers/types.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { listAll } from '../paging.js'
import { saveOAuthCredential, type NewOAuthCredential } from '../credentials/oauth-secrets.js'
import { accessToken } from '../credentials/oauth-tokens.js'
import { addZoomServerToServer, type ZoomS2SInput } from './zoom-s2s.js'

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

export function authService(deps: ServiceDeps) {
  const scope = (user: UserRef) => deps.scopes.forUser(user.id)
  return {
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
