import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { forUser, systemScope, type UserScope } from '../../../src/db/scope.js'
import { tempDatabase, type TempDatabase } from './temp-db.js'

let t: TempDatabase
let a: UserScope
let recordingId: number

beforeEach(async () => {
  t = await tempDatabase()
  a = forUser(t.database.db, (await systemScope(t.database.db).users.create({ email: 'a@example.com' })).id)
  recordingId = (await a.recordings.create({ display_name: 'R', start_time: '2024-03-01T10:00:00Z' })).id
})
afterEach(() => t.cleanup())

const set = (title: string) => ({
  recording_id: recordingId,
  main_topic: title,
  summary: `About ${title}.`,
  topics: [{ title, start: 0 }],
  provider: 'deepseek',
  model: 'deepseek-v4-flash',
  granularity: 'long',
  meta: { chunks: 1 },
})

describe('topic sets', () => {
  it('number each extraction as the next version and keep exactly the newest one active', async () => {
    await a.topicSets.addActive(set('first'))
    const second = await a.topicSets.addActive(set('second'))
    expect(second).toMatchObject({ version: 2, is_active: true, topics: [{ title: 'second', start: 0 }], meta: { chunks: 1 } })
    const all = await a.topicSets.listForRecording(recordingId)
    expect(all.map((s) => [s.version, s.is_active])).toEqual([[1, false], [2, true]])
    expect((await a.topicSets.active(recordingId))?.main_topic).toBe('second')
  })

  it('switch the active version, and change nothing for a version that does not exist', async () => {
    await a.topicSets.addActive(set('first'))
    await a.topicSets.addActive(set('second'))
    expect((await a.topicSets.activate(recordingId, 1))?.main_topic).toBe('first')
    expect(await a.topicSets.activate(recordingId, 9)).toBeUndefined()
    const all = await a.topicSets.listForRecording(recordingId)
    expect(all.map((s) => s.is_active)).toEqual([true, false])
  })

  it('refuse, in the database itself, a second active set for one recording', async () => {
    const first = await a.topicSets.addActive(set('first'))
    await a.topicSets.addActive(set('second'))
    await expect(t.database.db.updateTable('topic_sets').set({ is_active: 1 }).where('id', '=', first.id).execute()).rejects.toThrow(/UNIQUE/)
  })

  it('go with their recording', async () => {
    await a.topicSets.addActive(set('first'))
    await a.recordings.remove(recordingId)
    expect(await a.topicSets.listForRecording(recordingId)).toEqual([])
  })
})
