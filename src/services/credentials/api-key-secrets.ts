import crypto from 'node:crypto'
import type { Credential } from '../../db/index.js'
import { isApiKeyKind, parseApiKeyReference, type ApiKeyReference } from '../../domain/credentials/api-key.js'
import { RecflowError } from '../../domain/errors.js'
import type { ApiKeyAccess, ApiKeyKind } from '../../providers/types.js'
import type { ServiceDeps } from '../context.js'

/*
 * Where an API key lives: the secret store only. The credential row holds a reference (encrypted_data is
 * `{"secret": <entry name>, "base_url": …}`, key_id names the store kind), so the database file never holds a key.
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
export async function readApiKey(deps: Pick<ServiceDeps, 'secrets'>, row: Credential): Promise<ApiKeyAccess> {
  const ref = referenceOf(row)
  const store = await deps.secrets()
  if (store.kind !== row.key_id) {
    throw new RecflowError('auth', `the key of credential ${row.id} is in the ${row.key_id} secret store, but this run uses the ${store.kind} store`, {
      hint: `set RECFLOW_SECRET_STORE=${row.key_id === 'keychain' ? 'keychain' : 'file'}, or add the key again with \`recflow credentials add ${row.platform}\``,
    })
  }
  let apiKey: string | undefined
  try {
    apiKey = await store.get(ref.secret)
  } catch (e) {
    throw new RecflowError('auth', `the key of credential ${row.id} cannot be read from the secret store: ${(e as Error).message}`, {
      hint: 'run `recflow doctor` to check the secret store',
      cause: e,
    })
  }
  if (apiKey === undefined) {
    throw new RecflowError('auth', `the key of credential ${row.id} is missing from the secret store`, {
      hint: `run \`recflow credentials remove ${row.id} --force\`, then \`recflow credentials add ${row.platform}\``,
    })
  }
  return { apiKey, baseUrl: ref.base_url }
}

export const apiKeyKindOf = (row: Credential): ApiKeyKind | undefined => (isApiKeyKind(row.platform) ? row.platform : undefined)
