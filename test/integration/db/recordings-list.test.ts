import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { NewRecording, Recording } from '../../../src/db/index.js'
import { forUser, systemScope, type UserScope } from '../../../src/db/scope.js'
import { tempDatabase, type TempDatabase } from './temp-db.js'

let t: TempDatabase
let a: UserScope

beforeEach(async () => {
  t = await tempDatabase()
  a = forUser(t.database.db, (await systemScope(t.database.db).users.create({ email: 'a@example.com' })).id)
})
afterEach(() => t.cleanup())

async function collect(filters: Parameters<UserScope['recordings']['list']>[0], limit: number): Promise<Recording[]> {
  const all: Recording[] = []
  let cursor: string | null = null
  for (let guard = 0; guard < 100; guard++) {
    const page: { items: Recording[]; nextCursor: string | null } = await a.recordings.list(filters, { limit, cursor })
    all.push(...page.items)
    cursor = page.nextCursor
    if (cursor === null) return all
  }
  throw new Error('pagination did not end')
}

describe('listing recordings page by page', () => {
  it('returns every row exactly once, newest first, when many share a start_time', async () => {
    const times = ['2024-01-01T10:00:00Z', '2024-01-02T10:00:00Z', '2024-01-03T10:00:00Z']
    const created: Recording[] = []
    // 3 times x 5 recordings each: every page boundary falls inside a tie.
    for (let i = 0; i < 15; i++) {
      created.push(await a.recordings.create({ display_name: `R${i}`, start_time: times[i % 3]! }))
    }
    const expected = [...created]
      .sort((x, y) => (x.start_time === y.start_time ? y.id - x.id : x.start_time < y.start_time ? 1 : -1))
      .map((r) => r.id)

    for (const limit of [1, 2, 4, 7, 15, 100]) {
      expect((await collect({}, limit)).map((r) => r.id), `limit ${limit}`).toEqual(expected)
    }
  })

  it('stops with a null cursor exactly at the end', async () => {
    await a.recordings.create({ display_name: 'one', start_time: '2024-01-01T00:00:00Z' })
    await a.recordings.create({ display_name: 'two', start_time: '2024-01-02T00:00:00Z' })
    const first = await a.recordings.list({}, { limit: 2 })
    expect(first.items).toHaveLength(2)
    expect(first.nextCursor).toBeNull()
  })

  it('keeps later pages stable when newer recordings arrive in between', async () => {
    for (let i = 0; i < 4; i++) await a.recordings.create({ display_name: `old${i}`, start_time: `2024-01-0${i + 1}T00:00:00Z` })
    const first = await a.recordings.list({}, { limit: 2 })
    await a.recordings.create({ display_name: 'newest', start_time: '2025-01-01T00:00:00Z' })
    const second = await a.recordings.list({}, { limit: 2, cursor: first.nextCursor })
    expect(second.items.map((r) => r.display_name)).toEqual(['old1', 'old0'])
  })

  it('rejects a forged cursor and a limit outside 1-100 as usage errors', async () => {
    await expect(a.recordings.list({}, { cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'usage' })
    const foreign = Buffer.from(JSON.stringify({ id: 3 })).toString('base64url')
    await expect(a.recordings.list({}, { cursor: foreign })).rejects.toMatchObject({ code: 'usage' })
    await expect(a.recordings.list({}, { limit: 0 })).rejects.toMatchObject({ code: 'usage' })
    await expect(a.recordings.list({}, { limit: 101 })).rejects.toMatchObject({ code: 'usage' })
  })
})

describe('filtering recordings', () => {
  let ids: Record<string, number>

  beforeEach(async () => {
    const source = await a.sources.create({ name: 'zoom', platform: 'zoom' })
    const template = await a.templates.create({ name: 'Lectures' })
    const make = async (name: string, start: string, extra: Partial<NewRecording> = {}) =>
      (await a.recordings.create({ display_name: name, start_time: start, ...extra })).id
    ids = {
      lecture: await make('Physics lecture 1', '2024-02-01T09:00:00Z', { template_id: template.id, is_mapped: true, status: 'READY' }),
      percent: await make('Growth 100% plan', '2024-02-02T09:00:00Z', { input_source_id: source.id, status: 'PROCESSED' }),
      underscore: await make('file_name_2', '2024-02-03T09:00:00Z', { status: 'DOWNLOADED' }),
      plain: await make('filexnamex2', '2024-02-04T09:00:00Z'),
      cyrillic: await make('Лекция по физике', '2024-02-05T09:00:00Z'),
    }
    await a.recordings.markFailed(ids.underscore!, { stage: 'PROCESS', reason: 'ffmpeg exited 1' })
    ids.deleted = await make('Physics deleted', '2024-02-06T09:00:00Z')
    await a.recordings.markDeleted(ids.deleted)
    ids.templateId = template.id
    ids.sourceId = source.id
  })

  const names = async (filters: Parameters<UserScope['recordings']['list']>[0]) =>
    (await a.recordings.list(filters)).items.map((r) => r.display_name)

  it('by one status or several', async () => {
    expect(await names({ status: 'READY' })).toEqual(['Physics lecture 1'])
    expect(await names({ status: ['READY', 'PROCESSED'] })).toEqual(['Growth 100% plan', 'Physics lecture 1'])
  })

  it('by failed and by mapped', async () => {
    expect(await names({ failed: true })).toEqual(['file_name_2'])
    expect(await names({ mapped: true })).toEqual(['Physics lecture 1'])
    expect(await names({ mapped: false })).not.toContain('Physics lecture 1')
  })

  it('by template and by source', async () => {
    expect(await names({ template_id: ids.templateId })).toEqual(['Physics lecture 1'])
    expect(await names({ source_id: ids.sourceId })).toEqual(['Growth 100% plan'])
  })

  it('by a case-insensitive search where % and _ match only themselves', async () => {
    expect(await names({ search: 'PHYSICS' })).toEqual(['Physics lecture 1'])
    expect(await names({ search: '100%' })).toEqual(['Growth 100% plan'])
    expect(await names({ search: '%' })).toEqual(['Growth 100% plan'])
    expect(await names({ search: 'file_name' })).toEqual(['file_name_2'])
    expect(await names({ search: 'Лекция' })).toEqual(['Лекция по физике'])
  })

  it('by a start_time range, from inclusive and to exclusive', async () => {
    expect(await names({ from: '2024-02-02T09:00:00Z', to: '2024-02-04T09:00:00Z' })).toEqual(['file_name_2', 'Growth 100% plan'])
  })

  it('hiding soft-deleted recordings unless asked for them', async () => {
    expect(await names({ search: 'physics' })).toEqual(['Physics lecture 1'])
    expect(await names({ search: 'physics', includeDeleted: true })).toEqual(['Physics deleted', 'Physics lecture 1'])
    await a.recordings.restore(ids.deleted!)
    expect(await names({ search: 'physics' })).toEqual(['Physics deleted', 'Physics lecture 1'])
  })
})
