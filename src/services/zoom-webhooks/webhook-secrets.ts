import { parseApiKeyReference } from '../../domain/credentials/api-key.js'
import { ZOOM_WEBHOOK_KIND } from '../../domain/credentials/zoom-webhook.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { listAll } from '../paging.js'
import { readCredentialSecret, type SecretDeps } from '../credentials/credential-secrets.js'

/**
 * The user's Zoom webhook secret tokens (one per Zoom app), read from the secret store: the rows of kind
 * `zoom-webhook` hold only references (`recflow credentials add zoom-webhook`). An entry that cannot be read is
 * left out with a warning that names the credential, never the token.
 */
export async function webhookSecretTokens(deps: Pick<ServiceDeps, 'scopes' | 'logger'> & SecretDeps, user: UserRef): Promise<string[]> {
  const rows = await listAll((page) => deps.scopes.forUser(user.id).credentials.list({ platform: ZOOM_WEBHOOK_KIND }, page))
  if (rows.length === 0) return []
  const tokens: string[] = []
  for (const row of rows) {
    const ref = parseApiKeyReference(row.encrypted_data)
    const token =
      ref === undefined
        ? undefined
        : await readCredentialSecret(deps, row, ref.secret, { noun: 'secret token', again: 'recflow credentials add zoom-webhook' }).catch((e: unknown) => {
            deps.logger.warn('a zoom-webhook secret token cannot be read', { credential_id: row.id, store: row.key_id, error: (e as Error).message })
            return undefined
          })
    if (token !== undefined) tokens.push(token)
  }
  return tokens
}
