/*
 * How an OAuth credential is stored (the issue-9 contract). The database row holds a reference only:
 * `platform` youtube | vk | zoom, `account_name` the account (or --name), `status` active | needs_reauth, and
 * `encrypted_data` the JSON OAuthReference below: where the tokens are, never a token or a client secret. The
 * secret-store entry it names holds the JSON OAuthSecret: the client and the tokens.
 */

export const OAUTH_PLATFORM_NAMES = ['youtube', 'vk', 'zoom'] as const
export type OAuthPlatformName = (typeof OAUTH_PLATFORM_NAMES)[number]
export const isOAuthPlatform = (platform: string): platform is OAuthPlatformName => (OAUTH_PLATFORM_NAMES as readonly string[]).includes(platform)

/** authorization_code: browser sign-in (refreshable when a refresh token came); implicit: legacy VK token; account_credentials: Zoom S2S. */
export const OAUTH_GRANTS = ['authorization_code', 'implicit', 'account_credentials'] as const
export type OAuthGrant = (typeof OAUTH_GRANTS)[number]

export const CREDENTIAL_ACTIVE = 'active'
export const CREDENTIAL_NEEDS_REAUTH = 'needs_reauth'

export interface OAuthReference {
  /** The secret-store entry holding the OAuthSecret. */
  secret: string
  grant: OAuthGrant
  scopes: string[]
  /** ISO time the access token expires, null when it does not. */
  expires_at: string | null
  /** Whether a new access token can be had without the user: a refresh token is stored, or the grant is S2S. */
  refreshes: boolean
  /** The account the provider names (channel title, user name, email); account_name may be a --name instead. */
  account: string
}

export interface OAuthSecret {
  client_id: string
  client_secret: string | null
  access_token: string
  refresh_token: string | null
  expires_at: string | null
  /** Zoom S2S: the account id the token is asked for. */
  account_id?: string
  /** Provider-specific values later calls need (VK ID's device_id). */
  extra?: Record<string, string>
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)

export function parseOAuthReference(text: string): OAuthReference | undefined {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!isRecord(doc) || typeof doc.secret !== 'string' || doc.secret === '') return undefined
  if (!(OAUTH_GRANTS as readonly unknown[]).includes(doc.grant)) return undefined
  const grant = doc.grant as OAuthGrant
  return {
    secret: doc.secret,
    grant,
    scopes: Array.isArray(doc.scopes) ? doc.scopes.filter((s): s is string => typeof s === 'string') : [],
    expires_at: strOrNull(doc.expires_at),
    refreshes: typeof doc.refreshes === 'boolean' ? doc.refreshes : grant !== 'implicit',
    account: typeof doc.account === 'string' ? doc.account : '',
  }
}

export function parseOAuthSecret(text: string): OAuthSecret | undefined {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!isRecord(doc) || typeof doc.client_id !== 'string' || typeof doc.access_token !== 'string') return undefined
  const out: OAuthSecret = {
    client_id: doc.client_id,
    client_secret: strOrNull(doc.client_secret),
    access_token: doc.access_token,
    refresh_token: strOrNull(doc.refresh_token),
    expires_at: strOrNull(doc.expires_at),
  }
  if (typeof doc.account_id === 'string' && doc.account_id !== '') out.account_id = doc.account_id
  if (isRecord(doc.extra)) {
    const extra = Object.fromEntries(Object.entries(doc.extra).filter((e): e is [string, string] => typeof e[1] === 'string'))
    if (Object.keys(extra).length > 0) out.extra = extra
  }
  return out
}

/** Whether a token expiring at `expiresAt` is still good at `now`, keeping `skewMs` (60 s) in hand. */
export function tokenStillValid(expiresAt: string | null, now: Date, skewMs = 60_000): boolean {
  if (expiresAt === null) return true
  const t = Date.parse(expiresAt)
  return Number.isFinite(t) && t - skewMs > now.getTime()
}

/** The command that signs a platform in again, for hints. */
export function signInCommand(platform: OAuthPlatformName, grant?: OAuthGrant): string {
  if (platform === 'zoom' && grant === 'account_credentials') return 'recflow credentials add zoom'
  return 'recflow auth ' + platform
}
