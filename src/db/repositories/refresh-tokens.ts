import { codec } from '../codec.js'
import type { PageRequest } from '../cursor.js'
import { assertOwned } from '../assert-owned.js'
import { ownedTable } from '../owned-table.js'
import type { RawRow } from '../schema.js'
import type { Executor } from '../transaction.js'
import { nowIso, toIso } from '../values.js'

/** A refresh token, stored only as a hash. Reuse of a rotated token revokes its whole family. */
export type RefreshToken = RawRow<'refresh_tokens'>

export interface NewRefreshToken {
  token_hash: string
  family_id: string
  expires_at: string | Date
}

const tokenCodec = codec<RefreshToken>({
  writable: ['token_hash', 'family_id', 'expires_at'],
  times: ['expires_at'],
})

export function refreshTokenRepository(executor: Executor, userId: number) {
  const table = ownedTable(executor, userId, 'refresh_tokens', tokenCodec, 'refresh token')

  const revokeWhere = async (familyId?: string): Promise<number> => {
    let query = executor
      .updateTable('refresh_tokens')
      .set({ revoked_at: nowIso(), updated_at: nowIso() })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
    if (familyId !== undefined) query = query.where('family_id', '=', familyId)
    return Number((await query.executeTakeFirst()).numUpdatedRows)
  }

  return {
    get: table.get,
    create: (input: NewRefreshToken): Promise<RefreshToken> => table.insert(input),
    list: (filters: { family_id?: string; activeOnly?: boolean } = {}, page?: PageRequest) =>
      table.pageById(page, 'desc', (qb) => {
        let q = qb
        if (filters.family_id !== undefined) q = q.where('family_id', '=', filters.family_id)
        if (filters.activeOnly) q = q.where('revoked_at', 'is', null).where('expires_at', '>', nowIso())
        return q
      }),

    /** Marks one token revoked (rotation passes the token that replaces it). Already revoked: unchanged. */
    async revoke(id: number, replacedBy?: number): Promise<RefreshToken | undefined> {
      if (replacedBy !== undefined) await assertOwned(executor, userId, 'refresh_tokens', [replacedBy])
      const current = await table.get(id)
      if (current === undefined || current.revoked_at !== null) return current
      return table.update(id, {}, { revoked_at: nowIso(), replaced_by: replacedBy ?? null })
    },

    revokeFamily: (familyId: string): Promise<number> => revokeWhere(familyId),
    /** Logout everywhere / password change. */
    revokeAll: (): Promise<number> => revokeWhere(),
    remove: table.remove,
  }
}

/** Lookups that happen before the user is known (the token is the only credential). */
export function refreshTokenLookup(executor: Executor) {
  return {
    findByHash: (tokenHash: string): Promise<RefreshToken | undefined> =>
      executor.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst(),

    async removeExpired(before: string | Date): Promise<number> {
      const result = await executor
        .deleteFrom('refresh_tokens')
        .where('expires_at', '<', toIso(before, 'before'))
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    },
  }
}
