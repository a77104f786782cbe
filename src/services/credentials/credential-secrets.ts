import type { Credential } from '../../db/index.js'
import { RecflowError } from '../../domain/errors.js'
import type { ServiceDeps } from '../context.js'

/*
 * Where a credential's secret (an API key, a webhook secret token, an OAuth credential's JSON) lives. The row's
 * `encrypted_data` is a reference whose `secret` field is either
 * - the name of an entry in the secret store (the CLI: key_id `keychain` or `encrypted-file`), or
 * - the secret itself sealed with the credential keyring (daemon mode, RECFLOW_SECRET_STORE=database: key_id
 *   `db:<key>`, e.g. `db:k1`), bound to the owner and platform so a sealed value moved to another row fails.
 * A sealed row is readable in either mode; the mode only chooses where new secrets go. A row sealed with an older
 * key is re-sealed with the current one when it is read (`recflow daemon rotate-key`).
 */

export type SecretDeps = Pick<ServiceDeps, 'secrets'> & Partial<Pick<ServiceDeps, 'credentialKeys'>>
type ResealDeps = SecretDeps & Pick<ServiceDeps, 'scopes' | 'logger'>

export const SEALED_PREFIX = 'db:'
export const isSealed = (keyId: string): boolean => keyId.startsWith(SEALED_PREFIX)
const sealedKeyId = (key: string) => `${SEALED_PREFIX}${key}`
const aadOf = (owner: { userId: number; platform: string }) => `recflow-credential:${owner.userId}:${owner.platform}`

/** How errors name what a row holds, and the command that replaces it. */
export interface SecretNoun {
  /** "key", "tokens", "secret token". */
  noun: string
  /** The command that stores it again, e.g. `recflow credentials add fireworks`. */
  again: string
}

export interface StoredSecret {
  /** The reference's `secret` field. */
  secret: string
  key_id: string
  /** Takes a secret that was stored but whose row was not written back out (nothing for a sealed one). */
  discard(): Promise<void>
}

async function keyringOf(deps: SecretDeps, row: { id: number }, what: SecretNoun) {
  if (!deps.credentialKeys) {
    throw new RecflowError('auth', `credential ${row.id} is sealed in the database, and this process has no credential keyring`, {
      hint: `run it through recflow, or store it again with \`${what.again}\``,
    })
  }
  return deps.credentialKeys.keyring()
}

/**
 * Stores a new secret where this run keeps them: sealed (daemon mode) or in the secret store under `entryName`.
 */
export async function storeCredentialSecret(
  deps: SecretDeps,
  owner: { userId: number; platform: string },
  entryName: string,
  value: string,
): Promise<StoredSecret> {
  if (deps.credentialKeys?.sealNewSecrets) {
    const { keyId, sealed } = await (await deps.credentialKeys.keyring()).seal(value, aadOf(owner))
    return { secret: sealed, key_id: sealedKeyId(keyId), discard: async () => undefined }
  }
  const store = await deps.secrets()
  await store.set(entryName, value)
  return { secret: entryName, key_id: store.kind, discard: () => store.delete(entryName).then(() => undefined, () => undefined) }
}

/**
 * The secret of `row` (whose reference's `secret` field is `secretRef`), or undefined when its store entry is
 * gone. Errors name the credential and `what.again`, never the secret. A value sealed with an older key is
 * re-sealed with the current one (when `deps` can write the row; a failure there is logged, not thrown).
 */
export async function readCredentialSecret(
  deps: SecretDeps & Partial<Pick<ServiceDeps, 'scopes' | 'logger'>>,
  row: Credential,
  secretRef: string,
  what: SecretNoun,
): Promise<string | undefined> {
  if (isSealed(row.key_id)) {
    const keyring = await keyringOf(deps, row, what)
    let value: string
    try {
      value = keyring.open(row.key_id.slice(SEALED_PREFIX.length), secretRef, aadOf({ userId: row.user_id, platform: row.platform }))
    } catch (e) {
      throw new RecflowError('auth', `the ${what.noun} of credential ${row.id} cannot be decrypted: ${(e as Error).message}`, {
        hint: `store it again with \`${what.again}\``,
        cause: e,
      })
    }
    const current = keyring.currentKeyId()
    if (current !== undefined && sealedKeyId(current) !== row.key_id && deps.scopes && deps.logger) {
      await resealRow(deps as ResealDeps, row, value).catch((e: unknown) =>
        deps.logger!.warn('a credential sealed with an older key could not be re-sealed', { credential_id: row.id, error: (e as Error).message }),
      )
    }
    return value
  }
  const store = await deps.secrets()
  if (store.kind !== row.key_id) {
    throw new RecflowError('auth', `the ${what.noun} of credential ${row.id}: kept in the ${row.key_id} secret store, but this run uses the ${store.kind} store`, {
      hint: `set RECFLOW_SECRET_STORE=${row.key_id === 'keychain' ? 'keychain' : 'file'}, or store it again with \`${what.again}\``,
    })
  }
  try {
    return await store.get(secretRef)
  } catch (e) {
    throw new RecflowError('auth', `the ${what.noun} of credential ${row.id} cannot be read from the secret store: ${(e as Error).message}`, {
      hint: 'run `recflow doctor` to check the secret store',
      cause: e,
    })
  }
}

/**
 * Seals `value` again with the current key and writes it into the row, unless the row changed meanwhile (then
 * whoever changed it wrote a current one). True when this call rewrote it.
 */
export async function resealRow(deps: ResealDeps, row: Credential, value: string): Promise<boolean> {
  const keyring = await deps.credentialKeys!.keyring()
  const { keyId, sealed } = await keyring.seal(value, aadOf({ userId: row.user_id, platform: row.platform }))
  const reference = { ...(JSON.parse(row.encrypted_data) as Record<string, unknown>), secret: sealed }
  const written = await deps.scopes.forUser(row.user_id).transaction(async (tx) => {
    const now = await tx.credentials.get(row.id)
    if (!now || now.encrypted_data !== row.encrypted_data || now.key_id !== row.key_id) return false
    await tx.credentials.update(row.id, { encrypted_data: JSON.stringify(reference), key_id: sealedKeyId(keyId) })
    return true
  })
  if (written) deps.logger.info('re-sealed a credential with the current key', { credential_id: row.id, from: row.key_id, to: sealedKeyId(keyId) })
  return written
}

/**
 * Replaces the secret of an existing row (refreshed tokens): a sealed row gets a new sealed value (current key),
 * a store entry is rewritten in place. Returns the reference's new `secret` field and key_id to write back.
 */
export async function replaceCredentialSecret(
  deps: SecretDeps,
  row: Credential,
  secretRef: string,
  value: string,
  what: SecretNoun,
): Promise<{ secret: string; key_id: string }> {
  if (isSealed(row.key_id)) {
    const { keyId, sealed } = await (await keyringOf(deps, row, what)).seal(value, aadOf({ userId: row.user_id, platform: row.platform }))
    return { secret: sealed, key_id: sealedKeyId(keyId) }
  }
  await (await deps.secrets()).set(secretRef, value)
  return { secret: secretRef, key_id: row.key_id }
}

/**
 * Deletes what a removed row pointed at: nothing for a sealed row (the row was the secret), else its store entry.
 * False when the entry is in another store than this run's.
 */
export async function deleteCredentialSecret(deps: SecretDeps, row: Credential, secretRef: string): Promise<boolean> {
  if (isSealed(row.key_id)) return true
  const store = await deps.secrets()
  if (store.kind !== row.key_id) return false
  await store.delete(secretRef)
  return true
}
