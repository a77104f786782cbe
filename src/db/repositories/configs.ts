import { codec, toJsonText, type Decoded } from '../codec.js'
import type { RawRow } from '../schema.js'
import type { Executor } from '../transaction.js'
import { nowIso } from '../values.js'

/** The user's own layer of the config cascade (defaults < user < template < recording < run). */
export type UserConfig = Decoded<RawRow<'user_configs'>, 'config'>

const configCodec = codec<UserConfig>({ writable: ['config'], json: ['config'] })

export function configRepository(executor: Executor, userId: number) {
  return {
    async get(): Promise<UserConfig | undefined> {
      const raw = await executor.selectFrom('user_configs').selectAll().where('user_id', '=', userId).executeTakeFirst()
      return raw === undefined ? undefined : configCodec.decode(raw)
    },

    /** Replaces the whole config document (services merge and validate before calling). */
    async set(config: unknown): Promise<UserConfig> {
      const now = nowIso()
      const text = toJsonText('config', config ?? {})
      const raw = await executor
        .insertInto('user_configs')
        .values({ user_id: userId, config: text, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ config: text, updated_at: now }))
        .returningAll()
        .executeTakeFirstOrThrow()
      return configCodec.decode(raw)
    },
  }
}
