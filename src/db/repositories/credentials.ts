import { RecflowError } from '../../domain/errors.js'
import { codec } from '../codec.js'
import type { PageRequest } from '../cursor.js'
import { ownedTable } from '../owned-table.js'
import type { RawRow } from '../schema.js'
import { inTransaction, type Executor } from '../transaction.js'
import { nowIso } from '../values.js'

/** A platform credential. `encrypted_data` is ciphertext (key `key_id`); never show it to anyone. */
export type Credential = RawRow<'user_credentials'>

export interface NewCredential {
  platform: string
  account_name: string
  encrypted_data: string
  key_id: string
  expires_at?: string | Date | null
  status?: string
  quota_blocked_until?: string | Date | null
}

export type CredentialPatch = Partial<NewCredential>

const credentialCodec = codec<Credential>({
  writable: ['platform', 'account_name', 'encrypted_data', 'key_id', 'expires_at', 'status', 'quota_blocked_until'],
  times: ['expires_at', 'quota_blocked_until'],
})

export function credentialRepository(executor: Executor, userId: number) {
  const table = ownedTable(executor, userId, 'user_credentials', credentialCodec, 'credential')

  return {
    get: table.get,

    list: (filters: { platform?: string; status?: string } = {}, page?: PageRequest) =>
      table.pageById(page, 'asc', (qb) => {
        let q = qb
        if (filters.platform !== undefined) q = q.where('platform', '=', filters.platform)
        if (filters.status !== undefined) q = q.where('status', '=', filters.status)
        return q
      }),

    async findByAccount(platform: string, accountName: string): Promise<Credential | undefined> {
      return executor
        .selectFrom('user_credentials')
        .selectAll()
        .where('user_id', '=', userId)
        .where('platform', '=', platform)
        .where('account_name', '=', accountName)
        .executeTakeFirst()
    },

    create: (input: NewCredential): Promise<Credential> => table.insert(input),
    update: (id: number, patch: CredentialPatch) => table.update(id, patch),

    /**
     * Deletes a credential. While presets or sources use it, refuses with `conflict` unless `force`, which first
     * detaches it from them (they then need a new credential before they work again).
     */
    remove: (id: number, opts: { force?: boolean } = {}): Promise<boolean> =>
      inTransaction(executor, async (tx) => {
        if ((await credentialRepository(tx, userId).get(id)) === undefined) return false
        const [presets, sources] = await Promise.all([
          tx.selectFrom('output_presets').select(['id', 'name']).where('user_id', '=', userId).where('credential_id', '=', id).execute(),
          tx.selectFrom('input_sources').select(['id', 'name']).where('user_id', '=', userId).where('credential_id', '=', id).execute(),
        ])
        if (presets.length + sources.length > 0) {
          if (!opts.force) {
            const users = [...presets.map((p) => `preset "${p.name}"`), ...sources.map((s) => `source "${s.name}"`)]
            throw new RecflowError('conflict', `credential ${id} is used by ${users.join(', ')}`, {
              hint: 'point them at another credential first, or remove it with --force to detach it from them',
            })
          }
          const detach = { credential_id: null, updated_at: nowIso() }
          await tx.updateTable('output_presets').set(detach).where('user_id', '=', userId).where('credential_id', '=', id).execute()
          await tx.updateTable('input_sources').set(detach).where('user_id', '=', userId).where('credential_id', '=', id).execute()
        }
        return ownedTable(tx, userId, 'user_credentials', credentialCodec, 'credential').remove(id)
      }),
  }
}

/**
 * Cross-tenant: the credentials sealed in the database with another key than `currentKeyId` (key_id starting with
 * `prefix`), by id after `afterId`, for `recflow daemon rotate-key --reencrypt-now`. Only ids and owners.
 */
export function sealedCredentialLookup(executor: Executor) {
  return {
    staleSealed: (prefix: string, currentKeyId: string, afterId: number, limit: number): Promise<Array<{ id: number; user_id: number }>> =>
      executor
        .selectFrom('user_credentials')
        .select(['id', 'user_id'])
        .where('key_id', 'like', `${prefix}%`)
        .where('key_id', '!=', currentKeyId)
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .execute(),
  }
}
