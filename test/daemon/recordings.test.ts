import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { forUser, openDatabase } from '../../src/db/index.js'
import { enqueue } from '../../src/jobs/index.js'
import { usagePeriod } from '../../src/domain/quota/period.js'
import { recordingDir, userMediaDir } from '../../src/services/pipeline/recording-files.js'
import { recording, recordingPage } from '../../daemon/routes/recordings.js'
import { RECORDING_SUMMARY_FIELDS } from '../../src/db/repositories/recording-list.js'
import { useTestDaemon } from '../support/daemon.js'

const daemon = useTestDaemon()

type Item = { id: number; display_name: string; status: string; failed: boolean; failed_reason: string | null }
type ListBody = { items: Item[]; next_cursor: string | null }

const list = async (token: string, query: string) => {
  const res = await daemon.fetch(`/api/v1/recordings${query}`, { token })
  expect(res.status, query).toBe(200)
  return (await res.json()) as ListBody
}

describe('daemon /recordings', () => {
  it('a kept page is answered again only while nothing changed the user\'s recordings, whichever process wrote', async () => {
    const kim = await daemon.user('kim@example.com')
    const other = await daemon.user('kim-neighbour@example.com')
    const db = daemon.app.database.db
    const s = forUser(db, kim.id)
    const service = await daemon.app.service('recordings')
    const user = { id: kim.id, timezone: 'UTC' }
    const names = async () => (JSON.parse((await service.listJson(user, { limit: 10 })).itemsJson) as Array<{ display_name: string; status: string }>).map((r) => `${r.display_name}:${r.status}`)
    const first = await s.recordings.create({ display_name: 'One', start_time: '2026-05-01T09:00:00Z', status: 'INITIALIZED' })
    expect(await names()).toEqual(['One:INITIALIZED'])
    const kept = await service.listJson(user, { limit: 10 })
    expect(await service.listJson(user, { limit: 10 })).toBe(kept)
    await forUser(db, other.id).recordings.create({ display_name: 'Not yours', start_time: '2026-05-02T09:00:00Z' })
    expect(await service.listJson(user, { limit: 10 })).toBe(kept)

    const second = await s.recordings.create({ display_name: 'Two', start_time: '2026-05-02T09:00:00Z', status: 'INITIALIZED' })
    expect(await names()).toEqual(['Two:INITIALIZED', 'One:INITIALIZED'])
    await s.recordings.markFailed(first.id, { stage: 'PROCESS', reason: 'broken' })
    expect((JSON.parse((await service.listJson(user, { limit: 10 })).itemsJson) as Array<{ failed: boolean }>).map((r) => r.failed)).toEqual([false, true])
    await s.recordings.markDeleted(second.id)
    expect(await names()).toEqual(['One:INITIALIZED'])
    // Another connection to the same file (the CLI beside the daemon): its write is seen at once.
    const cli = await openDatabase(daemon.app.env.dbPath)
    try {
      await forUser(cli.db, kim.id).recordings.create({ display_name: 'From the CLI', start_time: '2026-05-03T09:00:00Z', status: 'READY' })
    } finally {
      await cli.close()
    }
    expect(await names()).toEqual(['From the CLI:READY', 'One:INITIALIZED'])
  })

  it('the list made as JSON by the database is what the reply schema makes of the rows, page by page and filter by filter', async () => {
    expect(Object.keys(recording.shape)).toEqual([...RECORDING_SUMMARY_FIELDS])
    const zoe = await daemon.user('zoe@example.com')
    const s = forUser(daemon.app.database.db, zoe.id)
    const names = ['Plain', 'Quotes "and" \\ backslash', 'Юникод 🎓 lecture', 'Tab\tand\nnewline', '<script>&amp;']
    for (let i = 0; i < 12; i++) {
      const rec = await s.recordings.create({
        display_name: `${names[i % names.length]} ${i}`,
        start_time: `2026-04-${String(1 + (i % 9)).padStart(2, '0')}T0${i % 10}:30:00Z`,
        status: i % 3 ? 'READY' : 'INITIALIZED',
        is_mapped: i % 2 === 0,
        duration: i % 4 === 0 ? null : 3600.25 + i,
        size_bytes: i % 5 === 0 ? null : 5_000_000_000_000 + i,
      })
      if (i % 4 === 1) await s.recordings.markFailed(rec.id, { stage: 'UPLOAD', reason: `quota "exceeded" ${i}` })
    }
    const service = await daemon.app.service('recordings')
    const user = { id: zoe.id, timezone: 'UTC' }
    for (const query of [{}, { limit: 5 }, { limit: 1, status: ['ready'] }, { failed: true }, { mapped: false, search: 'lecture' }, { from: '2026-04-03', to: '2026-04-07', limit: 2 }]) {
      let cursor: string | null = null
      do {
        const q: typeof query & { cursor?: string } = cursor === null ? query : { ...query, cursor }
        const objects = await service.list(user, q)
        const expected = recordingPage.parse({ items: objects.items, next_cursor: objects.nextCursor })
        const json = await service.listJson(user, q)
        expect({ items: JSON.parse(json.itemsJson) as unknown, next_cursor: json.nextCursor }, JSON.stringify(q)).toEqual(expected)
        cursor = objects.nextCursor
      } while (cursor !== null)
    }
  })

  it('lists newest first with filters and a keyset cursor; malformed queries are 400', async () => {
    const alice = await daemon.user('alice@example.com')
    const s = forUser(daemon.app.database.db, alice.id)
    const made: number[] = []
    for (let day = 1; day <= 5; day++) {
      const rec = await s.recordings.create({ display_name: `Lecture ${day}`, start_time: `2026-03-0${day}T09:00:00Z`, status: day % 2 ? 'READY' : 'INITIALIZED' })
      made.push(rec.id)
    }
    const physics = await s.recordings.create({ display_name: 'Physics 100%', start_time: '2026-03-06T09:00:00Z', status: 'PROCESSED' })
    await s.recordings.markFailed(physics.id, { stage: 'TRANSCRIBE', reason: 'provider timeout' })
    const gone = await s.recordings.create({ display_name: 'Deleted one', start_time: '2026-03-07T09:00:00Z' })
    await s.recordings.markDeleted(gone.id)

    const all = await list(alice.token, '')
    expect(all.items.map((r) => r.id)).toEqual([physics.id, ...[...made].reverse()])
    expect(all.items[0]).toMatchObject({ display_name: 'Physics 100%', status: 'PROCESSED', failed: true, failed_reason: 'provider timeout', failed_stage: 'TRANSCRIBE', is_mapped: false })
    for (const hidden of ['user_id', 'original_file', 'processed_file', 'source_key', 'processing_config_override', 'deleted_at']) expect(all.items[0]).not.toHaveProperty(hidden)

    // Pages of 2: the cursor walks the same order without repeats or gaps.
    const seen: number[] = []
    let cursor: string | null = null
    do {
      const page: ListBody = await list(alice.token, `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      expect(page.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.items.map((r) => r.id))
      cursor = page.next_cursor
    } while (cursor !== null)
    expect(seen).toEqual(all.items.map((r) => r.id))

    expect((await list(alice.token, '?status=ready')).items.map((r) => r.id)).toEqual([made[4], made[2], made[0]])
    expect((await list(alice.token, '?status=READY,PROCESSED&failed=true')).items.map((r) => r.id)).toEqual([physics.id])
    expect((await list(alice.token, '?status=READY&status=INITIALIZED&failed=false')).items).toHaveLength(5)
    expect((await list(alice.token, '?search=100%25')).items.map((r) => r.id)).toEqual([physics.id])
    expect((await list(alice.token, '?search=lecture&from=2026-03-02&to=2026-03-04')).items.map((r) => r.display_name)).toEqual(['Lecture 3', 'Lecture 2'])
    expect((await list(alice.token, '?mapped=true')).items).toEqual([])

    for (const bad of ['?limit=0', '?limit=101', '?limit=x', '?status=SLEEPING', '?failed=maybe', '?from=yesterday', '?from=2026-03-04&to=2026-03-02', '?template_id=-1', '?source_id=abc', '?cursor=not-a-cursor', '?search=']) {
      const res = await daemon.fetch(`/api/v1/recordings${bad}`, { token: alice.token })
      expect(res.status, bad).toBe(400)
      expect(res.headers.get('content-type'), bad).toMatch(/problem\+json/)
    }
    expect((await daemon.fetch('/api/v1/recordings')).status).toBe(401)
  })

  it('GET /recordings/{id} and ?detailed=true (stages, targets without the uploader checkpoint); reset; another tenant 404', async () => {
    const bob = await daemon.user('bob@example.com')
    const eve = await daemon.user('eve@example.com')
    const s = forUser(daemon.app.database.db, bob.id)
    const rec = await s.recordings.create({ display_name: 'Seminar', start_time: '2026-04-01T10:00:00Z', status: 'PROCESSED' })
    await s.stages.create({ recording_id: rec.id, stage_type: 'PROCESS', status: 'COMPLETED' })
    await s.targets.create({ recording_id: rec.id, target_type: 'youtube', status: 'FAILED', target_meta: { upload_session: 'https://upload.example/session/SECRET' } })
    const dir = recordingDir(daemon.app.env.mediaDir, bob.id, rec.id)
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, 'processed.mp4'), Buffer.alloc(1024))
    fs.writeFileSync(path.join(dir, 'subtitles.vtt'), 'WEBVTT\n')
    const topic = { main_topic: 'Waves', summary: 'About waves', topics: [{ title: 'Intro', start: 0 }], provider: 'deepseek', model: 'm1', granularity: 'long' }
    await s.topicSets.addActive({ recording_id: rec.id, ...topic })
    await s.topicSets.addActive({ recording_id: rec.id, ...topic, granularity: 'short' })

    const plain = (await (await daemon.fetch(`/api/v1/recordings/${rec.id}`, { token: bob.token })).json()) as Record<string, unknown>
    expect(plain).toMatchObject({ id: rec.id, display_name: 'Seminar', status: 'PROCESSED' })
    expect(plain).not.toHaveProperty('stages')
    const detailedRes = await daemon.fetch(`/api/v1/recordings/${rec.id}?detailed=true`, { token: bob.token })
    const detailedText = await detailedRes.text()
    expect(detailedText).not.toContain('SECRET')
    const detailed = JSON.parse(detailedText) as { stages: unknown[]; targets: unknown[]; files: string[]; topic_versions: unknown[] }
    expect(detailed.files).toEqual(['vtt', 'video'])
    expect(detailed.topic_versions).toEqual([
      expect.objectContaining({ version: 1, active: false, granularity: 'long', main_topic: 'Waves' }),
      expect.objectContaining({ version: 2, active: true, granularity: 'short' }),
    ])
    expect(detailed.stages).toEqual([expect.objectContaining({ stage_type: 'PROCESS', status: 'COMPLETED', attempts: 0 })])
    expect(detailed.targets).toEqual([expect.objectContaining({ target_type: 'youtube', status: 'FAILED', url: null, preset_id: null })])

    for (const [method, url] of [['GET', `/api/v1/recordings/${rec.id}`], ['GET', `/api/v1/recordings/${rec.id}?detailed=1`], ['POST', `/api/v1/recordings/${rec.id}/reset`]] as const) {
      const res = await daemon.fetch(url, { method, token: eve.token })
      expect(res.status, `${method} ${url}`).toBe(404)
    }
    expect((await list(eve.token, '')).items).toEqual([])
    expect(fs.existsSync(dir)).toBe(true)
    for (const bad of ['/api/v1/recordings/abc', '/api/v1/recordings/0', `/api/v1/recordings/${rec.id}?detailed=yes`]) {
      expect((await daemon.fetch(bad, { token: bob.token })).status, bad).toBe(400)
    }

    // A pending task on it: 409, nothing removed.
    const { task } = await enqueue(daemon.app.database.db, bob.id, { type: 'pipeline', payload: { recordingId: rec.id }, recordingId: rec.id })
    expect((await daemon.fetch(`/api/v1/recordings/${rec.id}/reset`, { method: 'POST', token: bob.token })).status).toBe(409)
    expect(fs.existsSync(dir)).toBe(true)
    await s.tasks.requestCancel(task.id)

    const reset = await daemon.fetch(`/api/v1/recordings/${rec.id}/reset`, { method: 'POST', token: bob.token })
    expect(reset.status).toBe(200)
    expect(await reset.json()).toEqual({ id: rec.id, status: 'SKIPPED', removed_stages: 1, removed_targets: 1, kept_targets: 0 })
    expect(fs.existsSync(dir)).toBe(false)
    const after = (await (await daemon.fetch(`/api/v1/recordings/${rec.id}?detailed=true`, { token: bob.token })).json()) as { status: string; stages: unknown[]; targets: unknown[] }
    expect(after).toMatchObject({ status: 'SKIPPED', stages: [], targets: [], files: [] })
  })

  it('DELETE /recordings/{id} (can_delete_recordings): rows and media go, the storage quota follows; 409 while a task is queued; a synced recording stays as a hidden tombstone', async () => {
    const dan = await daemon.user('dan@example.com')
    const eve = await daemon.user('eve2@example.com')
    const viewer = await daemon.user('viewer@example.com', { permissions: { can_delete_recordings: false } })
    const db = daemon.app.database.db
    const s = forUser(db, dan.id)
    const period = usagePeriod(new Date())
    /** A recording with media as the pipeline leaves it: its folder, and the storage measured. */
    const withMedia = async (rec: { id: number }, originalBytes: number) => {
      const dir = recordingDir(daemon.app.env.mediaDir, dan.id, rec.id)
      fs.mkdirSync(dir, { recursive: true })
      fs.writeFileSync(path.join(dir, 'processed.mp4'), Buffer.alloc(1000, 1))
      await s.stages.create({ recording_id: rec.id, stage_type: 'PROCESS', status: 'COMPLETED' })
      await s.targets.create({ recording_id: rec.id, target_type: 'local', status: 'UPLOADED' })
      await s.quota.setRecordingBytes(rec.id, 1000 + originalBytes)
      await s.quota.addUsage(period, { storage_bytes: 1000 + originalBytes })
      return dir
    }

    // An upload: its original lies under the user's media folder and counts.
    const original = path.join(userMediaDir(daemon.app.env.mediaDir, dan.id), 'uploads', 'talk.mp4')
    fs.mkdirSync(path.dirname(original), { recursive: true })
    fs.writeFileSync(original, Buffer.alloc(2000, 2))
    const upload = await s.recordings.create({ display_name: 'Uploaded talk', start_time: '2026-07-01T10:00:00Z', original_file: original })
    const dir = await withMedia(upload, 2000)
    expect(await s.quota.storedBytes()).toBe(3000)

    const url = `/api/v1/recordings/${upload.id}`
    expect((await daemon.fetch(url, { method: 'DELETE', token: eve.token })).status).toBe(404)
    expect((await daemon.fetch(url, { method: 'DELETE', token: viewer.token })).status).toBe(403)
    expect((await daemon.fetch(url, { method: 'DELETE' })).status).toBe(401)
    const { task } = await enqueue(db, dan.id, { type: 'pipeline', payload: { recordingId: upload.id }, recordingId: upload.id })
    expect((await daemon.fetch(url, { method: 'DELETE', token: dan.token })).status).toBe(409)
    expect([fs.existsSync(dir), fs.existsSync(original), await s.quota.storedBytes()]).toEqual([true, true, 3000])
    await s.tasks.requestCancel(task.id)

    const deleted = await daemon.fetch(url, { method: 'DELETE', token: dan.token })
    expect(deleted.status).toBe(200)
    expect(await deleted.json()).toEqual({ id: upload.id, row: 'removed', freed_bytes: 3000 })
    expect([fs.existsSync(dir), fs.existsSync(original), await s.quota.storedBytes()]).toEqual([false, false, 0])
    expect(await s.recordings.get(upload.id)).toBeUndefined()
    expect(await s.tasks.get(task.id)).toBeUndefined()
    expect((await daemon.fetch(url, { token: dan.token })).status).toBe(404)
    expect((await daemon.fetch(url, { method: 'DELETE', token: dan.token })).status).toBe(404)

    // A synced recording: hidden, without stages or targets, and the next sync finds it (no second import).
    const source = await s.sources.create({ name: 'Folder', platform: 'local', config: { path: '/data/talks' } })
    const synced = await s.recordings.create({ display_name: 'Synced talk', start_time: '2026-07-02T10:00:00Z', input_source_id: source.id, source_key: 'talk-2.mp4', original_file: '/data/talks/talk-2.mp4' })
    const syncedDir = await withMedia(synced, 0)
    const tomb = await daemon.fetch(`/api/v1/recordings/${synced.id}`, { method: 'DELETE', token: dan.token })
    expect(await tomb.json()).toEqual({ id: synced.id, row: 'tombstone', freed_bytes: 1000 })
    expect([fs.existsSync(syncedDir), await s.quota.storedBytes()]).toEqual([false, 0])
    expect((await list(dan.token, '')).items.map((r) => r.id)).not.toContain(synced.id)
    expect(await s.stages.list({ recording_id: synced.id })).toMatchObject({ items: [] })
    expect(await s.targets.list({ recording_id: synced.id })).toMatchObject({ items: [] })
    const resync = await s.recordings.upsertFromSource({ display_name: 'Synced talk', start_time: '2026-07-02T10:00:00Z', input_source_id: source.id, source_key: 'talk-2.mp4' })
    expect([resync.created, resync.recording.id, resync.recording.deleted_at !== null]).toEqual([false, synced.id, true])
    expect((await daemon.fetch(`/api/v1/recordings/${synced.id}`, { method: 'DELETE', token: dan.token })).status).toBe(404)
    for (const hidden of ['', '?detailed=true', '/config', '/files/video']) {
      expect((await daemon.fetch(`/api/v1/recordings/${synced.id}${hidden}`, { token: dan.token })).status, hidden).toBe(404)
    }
    expect((await daemon.fetch(`/api/v1/recordings/${synced.id}/reset`, { method: 'POST', token: dan.token })).status).toBe(404)
  })
})

describe('daemon GET /recordings/{id}/files/{kind}', () => {
  it('streams each artefact with its content type; a missing one is a 404 problem saying why; kinds are a fixed list', async () => {
    const cat = await daemon.user('cat@example.com')
    const other = await daemon.user('other@example.com')
    const s = forUser(daemon.app.database.db, cat.id)
    const rec = await s.recordings.create({ display_name: 'Talk', start_time: '2026-06-01T10:00:00Z', original_file: '/elsewhere/talk.mkv' })
    const dir = recordingDir(daemon.app.env.mediaDir, cat.id, rec.id)
    fs.mkdirSync(dir, { recursive: true })
    const video = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256))
    fs.writeFileSync(path.join(dir, 'processed.mkv'), video)
    await s.recordings.update(rec.id, { processed_file: path.join(dir, 'processed.mkv') })
    fs.writeFileSync(path.join(dir, 'transcript.txt'), 'Hello, world.\n')
    fs.writeFileSync(path.join(dir, 'subtitles.srt'), '1\n00:00:00,000 --> 00:00:01,000\nHello\n')
    fs.writeFileSync(path.join(dir, 'chapters.vtt'), 'WEBVTT\n\n00:00.000 --> 00:10.000\nIntro\n')

    const cases: Array<[string, RegExp, string | Buffer]> = [
      ['transcript', /^text\/plain/, 'Hello, world.\n'],
      ['srt', /^application\/x-subrip/, '1\n00:00:00,000 --> 00:00:01,000\nHello\n'],
      ['topics', /^text\/vtt/, 'WEBVTT\n\n00:00.000 --> 00:10.000\nIntro\n'],
      ['video', /^video\/x-matroska$/, video],
    ]
    for (const [kind, type, content] of cases) {
      const res = await daemon.fetch(`/api/v1/recordings/${rec.id}/files/${kind}`, { token: cat.token })
      expect(res.status, kind).toBe(200)
      expect(res.headers.get('content-type'), kind).toMatch(type)
      expect(res.headers.get('content-disposition'), kind).toMatch(new RegExp(`^attachment; filename="rec_${rec.id}_${kind}\\.`))
      const got = Buffer.from(await res.arrayBuffer())
      expect(got.equals(Buffer.from(content)), kind).toBe(true)
    }

    // vtt was never made: 404 problem naming the stage.
    await s.stages.create({ recording_id: rec.id, stage_type: 'GENERATE_SUBTITLES', status: 'SKIPPED' })
    const missing = await daemon.fetch(`/api/v1/recordings/${rec.id}/files/vtt`, { token: cat.token })
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toMatch(/problem\+json/)
    expect(((await missing.json()) as { detail: string }).detail).toMatch(/no WebVTT subtitles: GENERATE_SUBTITLES was skipped/)

    // A processed_file pointing outside the recording's folder is never served.
    await s.recordings.update(rec.id, { processed_file: '/etc/passwd' })
    expect((await daemon.fetch(`/api/v1/recordings/${rec.id}/files/video`, { token: cat.token })).status).toBe(404)

    for (const kind of ['../../etc/passwd', 'original', 'transcript.txt', '%2e%2e%2fsecret']) {
      expect((await daemon.fetch(`/api/v1/recordings/${rec.id}/files/${kind}`, { token: cat.token })).status, kind).toBeGreaterThanOrEqual(400)
      expect((await daemon.fetch(`/api/v1/recordings/${rec.id}/files/${kind}`, { token: cat.token })).status, kind).toBeLessThan(500)
    }
    expect((await daemon.fetch(`/api/v1/recordings/${rec.id}/files/original`, { token: cat.token })).status).toBe(400)
    const stolen = await daemon.fetch(`/api/v1/recordings/${rec.id}/files/transcript`, { token: other.token })
    expect(stolen.status).toBe(404)
    expect(await stolen.text()).not.toContain('Hello, world')
    expect((await daemon.fetch(`/api/v1/recordings/${rec.id}/files/transcript`)).status).toBe(401)
  })
})
