import { RecflowError } from '../../domain/errors.js'
import type { KeyringStatus } from '../../platform/credential-keys.js'
import type { ServiceDeps } from '../context.js'
import { readCredentialSecret, resealRow, SEALED_PREFIX } from './credential-secrets.js'

/** The keyring as operators see it: key ids as rows name them (`db:k1`), never a key. */
export interface KeyringView extends KeyringStatus {
  /** Whether this process seals new credential secrets into the database (RECFLOW_SECRET_STORE=database). */
  seal_new_secrets: boolean
}

export interface RotateResult {
  /** The new current key, as rows name it (`db:k2`). */
  current: string
  previous: string | null
  keys: string[]
  /** With --reencrypt-now: rows re-sealed with the new key, and the ids that could not be (left for a later read). */
  reencrypted: number | null
  failed: number[]
}

const PAGE = 200

/**
 * The credential keyring for operators: its status, `recflow daemon rotate-key` (a new key becomes current; rows
 * sealed with older keys are re-sealed when next read, or all at once with `reencryptNow`), and the first key at
 * `daemon start`. Never returns a key or a secret.
 */
export function credentialKeysService(deps: ServiceDeps) {
  const port = () => {
    if (!deps.credentialKeys) throw new RecflowError('internal', 'this process has no credential keyring')
    return deps.credentialKeys
  }
  const view = (status: KeyringStatus): KeyringView => ({
    ...status,
    current: status.current === null ? null : `${SEALED_PREFIX}${status.current}`,
    keys: status.keys.map((k) => `${SEALED_PREFIX}${k}`),
    seal_new_secrets: port().sealNewSecrets,
  })

  /** Re-seals every row sealed with another key than the current one; ids that fail are reported, not fatal. */
  const reencryptAll = async (): Promise<{ reencrypted: number; failed: number[] }> => {
    const keyring = await port().keyring()
    const current = keyring.currentKeyId()
    if (current === undefined) return { reencrypted: 0, failed: [] }
    const lookup = deps.scopes.system().sealedCredentials
    let reencrypted = 0
    const failed: number[] = []
    for (let after = 0; ; ) {
      const batch = await lookup.staleSealed(SEALED_PREFIX, `${SEALED_PREFIX}${current}`, after, PAGE)
      for (const { id, user_id } of batch) {
        after = id
        const row = await deps.scopes.forUser(user_id).credentials.get(id)
        if (!row) continue
        try {
          const ref = (JSON.parse(row.encrypted_data) as { secret?: unknown }).secret
          if (typeof ref !== 'string') throw new Error('no sealed secret in the row')
          // Read without the scopes, so the lazy re-seal does not run; then re-seal here to count it.
          const value = await readCredentialSecret({ secrets: deps.secrets, credentialKeys: deps.credentialKeys }, row, ref, { noun: 'secret', again: 'recflow credentials' })
          if (value !== undefined && (await resealRow(deps, row, value))) reencrypted++
        } catch (e) {
          failed.push(id)
          deps.logger.warn('a sealed credential could not be re-encrypted', { credential_id: id, error: (e as Error).message })
        }
      }
      if (batch.length < PAGE) break
    }
    return { reencrypted, failed }
  }

  return {
    async status(): Promise<KeyringView> {
      return view((await port().keyring()).status())
    },

    /** Makes the key file with a first key when there is none (daemon start). */
    async ensure(): Promise<KeyringView> {
      return view(await (await port().keyring()).ensure())
    },

    async rotate(opts: { reencryptNow?: boolean } = {}): Promise<RotateResult> {
      const rotated = await (await port().keyring()).rotate()
      deps.logger.info('rotated the credential key', { current: rotated.current, previous: rotated.previous })
      const pass = opts.reencryptNow ? await reencryptAll() : null
      return {
        current: `${SEALED_PREFIX}${rotated.current}`,
        previous: rotated.previous === null ? null : `${SEALED_PREFIX}${rotated.previous}`,
        keys: rotated.keys.map((k) => `${SEALED_PREFIX}${k}`),
        reencrypted: pass?.reencrypted ?? null,
        failed: pass?.failed ?? [],
      }
    },

    reencryptNow: reencryptAll,
  }
}

export type CredentialKeysService = ReturnType<typeof credentialKeysService>
