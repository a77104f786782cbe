import crypto from 'node:crypto'
import type { Credential } from '../../db/index.js'
import { isApiKeyKind, parseApiKeyReference, type ApiKeyReference } from '../../domain/credentials/api-key.js'
import { RecflowError } from '../../domain/errors.js'
import type { ApiKeyAccess, ApiKeyKind } from '../../providers/types.js'
import type { ServiceDeps } from '../context.js'
import { readCredentialSecret, type SecretDeps } from './credential-secrets.js'

/*
 * Where an API key lives: the secret store (the CLI), or sealed into its row (daemon mode; credential-secrets.ts).
 * The credential row holds a reference: encrypted_data is `{"secret": <entry name or sealed key>, "base_url": …}`,
 * key_id names the store kind or the sealing key, so the database file never holds a key in the clear.
 */

/** A fresh, unguessable entry name for a user's key (the keychain account, or the encrypted file's entry). */
export const newSecretName = (userId: number): string => `api-key/${userId}/${crypto.randomUUID()}`

/** The reference of an API-key credential row, or an error naming the credential when the row is not one. */
export function referenceOf(row: Credential): ApiKeyReference {
  const ref = isApiKeyKind(row.platform) ? parseApiKeyReference(row.encrypted_data) : undefined
  if (!ref) {
    throw new RecflowError('internal', `credential ${row.id} (${row.platform}) holds no API-key reference`, {
      hint: `remove it with \`recflow credentials remove ${row.id}\` and add the key again`,
    })
  }
  return ref
}

/** Reads the key of an API-key credential row from the secret store. Errors name the credential, never the key. */
export async function readApiKey(deps: SecretDeps & Partial<Pick<ServiceDeps, 'scopes' | 'logger'>>, row: Credential): Promise<ApiKeyAccess> {
  const ref = referenceOf(row)
  const apiKey = await readCredentialSecret(deps, row, ref.secret, { noun: 'key', again: `recflow credentials add ${row.platform}` })
  if (apiKey === undefined) {
    throw new RecflowError('auth', `the key of credential ${row.id} is missing from the secret store`, {
      hint: `run \`recflow credentials remove ${row.id} --force\`, then \`recflow credentials add ${row.platform}\``,
    })
  }
  return { apiKey, baseUrl: ref.base_url }
}

export const apiKeyKindOf = (row: Credential): ApiKeyKind | undefined => (isApiKeyKind(row.platform) ? row.platform : undefined)
