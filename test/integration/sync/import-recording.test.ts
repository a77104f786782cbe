import fs from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { dbSnapshot } from '../../support/db-snapshot.js'
import { folderSnapshot, makeStock, openTestApp, put, setMtime, type Stock, type TestApp } from './support.js'

const SLOW = { timeout: 120_000 }

let stock: Stock
let t: TestApp

beforeAll(async () => {
  stock = await makeStock()
})
afterAll(() => fs.rmSync(stock.dir, { recursive: true, force: true }))
beforeEach(async () => {
  t = await openTestApp()
})
afterEach(() => t.cleanup())

const importFile = async (file: string, name?: string) => (await t.app.service('imports')).importFile(t.user, { file, ...(name !== undefined ? { name } : {}) })
const all = async () => (await t.scope.recordings.list({ includeDeleted: true }, { limit: 100 })).items

describe('importing one file', SLOW, () => {
  it('creates a recording without a source, keyed by the absolute path, probed and matched', async () => {
    const tmpl = await (await t.app.service('templates')).create(t.user, { name: 'Algebra', matching_rules: { keywords: ['algebra'] } })
    const file = put(stock.mp4, t.media, 'Linear_Algebra_07.mp4')
    setMtime(file, '2024-09-01T09:00:00Z')

    const result = await importFile(file)

    expect(result).toMatchObject({ created: true, outcome: 'created', restored: false, match: { templateId: tmpl.id, reason: 'keyword "algebra"' } })
    expect(result.recording).toMatchObject({
      input_source_id: null,
      source_key: file,
      original_file: file,
      display_name: 'Linear Algebra 07',
      status: 'INITIALIZED',
      template_id: tmpl.id,
      start_time: '2024-09-01T09:00:00.000Z',
      size_bytes: fs.statSync(file).size,
      failed: false,
    })
    expect(result.recording.duration).toBeCloseTo(2, 0)
    expect((await t.scope.sourceMetadata.getByRecording(result.recording.id))?.metadata).toMatchObject({ kind: 'local_file', path: file })
  })

  it('never duplicates when the same path is imported again', async () => {
    const file = put(stock.m4a, t.media, 'talk.m4a')
    const first = await importFile(file)
    const again = await importFile(file, 'Another name')

    expect(again).toMatchObject({ created: false, outcome: 'unchanged' })
    expect(again.recording).toEqual(first.recording)
    expect(await all()).toHaveLength(1)
  })

  it('re-reads the file when it changed since the import', async () => {
    const file = put(stock.m4a, t.media, 'talk.m4a')
    const first = await importFile(file)
    fs.copyFileSync(stock.m4aLong, file)

    const again = await importFile(file)

    expect(again).toMatchObject({ created: false, outcome: 'changed' })
    expect(again.recording.id).toBe(first.recording.id)
    expect(again.recording.duration).toBeCloseTo(4, 0)
  })

  it('brings back a recording the user had deleted when its file is imported again', async () => {
    const file = put(stock.m4a, t.media, 'talk.m4a')
    const first = await importFile(file)
    await t.scope.recordings.markDeleted(first.recording.id)

    const again = await importFile(file)

    expect(again).toMatchObject({ created: false, restored: true })
    expect(again.recording.deleted_at).toBeNull()
  })

  it('uses --name with control characters removed', async () => {
    const file = put(stock.wav, t.media, 'x.wav')
    const result = await importFile(file, '  Weekly\nsync\u0007 ')
    expect(result.recording.display_name).toBe('Weekly sync')
  })

  it('takes the container creation time over the mtime', async () => {
    const file = put(stock.taggedMp4, t.media, 'tagged.mp4')
    expect((await importFile(file)).recording.start_time).toBe('2024-05-01T10:00:00.000Z')
  })

  it('marks a file that is not media as a failed recording and touches nothing else', async () => {
    await (await t.app.service('templates')).create(t.user, { name: 'All', matching_rules: { patterns: ['.'] } })
    const file = path.join(t.media, 'notes.mp4')
    fs.writeFileSync(file, 'not a video')
    const before = folderSnapshot(t.media)

    const result = await importFile(file)

    expect(result).toMatchObject({ created: true, match: null, failure: expect.stringMatching(/^notes\.mp4 is not a readable media file/) })
    expect(result.recording).toMatchObject({ failed: true, failed_stage: 'DOWNLOAD', status: 'SKIPPED', template_id: null })
    expect(folderSnapshot(t.media)).toEqual(before)
  })
})

describe('import input errors', SLOW, () => {
  it('are usage errors that write nothing', async () => {
    const dbFile = t.app.env.dbPath
    const ok = put(stock.m4a, t.media, 'ok.m4a')
    const before = dbSnapshot(dbFile)

    const cases: Array<[string, string | undefined, RegExp]> = [
      [path.join(t.media, 'missing.mp4'), undefined, /missing\.mp4 does not exist/],
      ['relative.mp4', undefined, /absolute path/],
      [t.media, undefined, /is not a file/],
      [ok, '\n\t', /--name is empty/],
    ]
    for (const [file, name, message] of cases) {
      const err = await importFile(file, name).catch((e: unknown) => e)
      expect(err, file).toBeInstanceOf(RecflowError)
      expect(err, file).toMatchObject({ code: 'usage', message: expect.stringMatching(message) })
    }
    expect(dbSnapshot(dbFile)).toEqual(before)
  })
})
