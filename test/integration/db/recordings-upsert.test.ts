import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { forUser, systemScope, type UserScope } from '../../../src/db/scope.js'
import { tempDatabase, type TempDatabase } from './temp-db.js'

let t: TempDatabase
let a: UserScope
let sourceId: number

beforeEach(async () => {
  t = await tempDatabase()
  a = forUser(t.database.db, (await systemScope(t.database.db).users.create({ email: 'a@example.com' })).id)
  sourceId = (await a.sources.create({ name: 'zoom', platform: 'zoom' })).id
})
afterEach(() => t.cleanup())

const synced = (key: string, name = 'Weekly sync') => ({
  input_source_id: sourceId,
  source_key: key,
  display_name: name,
  start_time: '2024-04-01T08:00:00Z',
  duration: 3600.5,
})

describe('upserting recordings from a source', () => {
  it('creates the recording the first time and returns the same row on every re-sync', async () => {
    const first = await a.recordings.upsertFromSource(synced('uuid/1=='))
    const second = await a.recordings.upsertFromSource(synced('uuid/1=='))
    expect(first.created).toBe(true)
    expect(second.created).toBe(false)
    expect(second.recording.id).toBe(first.recording.id)
    expect((await a.recordings.list()).items).toHaveLength(1)
  })

  it('leaves an existing recording untouched, progress and edits included', async () => {
    const { recording } = await a.recordings.upsertFromSource(synced('uuid-1'))
    await a.recordings.update(recording.id, { display_name: 'Renamed by the user', status: 'PROCESSED' })
    const again = await a.recordings.upsertFromSource(synced('uuid-1', 'Name from Zoom'))
    expect(again.recording).toMatchObject({ display_name: 'Renamed by the user', status: 'PROCESSED' })
  })

  it('never duplicates under concurrent syncs of the same key', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => a.recordings.upsertFromSource(synced('same'))))
    expect(results.filter((r) => r.created)).toHaveLength(1)
    expect(new Set(results.map((r) => r.recording.id)).size).toBe(1)
  })

  it('keeps the same key from two different sources apart', async () => {
    const other = await a.sources.create({ name: 'folder', platform: 'local' })
    await a.recordings.upsertFromSource(synced('k'))
    const fromOther = await a.recordings.upsertFromSource({ ...synced('k'), input_source_id: other.id })
    expect(fromOther.created).toBe(true)
    expect((await a.recordings.list()).items).toHaveLength(2)
  })

  it('keeps float seconds exactly', async () => {
    const { recording } = await a.recordings.upsertFromSource(synced('f'))
    expect((await a.recordings.get(recording.id))?.duration).toBe(3600.5)
  })
})
