import type { Credential } from '../../db/index.js'
import { isApiKeyKind, normalizeApiKey, normalizeBaseUrl, parseApiKeyReference } from '../../domain/credentials/api-key.js'
import { CREDENTIAL_ACTIVE, isOAuthPlatform } from '../../domain/credentials/oauth.js'
import { normalizeWebhookSecretToken, ZOOM_WEBHOOK_KIND } from '../../domain/credentials/zoom-webhook.js'
import { RecflowError, conflict } from '../../domain/errors.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { newSecretName } from './api-key-secrets.js'
import { deleteCredentialSecret, storeCredentialSecret } from './credential-secrets.js'

/*
 * PATCH /credentials/{id}: a new name and/or a new secret for an API key or a Zoom webhook secret token, checked
 * exactly as when it was added. The new secret is stored where this run keeps new ones (sealed in daemon mode),
 * the row is pointed at it, then the old entry is deleted: the id stays, so presets, sources and the config that
 * use it keep working. Sign-ins (YouTube, VK, Zoom) are replaced by signing in again, never by a pasted token.
 */

export interface CredentialChange {
  name?: string
  /** The new secret: an API key (fireworks, openai, deepseek) or a webhook secret token (zoom-webhook). */
  secret?: { kind: 'api_key'; value: string; baseUrl?: string } | { kind: 'secret_token'; value: string }
}

type UpdateDeps = Pick<ServiceDeps, 'scopes' | 'logger' | 'secrets' | 'credentialKeys'>

function newSecretOf(row: Credential, secret: NonNullable<CredentialChange['secret']>): { value: string; baseUrl: string | null | undefined } {
  if (isOAuthPlatform(row.platform)) {
    throw new RecflowError('validation', `credential ${row.id} is a ${row.platform} sign-in: its tokens are replaced by signing in again, not by a pasted secret`, {
      hint: `GET /api/v1/oauth/${row.platform}/authorize (the same account's credential is updated in place)`,
      details: { id: row.id, platform: row.platform },
    })
  }
  if (row.platform === ZOOM_WEBHOOK_KIND) {
    if (secret.kind !== 'secret_token') throw new RecflowError('validation', `credential ${row.id} is a Zoom webhook secret token: send credentials.secret_token`)
    return { value: normalizeWebhookSecretToken(secret.value), baseUrl: undefined }
  }
  if (!isApiKeyKind(row.platform)) {
    throw new RecflowError('validation', `credential ${row.id} (${row.platform}) holds no secret that can be replaced here`, { hint: 'remove it and add it again' })
  }
  if (secret.kind !== 'api_key') throw new RecflowError('validation', `credential ${row.id} is a ${row.platform} API key: send credentials.api_key`)
  return { value: normalizeApiKey(secret.value), baseUrl: secret.baseUrl === undefined ? undefined : normalizeBaseUrl(secret.baseUrl) }
}

/** Applies `change` to `row` (the caller's, already read); returns the row as written. */
export async function updateCredential(deps: UpdateDeps, user: UserRef, row: Credential, change: CredentialChange): Promise<Credential> {
  const repo = deps.scopes.forUser(user.id).credentials
  const patch: { account_name?: string; encrypted_data?: string; key_id?: string; status?: string } = {}
  if (change.name !== undefined) {
    const name = change.name.trim()
    if (name === '' || name.length > 100) throw new RecflowError('usage', 'account_name must be 1 to 100 characters')
    const taken = await repo.findByAccount(row.platform, name)
    if (taken && taken.id !== row.id) throw conflict(`you already have a ${row.platform} credential named "${name}" (id ${taken.id})`, 'choose another account_name')
    patch.account_name = name
  }
  if (change.secret === undefined) return (await repo.update(row.id, patch)) ?? row

  const next = newSecretOf(row, change.secret)
  const old = parseApiKeyReference(row.encrypted_data)
  const baseUrl = next.baseUrl === undefined ? (old?.base_url ?? null) : next.baseUrl
  const stored = await storeCredentialSecret(deps, { userId: user.id, platform: row.platform }, newSecretName(user.id), next.value)
  let written: Credential
  try {
    patch.encrypted_data = JSON.stringify({ secret: stored.secret, base_url: baseUrl })
    patch.key_id = stored.key_id
    patch.status = CREDENTIAL_ACTIVE
    written = (await repo.update(row.id, patch)) ?? row
  } catch (e) {
    await stored.discard()
    throw e
  }
  if (old) {
    await deleteCredentialSecret(deps, row, old.secret).catch((e: unknown) =>
      deps.logger.warn("a replaced credential's old secret could not be deleted from the secret store", { credential_id: row.id, error: (e as Error).message }),
    )
  }
  deps.logger.info('replaced a credential secret', { credential_id: row.id, kind: row.platform, store: stored.key_id })
  return written
}
