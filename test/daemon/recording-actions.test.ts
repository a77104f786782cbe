import { describe, expect, it } from 'vitest'
import { forUser } from '../../src/db/index.js'
import { useTestDaemon, type TestUser } from '../support/daemon.js'

const daemon = useTestDaemon()

const newRecording = async (user: TestUser, name = 'lecture') =>
  (await forUser(daemon.app.database.db, user.id).recordings.create({ display_name: name, start_time: '2026-12-01T09:00:00Z' })).id

const tasksOf = async (user: TestUser) => (await forUser(daemon.app.database.db, user.id).tasks.list({}, { limit: 100 })).items

const post = (user: TestUser, path: string, body?: unknown) => daemon.fetch(`/api/v1${path}`, { method: 'POST', token: user.token, body })

describe('POST /recordings/{id}/<action>', () => {
  it('each action queues one pipeline task with its stage forced, stopped after it, with its run settings', async () => {
    const user = await daemon.user('actions@example.org', { plan: 'enterprise' })
    const cases: Array<[string, unknown, Record<string, unknown>]> = [
      ['download', undefined, { force: ['DOWNLOAD'], stopAfter: 'DOWNLOAD' }],
      ['process', { mode: 'pauses', silence_threshold: -35.5, padding_before: 2 }, { force: ['PROCESS'], stopAfter: 'PROCESS', runOverride: { processing: { trim_mode: 'pauses', silence_threshold: -35.5, padding_before: 2 } } }],
      ['transcribe', { use_batch_api: true }, { force: ['TRANSCRIBE'], stopAfter: 'TRANSCRIBE', runOverride: { transcription: { provider: 'fireworks-batch' } } }],
      ['topics', { granularity: 'short', version_id: 1 }, { force: ['EXTRACT_TOPICS'], stopAfter: 'EXTRACT_TOPICS', runOverride: { topics: { granularity: 'short' } } }],
      ['subtitles', { formats: ['vtt'] }, { force: ['GENERATE_SUBTITLES'], stopAfter: 'GENERATE_SUBTITLES', runOverride: { subtitles: { formats: ['vtt'] } } }],
      ['upload/local', {}, { force: ['UPLOAD'], targets: { platforms: ['local'] } }],
      ['full-pipeline', { run_override: { topics: { granularity: 'medium' } } }, { force: ['PROCESS'], runOverride: { topics: { granularity: 'medium' } } }],
    ]
    for (const [action, body, payload] of cases) {
      const id = await newRecording(user, action)
      const res = await post(user, `/recordings/${id}/${action}`, body)
      expect(res.status, action).toBe(202)
      const accepted = (await res.json()) as { task_id: number; status: string; links: { self: string } }
      expect(accepted).toEqual({ task_id: expect.any(Number), status: 'queued', links: { self: `/api/v1/tasks/${accepted.task_id}` } })
      const task = (await tasksOf(user)).find((t) => t.id === accepted.task_id)
      expect(task, action).toMatchObject({ type: 'pipeline', state: 'pending', recording_id: id, payload: { recordingId: id, ...payload } })
    }
  })

  it('a second action while one is pending is 409 and queues nothing', async () => {
    const user = await daemon.user('busy@example.org', { plan: 'enterprise' })
    const id = await newRecording(user)
    expect((await post(user, `/recordings/${id}/download`)).status).toBe(202)
    const second = await post(user, `/recordings/${id}/process`, { mode: 'edges' })
    expect(second.status).toBe(409)
    expect(((await second.json()) as { code: string; detail: string }).detail).toMatch(/already has a pending task/)
    expect(await tasksOf(user)).toHaveLength(1)
  })

  it('two concurrent actions on one recording: exactly one is accepted, the other 409; no task is replaced', async () => {
    const user = await daemon.user('race@example.org', { plan: 'enterprise' })
    const id = await newRecording(user)
    const [a, b] = await Promise.all([post(user, `/recordings/${id}/process`, { mode: 'pauses' }), post(user, `/recordings/${id}/transcribe`, {})])
    expect([a.status, b.status].sort()).toEqual([202, 409])
    const tasks = await tasksOf(user)
    expect(tasks.map((t) => t.state)).toEqual(['pending'])
    const accepted = (await (a.status === 202 ? a : b).json()) as { task_id: number }
    expect(tasks[0]!.id).toBe(accepted.task_id)
  })

  it('bad trim values are 422 (the config schema), wrong types 400; neither queues a task nor counts', async () => {
    const user = await daemon.user('badtrim@example.org')
    const id = await newRecording(user)
    for (const body of [{ silence_threshold: 10 }, { padding_before: -1 }, { mode: 'everything' }]) {
      const res = await post(user, `/recordings/${id}/process`, body)
      expect(res.status, JSON.stringify(body)).toBe(422)
      expect(((await res.json()) as { code: string }).code).toBe('validation')
    }
    for (const [path, body] of [
      [`/recordings/${id}/process`, { silence_threshold: 'loud' }],
      [`/recordings/${id}/process`, { shred: true }],
      [`/recordings/${id}/topics`, { granularity: 'huge' }],
      [`/recordings/${id}/upload/dropbox`, {}],
      [`/recordings/abc/download`, undefined],
    ] as Array<[string, unknown]>) {
      expect((await post(user, path, body)).status, path).toBe(400)
    }
    expect((await post(user, `/recordings/${id}/subtitles`, { formats: ['ass'] })).status).toBe(422)
    expect((await post(user, `/recordings/${id}/transcribe`, { provider: 'openai', use_batch_api: true })).status).toBe(422)
    expect(await tasksOf(user)).toEqual([])
    expect(((await (await daemon.fetch('/api/v1/users/me/quota', { token: user.token })).json()) as any).usage.recordings).toBe(0)
  })

  it("another tenant's recording and preset are 404; a preset of another platform 422; without the permission 403", async () => {
    const owner = await daemon.user('owner-actions@example.org')
    const other = await daemon.user('other-actions@example.org', { permissions: { can_upload: false } })
    const id = await newRecording(owner)
    const theirPreset = await forUser(daemon.app.database.db, other.id).presets.create({ name: 'p', platform: 'local', preset_metadata: { destination: '/tmp/x' } })
    const myPreset = await forUser(daemon.app.database.db, owner.id).presets.create({ name: 'p', platform: 'local', preset_metadata: { destination: '/tmp/x' } })
    for (const action of ['download', 'full-pipeline', 'retry-upload']) expect((await post(other, `/recordings/${id}/${action}`)).status, action).toBe(action === 'retry-upload' ? 403 : 404)
    expect((await post(other, `/recordings/${id}/topics`, { granularity: 'long' })).status).toBe(404)
    expect((await post(owner, `/recordings/${id}/upload/local`, { preset_id: theirPreset.id })).status).toBe(404)
    expect((await post(owner, `/recordings/${id}/upload/youtube`, { preset_id: myPreset.id })).status).toBe(422)
    expect((await post(other, `/recordings/${id}/upload/local`)).status).toBe(403)
    expect(await tasksOf(owner)).toEqual([])
    expect(await tasksOf(other)).toEqual([])
  })

  it('retry-upload queues a task for FAILED targets only; none failed (of that platform) is 409', async () => {
    const user = await daemon.user('retry@example.org', { plan: 'enterprise' })
    const id = await newRecording(user)
    const scope = forUser(daemon.app.database.db, user.id)
    await scope.targets.create({ recording_id: id, target_type: 'local', status: 'UPLOADED' })
    const none = await post(user, `/recordings/${id}/retry-upload`)
    expect(none.status).toBe(409)
    expect(((await none.json()) as { detail: string }).detail).toMatch(/no failed upload to retry/)
    await scope.targets.create({ recording_id: id, target_type: 'youtube', status: 'FAILED' })
    expect((await post(user, `/recordings/${id}/retry-upload`, { platforms: ['vk'] })).status).toBe(409)
    const res = await post(user, `/recordings/${id}/retry-upload`, { platforms: ['youtube'] })
    expect(res.status).toBe(202)
    const { task_id } = (await res.json()) as { task_id: number }
    expect((await scope.tasks.get(task_id))?.payload).toEqual({ recordingId: id, targets: { failedOnly: true, platforms: ['youtube'] } })
  })

  it('a topics version_id that is not the next version is 409', async () => {
    const user = await daemon.user('topics@example.org', { plan: 'enterprise' })
    const id = await newRecording(user)
    const res = await post(user, `/recordings/${id}/topics`, { granularity: 'long', version_id: 3 })
    expect(res.status).toBe(409)
    expect(((await res.json()) as { detail: string }).detail).toMatch(/next topics version is 1/)
    expect(await tasksOf(user)).toEqual([])
  })

  it('over the plan the action is 429 QUOTA_EXCEEDED and queues nothing', async () => {
    const user = await daemon.user('quota-actions@example.org')
    const quota = await daemon.app.service('quota')
    for (let i = 0; i < 10; i++) await quota.startRecording({ id: user.id, timezone: 'UTC' }, await newRecording(user, `used ${i}`))
    const id = await newRecording(user, 'one too many')
    const res = await post(user, `/recordings/${id}/transcribe`, {})
    expect(res.status).toBe(429)
    expect(await res.json()).toMatchObject({ code: 'QUOTA_EXCEEDED', limit: 10, usage: 10 })
    expect(await tasksOf(user)).toEqual([])
  })
})

describe('POST /recordings/batch-process, batch/transcribe, batch/process-mapped', () => {
  type Batch = { tasks: Array<{ recording_id: number; task_id: number; links: { self: string } }>; refused: Array<{ recording_id: number; status: number; code: string; limit?: number }> }

  it('recording_ids: a task per own idle recording; another tenant\'s id, a busy one and a duplicate are refused or folded', async () => {
    const user = await daemon.user('batch@example.org', { plan: 'enterprise' })
    const other = await daemon.user('batch-other@example.org')
    const [a, b, busy] = [await newRecording(user, 'a'), await newRecording(user, 'b'), await newRecording(user, 'busy')]
    const theirs = await newRecording(other)
    expect((await post(user, `/recordings/${busy}/download`)).status).toBe(202)
    const res = await post(user, '/recordings/batch-process', { recording_ids: [a, b, b, busy, theirs], settings: { mode: 'pauses' } })
    expect(res.status).toBe(202)
    const body = (await res.json()) as Batch
    expect(body.tasks.map((t) => t.recording_id)).toEqual([a, b])
    expect(body.tasks[0]!.links.self).toBe(`/api/v1/tasks/${body.tasks[0]!.task_id}`)
    expect(body.refused.map((r) => [r.recording_id, r.status])).toEqual([
      [busy, 409],
      [theirs, 404],
    ])
    const task = await forUser(daemon.app.database.db, user.id).tasks.get(body.tasks[1]!.task_id)
    expect(task?.payload).toMatchObject({ recordingId: b, force: ['PROCESS'], runOverride: { processing: { trim_mode: 'pauses' } } })
    expect(await tasksOf(other)).toEqual([])
  })

  it('filters select the caller\'s recordings (limit); process-mapped takes only mapped INITIALIZED ones', async () => {
    const user = await daemon.user('batch-filters@example.org', { plan: 'enterprise' })
    const scope = forUser(daemon.app.database.db, user.id)
    const template = await scope.templates.create({ name: 't', matching_rules: { keywords: ['x'] } })
    const mapped = await scope.recordings.create({ display_name: 'mapped', start_time: '2026-12-01T09:00:00Z', template_id: template.id, is_mapped: true, status: 'INITIALIZED' })
    await scope.recordings.create({ display_name: 'unmapped', start_time: '2026-12-01T10:00:00Z' })
    const res = await post(user, '/recordings/batch/transcribe', { filters: { search: 'mapped' }, limit: 1, settings: { provider: 'openai' } })
    expect(res.status).toBe(202)
    expect(((await res.json()) as Batch).tasks).toHaveLength(1)
    const other = await daemon.user('batch-filters-2@example.org', { plan: 'enterprise' })
    const otherScope = forUser(daemon.app.database.db, other.id)
    const t2 = await otherScope.templates.create({ name: 't', matching_rules: { keywords: ['x'] } })
    const mine = await otherScope.recordings.create({ display_name: 'm', start_time: '2026-12-01T09:00:00Z', template_id: t2.id, is_mapped: true, status: 'INITIALIZED' })
    await otherScope.recordings.create({ display_name: 'done', start_time: '2026-12-01T09:00:00Z', template_id: t2.id, is_mapped: true, status: 'UPLOADED' })
    await otherScope.recordings.create({ display_name: 'u', start_time: '2026-12-01T09:00:00Z', status: 'INITIALIZED' })
    const mappedRes = await post(other, '/recordings/batch/process-mapped', {})
    expect(mappedRes.status).toBe(202)
    const body = (await mappedRes.json()) as Batch
    expect(body).toEqual({ tasks: [expect.objectContaining({ recording_id: mine.id })], refused: [] })
    expect((await otherScope.tasks.get(body.tasks[0]!.task_id))?.payload).toEqual({ recordingId: mine.id })
    expect(mapped.id).not.toBe(mine.id)
  })

  it('malformed selections are 400 and queue nothing; over the plan each recording is refused with 429', async () => {
    const user = await daemon.user('batch-bad@example.org')
    const id = await newRecording(user)
    for (const body of [{}, { recording_ids: [] }, { recording_ids: [id], filters: {} }, { recording_ids: Array.from({ length: 101 }, (_, i) => i + 1) }, { filters: { status: ['NOPE'] } }, { filters: {}, limit: 0 }]) {
      expect((await post(user, '/recordings/batch-process', body)).status, JSON.stringify(body).slice(0, 60)).toBe(400)
    }
    expect((await post(user, '/recordings/batch/process-mapped', { filters: { status: ['INITIALIZED'] } })).status).toBe(400)
    expect(await tasksOf(user)).toEqual([])
    const quota = await daemon.app.service('quota')
    for (let i = 0; i < 10; i++) await quota.startRecording({ id: user.id, timezone: 'UTC' }, await newRecording(user, `used ${i}`))
    const res = await post(user, '/recordings/batch/transcribe', { recording_ids: [id] })
    expect(res.status).toBe(202)
    expect(await res.json()).toEqual({ tasks: [], refused: [expect.objectContaining({ recording_id: id, status: 429, code: 'QUOTA_EXCEEDED', limit: 10 })] })
  })
})
