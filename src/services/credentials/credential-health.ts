import type { Credential } from '../../db/index.js'
import { CREDENTIAL_NEEDS_REAUTH, isOAuthPlatform, parseOAuthReference, tokenStillValid, type OAuthGrant } from '../../domain/credentials/oauth.js'
import { TOKEN_SKEW_MS } from './oauth-tokens.js'

/** GET /credentials/{id}/status: one credential's token health, read from its row alone (no secret is opened). */
export interface CredentialHealth {
  id: number
  platform: string
  name: string
  /** `sign_in` for YouTube, VK and Zoom tokens; `secret` for an API key or a webhook secret token (they do not expire). */
  type: 'sign_in' | 'secret'
  status: string
  grant: OAuthGrant | null
  /** When the current access token expires; null when it does not (or is not a token). */
  expires_at: string | null
  /** Seconds until then (negative once past); null when it does not expire. */
  seconds_left: number | null
  expired: boolean
  /** The next use gets a new access token first (it expires within a minute). */
  needs_refresh: boolean
  /** Whether that happens without the user (a refresh token, or Zoom S2S). */
  refreshes: boolean
  /** Only a new sign-in helps: the provider refused a refresh, or the token ran out and cannot be refreshed. */
  needs_reauth: boolean
  checked_at: string
}

export function credentialHealth(row: Credential, now: Date): CredentialHealth {
  const base = { id: row.id, platform: row.platform, name: row.account_name, status: row.status, checked_at: now.toISOString() }
  if (!isOAuthPlatform(row.platform)) {
    const needsReauth = row.status === CREDENTIAL_NEEDS_REAUTH
    return { ...base, type: 'secret', grant: null, expires_at: null, seconds_left: null, expired: false, needs_refresh: false, refreshes: false, needs_reauth: needsReauth }
  }
  const ref = parseOAuthReference(row.encrypted_data)
  const expiresAt = ref?.expires_at ?? row.expires_at
  const at = expiresAt === null ? NaN : Date.parse(expiresAt)
  const secondsLeft = Number.isFinite(at) ? Math.floor((at - now.getTime()) / 1000) : null
  const expired = secondsLeft !== null && secondsLeft <= 0
  const needsRefresh = expiresAt !== null && !tokenStillValid(expiresAt, now, TOKEN_SKEW_MS)
  const refreshes = ref?.refreshes ?? false
  return {
    ...base,
    type: 'sign_in',
    grant: ref?.grant ?? null,
    expires_at: expiresAt === null ? null : Number.isFinite(at) ? new Date(at).toISOString() : expiresAt,
    seconds_left: secondsLeft,
    expired,
    needs_refresh: needsRefresh,
    refreshes,
    needs_reauth: ref === undefined || row.status === CREDENTIAL_NEEDS_REAUTH || (expired && !refreshes),
  }
}
