import { RecflowError } from '../../domain/errors.js'
import type { AccessTokenGetter } from '../../providers/types.js'
import type { ServiceDeps, UserRef } from '../context.js'

/*
 * TEMPORARY, until the oauth helper's `accessToken(deps, user, credentialId, 'zoom', {forceRefresh})`
 * (src/services/credentials/oauth-tokens.ts) is merged: reads the stored access token of a Zoom OAuth credential
 * as the shared contract stores it (encrypted_data `{secret, ...}`, the secret-store entry JSON
 * `{access_token, ...}`); it cannot refresh, so a forced refresh fails with the sign-in hint.
 */
export function zoomAccessTokenGetter(deps: Pick<ServiceDeps, 'scopes' | 'secrets'>, user: UserRef, credentialId: number): AccessTokenGetter {
  const signIn = 'run `recflow auth zoom` to sign in again'
  return async ({ forceRefresh }) => {
    const row = await deps.scopes.forUser(user.id).credentials.get(credentialId)
    if (!row || row.platform !== 'zoom') throw new RecflowError('auth', `Zoom credential ${credentialId} not found`, { hint: 'run `recflow auth zoom` to add one' })
    if (forceRefresh) throw new RecflowError('auth', `Zoom refused the access token of credential ${credentialId}`, { hint: signIn })
    let ref: { secret?: unknown }
    try {
      ref = JSON.parse(row.encrypted_data ?? '{}') as { secret?: unknown }
    } catch {
      ref = {}
    }
    const entry = typeof ref.secret === 'string' ? await (await deps.secrets()).get(ref.secret) : undefined
    const token = entry === undefined ? undefined : (JSON.parse(entry) as { access_token?: unknown }).access_token
    if (typeof token !== 'string' || token === '') throw new RecflowError('auth', `Zoom credential ${credentialId} holds no access token`, { hint: signIn })
    return token
  }
}
