import { assertOwned } from '../assert-owned.js'
import { codec, type Decoded } from '../codec.js'
import { guardWrite } from '../constraint-errors.js'
import { ownedTable } from '../owned-table.js'
import type { RawRow } from '../schema.js'
import { inTransaction, type Executor } from '../transaction.js'
import { nowIso } from '../values.js'

/** One version of a recording's topics; `is_active` marks the one presets and chapters use (one per recording). */
export type TopicSet = Decoded<RawRow<'topic_sets'>, 'topics' | 'meta', 'is_active'>

export interface NewTopicSet {
  recording_id: number
  main_topic: string
  summary: string
  topics: Array<{ title: string; start: number }>
  provider: string
  model: string
  granularity: string
  meta?: unknown
}

const topicSetCodec = codec<TopicSet>({
  writable: ['recording_id', 'main_topic', 'summary', 'topics', 'provider', 'model', 'granularity', 'meta'],
  json: ['topics', 'meta'],
  flags: ['is_active'],
})

export function topicSetRepository(executor: Executor, userId: number) {
  const table = ownedTable(executor, userId, 'topic_sets', topicSetCodec, 'topic set')
  const ofRecording = (db: Executor, recordingId: number) =>
    db.selectFrom('topic_sets').where('user_id', '=', userId).where('recording_id', '=', recordingId)

  return {
    get: table.get,

    /** Every version of the recording's topics, oldest first. */
    async listForRecording(recordingId: number): Promise<TopicSet[]> {
      const rows = await ofRecording(executor, recordingId).selectAll().orderBy('version', 'asc').execute()
      return rows.map((r) => topicSetCodec.decode(r))
    },

    async active(recordingId: number): Promise<TopicSet | undefined> {
      const raw = await ofRecording(executor, recordingId).selectAll().where('is_active', '=', 1).executeTakeFirst()
      return raw === undefined ? undefined : topicSetCodec.decode(raw)
    },

    /** Adds the next version and makes it the active one, in one transaction. */
    async addActive(input: NewTopicSet): Promise<TopicSet> {
      await assertOwned(executor, userId, 'recordings', [input.recording_id])
      return inTransaction(executor, async (tx) => {
        const last = await ofRecording(tx, input.recording_id).select((eb) => eb.fn.max('version').as('v')).executeTakeFirst()
        await deactivate(tx, input.recording_id)
        const now = nowIso()
        const row = await guardWrite('topic set', () =>
          tx
            .insertInto('topic_sets')
            .values({
              ...(topicSetCodec.encode(input) as Omit<RawRow<'topic_sets'>, 'id' | 'user_id' | 'version' | 'is_active' | 'created_at' | 'updated_at'>),
              user_id: userId,
              version: Number(last?.v ?? 0) + 1,
              is_active: 1,
              created_at: now,
              updated_at: now,
            })
            .returningAll()
            .executeTakeFirstOrThrow(),
        )
        return topicSetCodec.decode(row)
      })
    },

    /** Makes `version` the recording's active set; undefined (nothing changed) when there is no such version. */
    async activate(recordingId: number, version: number): Promise<TopicSet | undefined> {
      return inTransaction(executor, async (tx) => {
        const target = await ofRecording(tx, recordingId).select('id').where('version', '=', version).executeTakeFirst()
        if (target === undefined) return undefined
        await deactivate(tx, recordingId)
        const row = await tx
          .updateTable('topic_sets')
          .set({ is_active: 1, updated_at: nowIso() })
          .where('user_id', '=', userId)
          .where('id', '=', target.id)
          .returningAll()
          .executeTakeFirstOrThrow()
        return topicSetCodec.decode(row)
      })
    },

    remove: table.remove,
  }

  async function deactivate(tx: Executor, recordingId: number): Promise<void> {
    await tx
      .updateTable('topic_sets')
      .set({ is_active: 0, updated_at: nowIso() })
      .where('user_id', '=', userId)
      .where('recording_id', '=', recordingId)
      .where('is_active', '=', 1)
      .execute()
  }
}
