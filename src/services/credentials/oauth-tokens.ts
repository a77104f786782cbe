import path from 'node:path'
import type { Credential } from '../../db/index.js'
import { CREDENTIAL_NEEDS_REAUTH, signInCommand, tokenStillValid, type OAuthPlatformName } from '../../domain/credentials/oauth.js'
import { RecflowError, notFound } from '../../domain/errors.js'
import { withFileLock } from '../../platform/file-lock.js'
import { ProviderError, type OAuthPlatform, type OAuthTokens } from '../../providers/types.js'
import { whileHandling } from '../best-effort.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { readOAuthSecret, writeRefreshedTokens } from './oauth-secrets.js'

/** An access token is refreshed this long before it expires, so it does not run out in flight. */
export const TOKEN_SKEW_MS = 60_000

type TokenDeps = Pick<ServiceDeps, 'scopes' | 'secrets' | 'oauth' | 'env' | 'clock' | 'logger'>

/** The lock file that keeps two processes from spending one (rotating) refresh token twice. */
export const tokenLockPath = (deps: Pick<ServiceDeps, 'env'>, credentialId: number) => path.join(deps.env.configDir, `oauth-${credentialId}.lock`)

function reauthError(row: Credential, platform: OAuthPlatform, grant: Parameters<typeof signInCommand>[1], why: string): RecflowError {
  const again = signInCommand(platform as OAuthPlatformName, grant)
  return new RecflowError('auth', `${platform} credential ${row.id} ("${row.account_name}") needs you to sign in again: ${why}`, {
    hint: `run \`${again}\` (then \`recflow auth status\` shows it active)`,
    details: { credential_id: row.id, platform, status: CREDENTIAL_NEEDS_REAUTH },
  })
}

/**
 * The access token of an OAuth credential (this user's, of `platform`, else not found). The stored one while it is
 * valid for another 60 s (and `forceRefresh` is not set), else a new one: a refresh (Zoom S2S: a new account
 * token) under a per-credential file lock, so two processes never both spend a rotating refresh token; inside the
 * lock the stored tokens are read again, and a token another process just got is used as is. The new tokens are
 * saved before they are returned; a refresh token is never replaced by an empty one. When the provider refuses
 * the grant, the row becomes needs_reauth and this throws RecflowError 'auth' (exit 4) with the sign-in hint;
 * a row already needs_reauth throws that at once. Callers that get a 401 with a token call this once with
 * `forceRefresh: true`, then fail with that hint.
 */
export async function accessToken(
  deps: TokenDeps,
  user: UserRef,
  credentialId: number,
  platform: OAuthPlatform,
  opts: { forceRefresh?: boolean; signal?: AbortSignal } = {},
): Promise<string> {
  const repo = deps.scopes.forUser(user.id).credentials
  const row = await repo.get(credentialId)
  if (!row || row.platform !== platform) {
    throw notFound(`${platform} credential`, credentialId, 'run `recflow auth status` to see your sign-ins')
  }
  const first = await readOAuthSecret(deps, row)
  if (row.status === CREDENTIAL_NEEDS_REAUTH) throw reauthError(row, platform, first.reference.grant, 'the provider refused its last refresh')
  const now = () => deps.clock.now()
  if (!opts.forceRefresh && tokenStillValid(first.secret.expires_at, now(), TOKEN_SKEW_MS)) return first.secret.access_token

  return withFileLock(
    tokenLockPath(deps, credentialId),
    async () => {
      // Another process may have refreshed while this one waited for the lock: its token is as good as a new one.
      const fresh = await repo.get(credentialId)
      if (!fresh) throw notFound(`${platform} credential`, credentialId, 'run `recflow auth status` to see your sign-ins')
      const current = await readOAuthSecret(deps, fresh)
      if (fresh.status === CREDENTIAL_NEEDS_REAUTH) throw reauthError(fresh, platform, current.reference.grant, 'the provider refused its last refresh')
      const changed = current.secret.access_token !== first.secret.access_token
      if (changed && tokenStillValid(current.secret.expires_at, now(), TOKEN_SKEW_MS)) return current.secret.access_token

      const provider = await deps.oauth[platform]()
      const client = { clientId: current.secret.client_id, clientSecret: current.secret.client_secret }
      let tokens: OAuthTokens
      try {
        if (current.reference.grant === 'account_credentials') {
          if (!provider.accountToken || !current.secret.account_id) throw reauthError(fresh, platform, current.reference.grant, 'it holds no account id')
          tokens = await provider.accountToken({ accountId: current.secret.account_id, client }, { signal: opts.signal })
        } else if (current.secret.refresh_token !== null) {
          tokens = await provider.refresh({ refreshToken: current.secret.refresh_token, client, extra: current.secret.extra }, { signal: opts.signal })
        } else {
          await repo.update(fresh.id, { status: CREDENTIAL_NEEDS_REAUTH })
          throw reauthError(fresh, platform, current.reference.grant, 'its access token expired and it has no refresh token')
        }
      } catch (e) {
        if (e instanceof ProviderError && e.kind === 'auth' && e.reauth) {
          // Should this write fail too (a full disk), the refusal is still what the user sees: sign in again.
          await whileHandling(deps.logger, e, `mark credential ${fresh.id} as needing a new sign-in`, () => repo.update(fresh.id, { status: CREDENTIAL_NEEDS_REAUTH }))
          deps.logger.warn('the provider refused a refresh: the credential needs a new sign-in', { credential_id: fresh.id, platform })
          throw reauthError(fresh, platform, current.reference.grant, e.message)
        }
        throw e
      }
      const saved = await writeRefreshedTokens(deps, user, fresh, current, tokens)
      deps.logger.debug('refreshed an access token', { credential_id: fresh.id, platform, rotated: tokens.refreshToken !== null })
      return saved.access_token
    },
    { timeoutMs: 60_000 },
  )
}
