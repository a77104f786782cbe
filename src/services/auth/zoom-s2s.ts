import { RecflowError, usageError } from '../../domain/errors.js'
import { ProviderError } from '../../providers/types.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { saveOAuthCredential } from '../credentials/oauth-secrets.js'

/*
 * `recflow credentials add zoom --account-id --client-id --client-secret`: a Zoom Server-to-Server app
 * (API-CONTRACTS.md §A.2). One account token is fetched now, which checks the three values before anything is
 * stored; later tokens come from accessToken() when the stored one expires (there is no refresh token).
 */

export interface ZoomS2SInput {
  accountId: string
  clientId: string
  clientSecret: string
  name?: string
}

/** A Zoom id or secret as given: trimmed, one token of printable characters. Refused without echoing a secret. */
function field(value: string, flag: string, secret = false): string {
  const v = value.trim()
  if (v === '') throw usageError(`${flag} is empty`)
  if (v.length > 512) throw usageError(`${flag} is longer than 512 characters`)
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(v)) throw usageError(`${flag} holds spaces or control characters${secret ? '' : `: "${v}"`}`, `give only the ${flag.slice(2).replace('-', ' ')} itself`)
  return v
}

/** Checks the app by getting a token, then stores the credential (named `s2s-<account id>` unless --name says). */
export async function addZoomServerToServer(deps: ServiceDeps, user: UserRef, input: ZoomS2SInput, control: { signal?: AbortSignal } = {}) {
  const accountId = field(input.accountId, '--account-id')
  const client = { clientId: field(input.clientId, '--client-id'), clientSecret: field(input.clientSecret, '--client-secret', true) }
  const name = input.name?.trim()
  if (name !== undefined && (name === '' || name.length > 100)) throw usageError('--name must be 1 to 100 characters')
  const provider = await deps.oauth.zoom()
  if (!provider.accountToken) throw new RecflowError('internal', 'the Zoom provider has no Server-to-Server token call')
  const tokens = await provider.accountToken({ accountId, client }, control).catch((e: unknown) => {
    if (e instanceof ProviderError && e.kind === 'auth') {
      throw new RecflowError('auth', `Zoom refused the Server-to-Server app: ${e.message}`, {
        hint: 'check --account-id, --client-id and --client-secret on the app\'s page (marketplace.zoom.us → Manage → your Server-to-Server app → App Credentials), and that the app is activated',
      })
    }
    throw e
  })
  // The account the token acts for: GET /users/me names the app's owner when the app has a user:read scope.
  let account = accountId
  try {
    account = await provider.accountName(tokens.accessToken, control)
  } catch (e) {
    if (!(e instanceof ProviderError) || e.kind === 'transient') throw e
    deps.logger.debug('the Zoom account owner could not be looked up; the credential is named by its account id', { reason: e.message })
  }
  return saveOAuthCredential(deps, user, { platform: 'zoom', account, name: name ?? `s2s-${accountId}`, grant: 'account_credentials', tokens, client, accountId })
}
