import crypto from 'node:crypto'
import type { Credential } from '../../db/index.js'
import {
  CREDENTIAL_ACTIVE,
  isOAuthPlatform,
  parseOAuthReference,
  parseOAuthSecret,
  signInCommand,
  type OAuthGrant,
  type OAuthPlatformName,
  type OAuthReference,
  type OAuthSecret,
} from '../../domain/credentials/oauth.js'
import { RecflowError } from '../../domain/errors.js'
import type { OAuthClient, OAuthPlatform, OAuthTokens } from '../../providers/types.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { deleteCredentialSecret, readCredentialSecret, replaceCredentialSecret, storeCredentialSecret, type SecretDeps } from './credential-secrets.js'

/*
 * Where an OAuth credential lives (the contract in src/domain/credentials/oauth.ts): tokens and the client secret
 * in one secret-store entry (JSON OAuthSecret), the row in user_credentials holding only the reference; in daemon
 * mode the OAuthSecret is sealed into the reference's `secret` field instead (credential-secrets.ts).
 */

export const newOAuthSecretName = (userId: number, platform: string): string => `oauth/${platform}/${userId}/${crypto.randomUUID()}`

export interface NewOAuthCredential {
  platform: OAuthPlatform
  /** The account the provider names (the channel title, user name or email). */
  account: string
  /** The credential's name (account_name); default: `account`. */
  name?: string
  grant: OAuthGrant
  tokens: OAuthTokens
  client: OAuthClient
  /** Zoom S2S. */
  accountId?: string
}

const toIso = (d: Date | null) => (d === null ? null : d.toISOString())

export function oauthReferenceOf(row: Credential): OAuthReference {
  const ref = isOAuthPlatform(row.platform) ? parseOAuthReference(row.encrypted_data) : undefined
  if (!ref) {
    throw new RecflowError('internal', `credential ${row.id} (${row.platform}) holds no OAuth reference`, {
      hint: `remove it with \`recflow credentials remove ${row.id}\` and sign in again`,
    })
  }
  return ref
}

const secretOf = (input: { tokens: OAuthTokens; client: OAuthClient; accountId?: string }): OAuthSecret => {
  const out: OAuthSecret = {
    client_id: input.client.clientId,
    client_secret: input.client.clientSecret,
    access_token: input.tokens.accessToken,
    refresh_token: input.tokens.refreshToken,
    expires_at: toIso(input.tokens.expiresAt),
  }
  if (input.accountId !== undefined) out.account_id = input.accountId
  if (input.tokens.extra && Object.keys(input.tokens.extra).length > 0) out.extra = { ...input.tokens.extra }
  return out
}

const referenceOf = (secret: string, input: NewOAuthCredential): OAuthReference => ({
  secret,
  grant: input.grant,
  scopes: input.tokens.scopes,
  expires_at: toIso(input.tokens.expiresAt),
  refreshes: input.grant === 'account_credentials' || input.tokens.refreshToken !== null,
  account: input.account,
})

/**
 * Stores a signed-in credential: the secret entry first, then the row. Signing in again to an account that already
 * has a credential of this platform and name updates that row in place (same id: presets and sources that use it
 * keep working), makes it active again and deletes its old entry. A failed write takes the new entry back out.
 */
export async function saveOAuthCredential(
  deps: Pick<ServiceDeps, 'scopes' | 'logger'> & SecretDeps,
  user: UserRef,
  input: NewOAuthCredential,
): Promise<{ row: Credential; replaced: boolean }> {
  const name = (input.name ?? input.account).trim() || input.platform
  const stored = await storeCredentialSecret(deps, { userId: user.id, platform: input.platform }, newOAuthSecretName(user.id, input.platform), JSON.stringify(secretOf(input)))
  try {
    const repo = deps.scopes.forUser(user.id).credentials
    const existing = await repo.findByAccount(input.platform, name)
    const fields = {
      encrypted_data: JSON.stringify(referenceOf(stored.secret, input)),
      key_id: stored.key_id,
      expires_at: input.tokens.expiresAt,
      status: CREDENTIAL_ACTIVE,
    }
    if (existing) {
      const row = await repo.update(existing.id, fields)
      const old = parseOAuthReference(existing.encrypted_data)
      if (old) await deleteCredentialSecret(deps, existing, old.secret).catch(() => false)
      deps.logger.info('signed in again', { credential_id: existing.id, platform: input.platform })
      return { row: row ?? existing, replaced: true }
    }
    const row = await repo.create({ platform: input.platform, account_name: name, ...fields })
    deps.logger.info('signed in', { credential_id: row.id, platform: input.platform, store: stored.key_id })
    return { row, replaced: false }
  } catch (e) {
    await stored.discard()
    throw e
  }
}

/** Reads the tokens of an OAuth credential row. Errors name the credential and the command to sign in again, never a token. */
export async function readOAuthSecret(deps: SecretDeps & Partial<Pick<ServiceDeps, 'scopes' | 'logger'>>, row: Credential): Promise<{ reference: OAuthReference; secret: OAuthSecret }> {
  const reference = oauthReferenceOf(row)
  const again = signInCommand(row.platform as OAuthPlatformName, reference.grant)
  const text = await readCredentialSecret(deps, row, reference.secret, { noun: 'tokens', again })
  const secret = text === undefined ? undefined : parseOAuthSecret(text)
  if (!secret) {
    throw new RecflowError('auth', `the tokens of credential ${row.id} are missing from the secret store`, { hint: `sign in again with \`${again}\`` })
  }
  return { reference, secret }
}

/**
 * Saves refreshed tokens: the secret entry is rewritten in place (a refresh token is never replaced by an empty
 * one), then the row's reference and expiry. Resolves only once both are written.
 */
export async function writeRefreshedTokens(
  deps: Pick<ServiceDeps, 'scopes'> & SecretDeps,
  user: UserRef,
  row: Credential,
  current: { reference: OAuthReference; secret: OAuthSecret },
  tokens: OAuthTokens,
): Promise<OAuthSecret> {
  const next: OAuthSecret = {
    ...current.secret,
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken ?? current.secret.refresh_token,
    expires_at: toIso(tokens.expiresAt),
  }
  if (tokens.extra && Object.keys(tokens.extra).length > 0) next.extra = { ...current.secret.extra, ...tokens.extra }
  const again = signInCommand(row.platform as OAuthPlatformName, current.reference.grant)
  const written = await replaceCredentialSecret(deps, row, current.reference.secret, JSON.stringify(next), { noun: 'tokens', again })
  const reference: OAuthReference = {
    ...current.reference,
    secret: written.secret,
    scopes: tokens.scopes.length > 0 ? tokens.scopes : current.reference.scopes,
    expires_at: next.expires_at,
  }
  await deps.scopes
    .forUser(user.id)
    .credentials.update(row.id, { encrypted_data: JSON.stringify(reference), key_id: written.key_id, expires_at: next.expires_at })
  return next
}
