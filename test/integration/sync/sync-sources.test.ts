import fs from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Recording } from '../../../src/db/index.js'
import { RecflowError } from '../../../src/domain/errors.js'
import type { RecflowEvent } from '../../../src/domain/events.js'
import { formatFingerprint, fingerprintFile } from '../../../src/services/sync/fingerprint.js'
import { listAll } from '../../../src/services/paging.js'
import { PROGRESS_STEP } from '../../../src/services/sync/sync-local-source.js'
import { seedZoomCredential } from '../../support/zoom.js'
import { addLocalSource, folderSnapshot, makeStock, openTestApp, put, setMtime, type Stock, type TestApp } from './support.js'

// ffprobe runs a few times per file; on a busy machine a test can take several seconds.
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

const sync = async (input: { sourceIds?: number[]; sources?: string[] } = {}, control: { signal?: AbortSignal; user?: TestApp['user'] } = {}) =>
  (await t.app.service('sync')).sync(control.user ?? t.user, input, { signal: control.signal, onEvent: (e) => t.events.push(e) })

const all = async (): Promise<Recording[]> => (await t.scope.recordings.list({ includeDeleted: true }, { limit: 100 })).items
const byKey = async (key: string): Promise<Recording> => {
  const rec = (await all()).find((r) => r.source_key === key)
  if (!rec) throw new Error(`no recording for ${key}`)
  return rec
}
const metadataOf = async (id: number) => (await t.scope.sourceMetadata.getByRecording(id))?.metadata as Record<string, any>
/** The recording's first processing up to its intake (DOWNLOAD), where a synced file is probed. */
const intake = async (id: number) => (await t.app.service('pipeline')).run(t.user, { recordingId: id, stopAfter: 'DOWNLOAD' }).catch((e: unknown) => e)

async function addTemplate(name: string, rules: Record<string, unknown>) {
  return (await t.app.service('templates')).create(t.user, { name, matching_rules: rules })
}

describe('syncing a local folder', SLOW, () => {
  it('creates a recording per media file, matched to a template (INITIALIZED) or not (SKIPPED)', async () => {
    const algebra = await addTemplate('Algebra', { keywords: ['algebra'] })
    const source = await addLocalSource(t, 'lectures')
    put(stock.mp4, t.media, 'Linear_Algebra_01.mp4')
    put(stock.m4a, t.media, 'week 2/Linear Algebra 02.m4a')
    put(stock.wav, t.media, 'standup.wav')
    fs.writeFileSync(path.join(t.media, 'notes.txt'), 'not selected by the glob')

    const result = await sync()

    expect(result.sources).toHaveLength(1)
    const summary = result.sources[0]
    expect(summary).toMatchObject({ sourceId: source.id, name: 'lectures', status: 'synced', found: 3, created: 3, matched: 2, skipped: 1, failed: 0 })
    const first = await byKey('Linear_Algebra_01.mp4')
    expect(first).toMatchObject({
      input_source_id: source.id,
      display_name: 'Linear Algebra 01',
      status: 'INITIALIZED',
      is_mapped: true,
      template_id: algebra.id,
      failed: false,
      original_file: path.join(t.media, 'Linear_Algebra_01.mp4'),
      size_bytes: fs.statSync(stock.mp4).size,
      source_fingerprint: formatFingerprint(await fingerprintFile(path.join(t.media, 'Linear_Algebra_01.mp4'))),
    })
    expect(await byKey('week 2/Linear Algebra 02.m4a')).toMatchObject({ status: 'INITIALIZED', template_id: algebra.id })
    expect(await byKey('standup.wav')).toMatchObject({ status: 'SKIPPED', is_mapped: false, template_id: null, display_name: 'standup' })
    expect(summary?.recordings).toEqual((await all()).map((r) => r.id).sort((a, b) => a - b))
    expect((await (await t.app.service('templates')).get(t.user, algebra.id)).used_count).toBe(2)
    expect((await (await t.app.service('sources')).get(t.user, source.id)).last_synced_at).not.toBeNull()
    // Sync recorded the file's facts and left ffprobe for the first processing (see inspect-file.ts).
    expect(first.duration).toBeNull()
    expect(await metadataOf(first.id)).toMatchObject({ kind: 'local_file', path: first.original_file, start_time_from: 'mtime', container: 'mp4' })
    expect((await metadataOf(first.id)).media).toBeUndefined()
    await intake(first.id)
    expect((await byKey('Linear_Algebra_01.mp4')).duration).toBeCloseTo(2, 0)
    expect(await metadataOf(first.id)).toMatchObject({
      kind: 'local_file',
      path: first.original_file,
      start_time_from: 'mtime',
      media: { format: expect.stringContaining('mp4'), video: { codec: 'h264' }, audio: { codec: 'aac' } },
    })
    expect(t.events.filter((e) => e.type === 'sync').at(-1)).toEqual({
      type: 'sync',
      sourceId: source.id,
      sourceName: 'lectures',
      found: 3,
      total: 3,
      created: 3,
      changed: 0,
      vanished: 0,
    })
  })

  it('never duplicates on re-sync and reads nothing when files are unchanged', async () => {
    await addLocalSource(t, 'lectures')
    put(stock.mp4, t.media, 'a.mp4')
    put(stock.m4a, t.media, 'b.m4a')
    await sync()
    const before = await all()

    const again = await sync()

    expect(again.sources[0]).toMatchObject({ found: 2, created: 0, changed: 0, unchanged: 2, vanished: 0, recordings: [] })
    expect(await all()).toEqual(before)
  })

  it('takes the start time from the container, else the name pattern in the user time zone, else the mtime', async () => {
    await addLocalSource(t, 'lectures', {
      name_pattern: '(?P<year>\\d{4})-(?P<month>\\d\\d)-(?P<day>\\d\\d)_(?P<hour>\\d\\d)(?P<minute>\\d\\d)_(?P<title>[^.]+)',
    })
    put(stock.taggedMp4, t.media, '2023-01-01_0800_Tagged.mp4')
    put(stock.m4a, t.media, '2024-03-05_0930_Linear_Algebra.m4a')
    setMtime(put(stock.wav, t.media, 'no date here.wav'), '2022-02-02T12:00:00Z')
    const berlin = { ...t.user, timezone: 'Europe/Berlin' }

    await sync({}, { user: berlin })

    // The container's creation_time is read when the recording is first processed; until then the name's time.
    const tagged = await byKey('2023-01-01_0800_Tagged.mp4')
    expect(tagged).toMatchObject({ start_time: '2023-01-01T07:00:00.000Z', display_name: 'Tagged' })
    await intake(tagged.id)
    expect(await byKey('2023-01-01_0800_Tagged.mp4')).toMatchObject({ start_time: '2024-05-01T10:00:00.000Z', display_name: 'Tagged' })
    expect((await metadataOf(tagged.id)).start_time_from).toBe('creation_time')
    const named = await byKey('2024-03-05_0930_Linear_Algebra.m4a')
    expect(named).toMatchObject({ start_time: '2024-03-05T08:30:00.000Z', display_name: 'Linear Algebra' })
    expect((await metadataOf(named.id)).start_time_from).toBe('name_pattern')
    expect(await byKey('no date here.wav')).toMatchObject({ start_time: '2022-02-02T12:00:00.000Z', display_name: 'no date here' })
  })

  it('warns and falls back to the mtime when the name holds an impossible date', async () => {
    await addLocalSource(t, 'lectures', { name_pattern: '(?P<year>\\d{4})-(?P<month>\\d\\d)-(?P<day>\\d\\d)' })
    setMtime(put(stock.m4a, t.media, '2024-13-40 talk.m4a'), '2022-02-02T12:00:00Z')
    await sync()
    expect(await byKey('2024-13-40 talk.m4a')).toMatchObject({ start_time: '2022-02-02T12:00:00.000Z', failed: false })
    expect(t.events).toContainEqual(expect.objectContaining({ type: 'log', level: 'warn', message: expect.stringMatching(/not a valid date/) }))
  })
})

describe('re-syncing changed files', SLOW, () => {
  it('re-reads a file whose content changed while its recording is still INITIALIZED/SKIPPED', async () => {
    await addLocalSource(t, 'lectures')
    const file = put(stock.m4a, t.media, 'talk.m4a')
    await sync()
    const before = await byKey('talk.m4a')

    fs.copyFileSync(stock.m4aLong, file)
    const result = await sync()

    expect(result.sources[0]).toMatchObject({ found: 1, created: 0, changed: 1, recordings: [before.id] })
    const after = await byKey('talk.m4a')
    expect(after.id).toBe(before.id)
    expect(after.duration).toBeNull() // read again at its first processing
    await intake(after.id)
    expect((await byKey('talk.m4a')).duration).toBeCloseTo(4, 0)
    expect(after.size_bytes).toBe(fs.statSync(stock.m4aLong).size)
    expect(after.source_fingerprint).toBe(formatFingerprint(await fingerprintFile(file)))
    expect(after.source_fingerprint).not.toBe(before.source_fingerprint)
  })

  it('treats a touched but identical file as unchanged and only refreshes its stored fingerprint', async () => {
    await addLocalSource(t, 'lectures')
    const file = put(stock.m4a, t.media, 'talk.m4a')
    await sync()
    const before = await byKey('talk.m4a')
    setMtime(file, '2030-01-01T00:00:00Z')

    const result = await sync()

    expect(result.sources[0]).toMatchObject({ changed: 0, unchanged: 1 })
    const after = await byKey('talk.m4a')
    expect(after.source_fingerprint).toBe(formatFingerprint(await fingerprintFile(file)))
    expect({ ...after, source_fingerprint: null, updated_at: null }).toEqual({ ...before, source_fingerprint: null, updated_at: null })
  })

  it('does not reprocess a recording that got further, but warns and records it', async () => {
    await addLocalSource(t, 'lectures')
    const file = put(stock.m4a, t.media, 'talk.m4a')
    await sync()
    const rec = await byKey('talk.m4a')
    await t.scope.recordings.update(rec.id, { status: 'PROCESSED' })
    const processed = await byKey('talk.m4a')

    fs.copyFileSync(stock.m4aLong, file)
    const result = await sync()

    expect(result.sources[0]?.changed).toBe(1)
    expect(result.sources[0]?.changedAfterProcessing).toEqual([
      { recordingId: rec.id, status: 'PROCESSED', message: expect.stringMatching(/talk\.m4a changed after recording \d+ reached PROCESSED/) },
    ])
    expect(await byKey('talk.m4a')).toEqual(processed)
    expect((await metadataOf(rec.id)).changed_after_processing).toMatchObject({ size: fs.statSync(stock.m4aLong).size })
    expect(t.events).toContainEqual(expect.objectContaining({ type: 'log', level: 'warn', recordingId: rec.id }))
  })

  it('clears the failure and matches a recording whose broken file was replaced by a good one', async () => {
    const tmpl = await addTemplate('Talks', { keywords: ['talk'] })
    await addLocalSource(t, 'lectures')
    const file = path.join(t.media, 'talk.m4a')
    fs.writeFileSync(file, 'not audio at all')
    await sync()
    expect(await byKey('talk.m4a')).toMatchObject({ failed: true, status: 'SKIPPED', template_id: null })

    fs.copyFileSync(stock.m4a, file)
    await sync()

    expect(await byKey('talk.m4a')).toMatchObject({ failed: false, failed_reason: null, status: 'INITIALIZED', template_id: tmpl.id, is_mapped: true })
    expect((await (await t.app.service('templates')).get(t.user, tmpl.id)).used_count).toBe(1)
  })
})

describe('vanished files', SLOW, () => {
  it('hides a waiting recording whose file is gone and restores it when the file returns', async () => {
    await addLocalSource(t, 'lectures')
    const file = put(stock.m4a, t.media, 'talk.m4a')
    put(stock.wav, t.media, 'other.wav')
    await sync()
    const rec = await byKey('talk.m4a')
    fs.renameSync(file, path.join(t.home, 'elsewhere.m4a'))

    const gone = await sync()

    expect(gone.sources[0]).toMatchObject({ found: 1, vanished: 1, recordings: [rec.id] })
    expect((await t.scope.recordings.list()).items.map((r) => r.source_key)).toEqual(['other.wav'])
    expect(await metadataOf(rec.id)).toMatchObject({ vanished_at: expect.any(String), deleted_by_sync: true })
    expect((await sync()).sources[0]?.vanished).toBe(0) // reported once

    fs.renameSync(path.join(t.home, 'elsewhere.m4a'), file)
    const back = await sync()

    expect(back.sources[0]).toMatchObject({ found: 2, created: 0, restored: 1, vanished: 0 })
    expect((await byKey('talk.m4a')).deleted_at).toBeNull()
    expect(await metadataOf(rec.id)).not.toHaveProperty('vanished_at')
    expect(await all()).toHaveLength(2)
  })

  it('never takes a file it cannot stat (an error other than ENOENT) for vanished', async () => {
    await addLocalSource(t, 'lectures')
    const file = put(stock.m4a, t.media, 'talk.m4a')
    put(stock.m4a, t.media, 'week 1/intro.m4a')
    await sync()
    // Both stat calls now fail with ELOOP (a link to itself): the files may well be there, recflow cannot tell.
    fs.rmSync(file)
    fs.symlinkSync('talk.m4a', file)
    fs.rmSync(path.join(t.media, 'week 1'), { recursive: true })
    fs.symlinkSync('week 1', path.join(t.media, 'week 1'))

    const result = await sync()

    expect(result.sources[0]).toMatchObject({ vanished: 0, recordings: [] })
    expect((await all()).map((r) => [r.source_key, r.deleted_at]).sort()).toEqual([
      ['talk.m4a', null],
      ['week 1/intro.m4a', null],
    ])
    expect(t.events).toContainEqual(expect.objectContaining({ type: 'log', level: 'warn', message: expect.stringMatching(/skipped talk\.m4a: cannot read this file \(ELOOP\)/) }))
  })

  it('keeps a processed recording visible when its original vanishes', async () => {
    await addLocalSource(t, 'lectures')
    const file = put(stock.m4a, t.media, 'talk.m4a')
    await sync()
    const rec = await byKey('talk.m4a')
    await t.scope.recordings.update(rec.id, { status: 'UPLOADED' })
    fs.rmSync(file)

    expect((await sync()).sources[0]?.vanished).toBe(1)

    expect((await byKey('talk.m4a')).deleted_at).toBeNull()
    expect(await metadataOf(rec.id)).toMatchObject({ vanished_at: expect.any(String) })
    expect(await metadataOf(rec.id)).not.toHaveProperty('deleted_by_sync')
  })

  it('leaves a recording the user deleted alone, file present or not', async () => {
    await addLocalSource(t, 'lectures')
    put(stock.m4a, t.media, 'talk.m4a')
    await sync()
    const rec = await byKey('talk.m4a')
    await t.scope.recordings.markDeleted(rec.id)
    const deleted = await byKey('talk.m4a')

    const result = await sync()

    expect(result.sources[0]).toMatchObject({ created: 0, restored: 0, vanished: 0 })
    expect(await byKey('talk.m4a')).toEqual(deleted)
  })

  it('does not count a file as vanished when it is only no longer selected', async () => {
    const source = await addLocalSource(t, 'lectures')
    put(stock.m4a, t.media, 'sub/talk.m4a')
    await sync()
    await (await t.app.service('sources')).update(t.user, source.id, { config: { recursive: false } })

    const result = await sync()

    expect(result.sources[0]).toMatchObject({ found: 0, vanished: 0 })
    expect((await byKey('sub/talk.m4a')).deleted_at).toBeNull()
  })

  it('marks nothing when the folder itself is missing (an unmounted drive)', async () => {
    const source = await addLocalSource(t, 'lectures')
    put(stock.m4a, t.media, 'talk.m4a')
    await sync()
    fs.renameSync(t.media, `${t.media}-unmounted`)
    const before = await all()

    const result = await sync()

    expect(result.sources[0]).toMatchObject({ status: 'error', vanished: 0, error: { code: 'validation', message: expect.stringMatching(/does not exist/) } })
    expect(await all()).toEqual(before)
    await expect(sync({ sourceIds: [source.id] })).rejects.toMatchObject({ code: 'validation', hint: expect.stringMatching(/sources edit/) })
  })
})

describe('bad files', SLOW, () => {
  it('become failed recordings with a clear reason: at sync when plainly not media, else at their first processing', async () => {
    const catchAll = await addTemplate('Everything', { patterns: ['.'] })
    await addLocalSource(t, 'lectures')
    put(stock.m4a, t.media, 'good.m4a')
    fs.writeFileSync(path.join(t.media, 'notes.mp4'), 'these are meeting notes, not a video\n')
    const bytes = fs.readFileSync(stock.mp4)
    fs.writeFileSync(path.join(t.media, 'truncated.mp4'), bytes.subarray(0, Math.floor(bytes.length * 0.3)))
    fs.writeFileSync(path.join(t.media, 'empty.mp4'), '')
    put(stock.silentMp4, t.media, 'silent film.mp4')
    const snapshot = folderSnapshot(t.media)

    const result = await sync()

    // No container signature (notes) or no bytes (empty): judged at sync, as SKIPPED failed recordings.
    expect(result.sources[0]).toMatchObject({ found: 5, created: 5, failed: 2, matched: 3, skipped: 0 })
    const atSync: Record<string, RegExp> = {
      'notes.mp4': /^notes\.mp4 is not a readable media file \(.+\)$/,
      'empty.mp4': /^empty\.mp4 is empty \(0 bytes\)$/,
    }
    for (const [key, reason] of Object.entries(atSync)) {
      const rec = await byKey(key)
      expect(rec, key).toMatchObject({ failed: true, failed_stage: 'DOWNLOAD', status: 'SKIPPED', template_id: null, is_mapped: false })
      expect(rec.failed_reason, key).toMatch(reason)
      expect((await metadataOf(rec.id)).problem).toBe(rec.failed_reason)
    }
    expect(t.events.filter((e) => e.type === 'log' && e.level === 'warn')).toHaveLength(2)
    // A good header over bad media (truncated, no sound) passes the signature check and fails at the probe of its
    // first processing, at the same stage (DOWNLOAD) with the same reasons a sync-time probe gave.
    const atIntake: Record<string, RegExp> = {
      'truncated.mp4': /^truncated\.mp4 is not a readable media file \(.*moov atom not found.*\)$/,
      'silent film.mp4': /^silent film\.mp4 has no audio stream; recflow needs sound to trim silence and to transcribe$/,
    }
    for (const [key, reason] of Object.entries(atIntake)) {
      const rec = await byKey(key)
      expect(rec, key).toMatchObject({ failed: false, status: 'INITIALIZED', template_id: catchAll.id })
      expect(await intake(rec.id), key).toMatchObject({ code: 'validation', message: expect.stringMatching(reason) })
      const after = await byKey(key)
      expect(after, key).toMatchObject({ failed: true, failed_stage: 'DOWNLOAD', template_id: catchAll.id })
      expect(after.failed_reason, key).toMatch(reason)
      expect((await metadataOf(rec.id)).problem).toBe(after.failed_reason)
    }
    expect(await byKey('good.m4a')).toMatchObject({ failed: false, status: 'INITIALIZED', template_id: catchAll.id })
    expect(folderSnapshot(t.media)).toEqual(snapshot)

    // Still broken on the next sync: nothing new is reported.
    expect((await sync()).sources[0]).toMatchObject({ created: 0, changed: 0, failed: 0, unchanged: 5 })
  })

  it('keeps the exact path of a name with a newline and a backslash and cleans only its title', async () => {
    await addLocalSource(t, 'lectures')
    const odd = put(stock.m4a, t.media, 'week\\3\nfinal_cut.m4a')

    await sync()

    const rec = await byKey('week\\3\nfinal_cut.m4a')
    expect(rec).toMatchObject({ original_file: odd, display_name: 'week\\3 final cut', failed: false })
    expect(fs.existsSync(rec.original_file as string)).toBe(true)
    expect((await sync()).sources[0]).toMatchObject({ created: 0, unchanged: 1 })
  })
})

describe('choosing sources', SLOW, () => {
  it('reports a Zoom source that cannot sign in and goes on without arguments, and fails with exit-4 auth by name', async () => {
    // A real Zoom sign-in that the provider has since refused (needs re-authorisation).
    const credId = await seedZoomCredential(t.app, 'zoom-token-refused')
    await t.scope.credentials.update(credId, { status: 'needs_reauth' })
    const zoom = await (await t.app.service('sources')).create(t.user, { name: 'dept', platform: 'zoom', credential_id: credId })
    await addLocalSource(t, 'lectures')
    put(stock.m4a, t.media, 'talk.m4a')

    const result = await sync()

    expect(result.sources.map((s) => [s.name, s.status])).toEqual([
      ['dept', 'error'],
      ['lectures', 'synced'],
    ])
    expect(result.sources[0]?.error).toMatchObject({ code: 'auth', hint: expect.stringMatching(/recflow auth zoom/) })
    const err = await sync({ sources: ['dept'] }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RecflowError)
    expect(err).toMatchObject({ code: 'auth', hint: expect.stringMatching(/recflow auth zoom/) })
    expect(zoom.id).toBeGreaterThan(0)
  })

  it('syncs only the named sources, by name or id, and each only once', async () => {
    put(stock.m4a, t.media, 'a/one.m4a')
    put(stock.m4a, t.media, 'b/two.m4a')
    const a = await addLocalSource(t, 'a', { path: path.join(t.media, 'a') })
    const b = await addLocalSource(t, 'b', { path: path.join(t.media, 'b') })

    const result = await sync({ sources: ['b', String(b.id)] })

    expect(result.sources.map((s) => s.sourceId)).toEqual([b.id])
    expect((await all()).map((r) => r.input_source_id)).toEqual([b.id])
    expect(a.id).not.toBe(b.id)
  })

  it('fails with not_found for an unknown source before writing anything', async () => {
    await addLocalSource(t, 'lectures')
    put(stock.m4a, t.media, 'talk.m4a')
    await expect(sync({ sources: ['lectures', 'nope'] })).rejects.toMatchObject({ code: 'not_found', message: 'source "nope" not found' })
    await expect(sync({ sourceIds: [999] })).rejects.toMatchObject({ code: 'not_found' })
    expect(await all()).toEqual([])
  })

  it('skips inactive sources unless named', async () => {
    const source = await addLocalSource(t, 'lectures')
    await (await t.app.service('sources')).update(t.user, source.id, { is_active: false })
    put(stock.m4a, t.media, 'talk.m4a')
    expect((await sync()).sources).toEqual([])
    expect((await sync({ sources: ['lectures'] })).sources[0]?.created).toBe(1)
  })
})

describe('cancellation', SLOW, () => {
  it('stops after the chunk in hand, keeps what was synced, and a later sync finishes the rest without duplicates', async () => {
    await addLocalSource(t, 'lectures')
    const total = PROGRESS_STEP + 10
    for (let n = 0; n < total; n++) put(stock.m4a, t.media, `talk ${String(n).padStart(3, '0')}.m4a`)
    const controller = new AbortController()
    let createdWhenCancelled = 0
    const onEvent = (e: RecflowEvent) => {
      if (e.type === 'sync' && e.created > 0 && !controller.signal.aborted) {
        createdWhenCancelled = e.created
        controller.abort()
      }
    }

    const err = await (await t.app.service('sync')).sync(t.user, {}, { signal: controller.signal, onEvent }).catch((e: unknown) => e)

    expect(err).toMatchObject({ code: 'cancelled' })
    expect(createdWhenCancelled).toBeGreaterThan(0)
    expect(createdWhenCancelled).toBeLessThan(total)
    expect(await listAll((page) => t.scope.recordings.list({}, page))).toHaveLength(createdWhenCancelled)
    const rest = await sync()
    expect(rest.sources[0]).toMatchObject({ created: total - createdWhenCancelled, unchanged: createdWhenCancelled })
    expect(await listAll((page) => t.scope.recordings.list({}, page))).toHaveLength(total)
  })

  it('writes nothing when cancelled before it starts', async () => {
    await addLocalSource(t, 'lectures')
    put(stock.m4a, t.media, 'talk.m4a')
    const controller = new AbortController()
    controller.abort()
    await expect(sync({}, { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' })
    expect(await all()).toEqual([])
  })
})
