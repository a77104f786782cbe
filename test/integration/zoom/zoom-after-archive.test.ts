import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../../src/app.js'
import { forUser, type UserScope } from '../../../src/db/index.js'
import { loadRuntimeEnv } from '../../../src/platform/config.js'
import { silentLogger } from '../../../src/platform/logger.js'
import { startZoomApiFake, zoomError, zoomMeeting, ZOOM_TEST_TOKEN, type ZoomApiFake } from '../../fakes/zoom-api.js'
import { startZoomStorageFake, type ZoomStorageFake } from '../../fakes/zoom-storage.js'
import { makeClip, makeTempDir, removeDir, systemOrBundledTools } from '../../fixtures/media/generate.js'
import { seedOAuthCredential } from '../../support/oauth.js'

/*
 * Delete after archive (issue 9, item 4): a template's `output_config.zoom_after_archive: trash` moves the Zoom
 * cloud recording to Zoom's trash (DELETE .../recordings?action=trash, never delete) only once the local copy is
 * verified and every preset published; the move is recorded and shown by `recordings show`. Each recording is
 * downloaded from the storage fake by the real DOWNLOAD stage and published to a folder (trimmed only where the test needs a processed file).
 */

let home: string
let app: App
let scope: UserScope
let zoom: ZoomApiFake
let clip: Buffer
let storage: ZoomStorageFake
let sourceId: number
let seq = 0
const outDir = () => path.join(home, 'published')

beforeAll(async () => {
  home = makeTempDir()
  zoom = await startZoomApiFake()
  storage = await startZoomStorageFake({ tokens: [ZOOM_TEST_TOKEN] })
  const tools = await systemOrBundledTools()
  clip = fs.readFileSync(makeClip(tools, path.join(home, 'lecture.mp4'), { durationS: 8, tones: [{ start: 2, end: 6 }] }))
  app = await createApp(
    loadRuntimeEnv({ RECFLOW_HOME: home, PATH: process.env.PATH, RECFLOW_SECRET_STORE: 'file', RECFLOW_ZOOM_API_URL: `${zoom.url}/v2` }),
    { logger: silentLogger },
  )
  scope = forUser(app.database.db, app.localUser.id)
  const credentialId = await seedOAuthCredential(app, {
    platform: 'zoom',
    accessToken: ZOOM_TEST_TOKEN,
    refreshToken: 'zoom-refresh-1',
    expiresAt: new Date(Date.now() + 3600_000),
    clientId: 'zoom-client',
    clientSecret: 'zoom-client-secret',
    accountName: 'lecturer@example.edu',
  })
  sourceId = (await scope.sources.create({ name: 'zoom', platform: 'zoom', credential_id: credentialId, config: {} })).id
}, 60_000)

afterAll(async () => {
  await app?.close()
  await zoom?.close()
  await storage?.close()
  removeDir(home)
})

/**
 * A Zoom recording as a sync leaves it (source_metadata naming the chosen file, no local copy yet), its bytes on
 * the storage fake and its meeting on the API fake, with a template publishing to a folder.
 */
async function zoomRecording(opts: { policy?: 'keep' | 'trash'; uuid?: string; destination?: string; trim?: boolean } = {}) {
  seq++
  const meeting = zoomMeeting({ topic: `Lecture ${seq}`, startTime: '2026-03-02T09:00:00Z', files: ['shared_screen_with_speaker_view'], ...(opts.uuid ? { uuid: opts.uuid } : {}) })
  zoom.addMeetings('me', [meeting])
  const fileId = meeting.recording_files[0]!.id
  const { download_url, file_size } = storage.addFile(fileId, clip)
  const preset = await (await app.service('presets')).create(app.localUser, {
    name: `Folder ${seq}`,
    platform: 'local',
    preset_metadata: { destination: opts.destination ?? outDir(), name_template: `{display_name} ${seq}` },
  })
  const template = await (await app.service('templates')).create(app.localUser, {
    name: `T ${seq}`,
    matching_rules: { exact_matches: [meeting.topic] },
    output_config: { preset_ids: [preset.id], ...(opts.policy ? { zoom_after_archive: opts.policy } : {}) },
    // No trimming unless asked: the policy looks at the local copy and the publications, not at PROCESS.
    ...(opts.trim ? {} : { processing_config: { processing: { enabled: false } } }),
  })
  const rec = await scope.recordings.create({
    display_name: meeting.topic,
    start_time: meeting.start_time,
    status: 'INITIALIZED',
    input_source_id: sourceId,
    source_key: meeting.uuid,
    size_bytes: file_size,
    template_id: template.id,
    is_mapped: true,
  })
  await scope.sourceMetadata.set(rec.id, {
    input_source_id: sourceId,
    metadata: {
      kind: 'zoom_meeting',
      zoom_user: 'me',
      meeting_uuid: meeting.uuid,
      media_file: {
        id: fileId,
        fileType: 'MP4',
        fileExtension: 'MP4',
        recordingType: 'shared_screen_with_speaker_view',
        status: 'completed',
        sizeBytes: file_size,
        downloadUrl: download_url,
        recordingStart: null,
        recordingEnd: null,
      },
      extra_files: [],
      meeting,
    },
  })
  return { rec, meeting, preset }
}

/** The local copy the DOWNLOAD stage made. */
const localCopy = async (recordingId: number) => (await scope.recordings.get(recordingId))!.original_file!

const run = async (recordingId: number, extra: Record<string, unknown> = {}) => (await app.service('pipeline')).run(app.localUser, { recordingId, ...extra })
const deletionsOf = (uuid: string) => zoom.deletions.filter((d) => d.meetingUuid === uuid)
const deleteRequests = () => zoom.requests.filter((r) => r.method === 'DELETE')

describe('zoom_after_archive', () => {
  it('keeps the cloud recording by default', async () => {
    const { rec, meeting } = await zoomRecording()
    const result = await run(rec.id)
    expect(result.status).toBe('READY')
    expect(result.zoomTrash).toBeUndefined()
    expect(deletionsOf(meeting.uuid)).toEqual([])
  })

  it('moves a published, verified recording to Zoom trash (action=trash, slash UUID double-encoded), records it and shows it', async () => {
    const uuid = '/ajXp112QmuoKj4854875=='
    const { rec } = await zoomRecording({ policy: 'trash', uuid })
    const before = deleteRequests().length
    const result = await run(rec.id)
    expect(result.status).toBe('READY')
    expect(result.zoomTrash).toMatchObject({ action: 'trashed', meetingUuid: uuid })
    expect(deletionsOf(uuid)).toEqual([{ meetingUuid: uuid, fileId: null, action: 'trash' }])
    const request = deleteRequests()[before]!
    expect(request.path).toBe('/v2/meetings/%252FajXp112QmuoKj4854875%253D%253D/recordings')
    expect(request.query.get('action')).toBe('trash')

    const shown = await (await app.service('recordings')).show(app.localUser, rec.id)
    expect(shown.zoom_trash).toMatchObject({ result: 'trashed', action: 'trash', meeting_uuid: uuid, at: expect.any(String) })
    // Zoom still has it, in the trash: recoverable.
    expect(zoom.meeting(uuid)?.deleted_time).toBeDefined()

    // Once is enough: a later run (republishing) does not ask Zoom again.
    const again = await run(rec.id, { force: ['UPLOAD'] })
    expect(again.zoomTrash).toBeUndefined()
    expect(deletionsOf(uuid)).toHaveLength(1)
  })

  it('waits while a preset is not published (auto_upload off), then trashes once it is', async () => {
    const { rec, meeting, preset } = await zoomRecording({ policy: 'trash' })
    const first = await run(rec.id, { runOverride: { upload: { auto_upload: false } } })
    expect(first.zoomTrash).toEqual({ action: 'wait', reason: `not published yet to preset ${preset.id}` })
    expect(deletionsOf(meeting.uuid)).toEqual([])
    expect((await (await app.service('recordings')).show(app.localUser, rec.id)).zoom_trash).toBeUndefined()

    const second = await run(rec.id, { force: ['UPLOAD'] })
    expect(second.zoomTrash).toMatchObject({ action: 'trashed' })
    expect(deletionsOf(meeting.uuid)).toHaveLength(1)
  })

  it('never trashes when publishing failed', async () => {
    const blocker = path.join(home, 'not-a-folder')
    fs.writeFileSync(blocker, 'a file where the folder should be')
    const { rec, meeting } = await zoomRecording({ policy: 'trash', destination: blocker })
    await expect(run(rec.id)).rejects.toThrow(/could not be published/)
    expect(deletionsOf(meeting.uuid)).toEqual([])
  })

  it('waits when the local copy no longer has the size verified at download', async () => {
    // Trimmed: republishing then sends the processed file, and the missing original is only the policy's business.
    const { rec, meeting } = await zoomRecording({ policy: 'trash', trim: true })
    await run(rec.id, { runOverride: { upload: { auto_upload: false } } })
    const file = await localCopy(rec.id)
    expect(fs.readFileSync(file).equals(clip)).toBe(true)
    fs.truncateSync(file, 1000)
    const result = await run(rec.id, { force: ['UPLOAD'] })
    expect(result.zoomTrash).toMatchObject({ action: 'wait', reason: expect.stringContaining('1000 bytes') })
    fs.rmSync(file)
    expect((await run(rec.id, { force: ['UPLOAD'] })).zoomTrash).toEqual({ action: 'wait', reason: 'the local copy is missing' })
    expect(deletionsOf(meeting.uuid)).toEqual([])
  })

  it('reports a refused trash without failing the run, and tries again on the next run', async () => {
    const { rec, meeting } = await zoomRecording({ policy: 'trash' })
    zoom.inject('DELETE /v2/meetings', zoomError(403, 4711, 'Invalid access token, does not contain scopes:[cloud_recording:delete].'))
    const events: Array<{ type: string; level?: string; message?: string }> = []
    const result = await (await app.service('pipeline')).run(app.localUser, { recordingId: rec.id }, { onEvent: (e) => events.push(e as never) })
    expect(result.status).toBe('READY')
    expect(result.zoomTrash).toMatchObject({ action: 'failed', reason: expect.stringContaining('recording:write'), hint: expect.stringContaining('recflow auth zoom') })
    expect(events.some((e) => e.type === 'log' && e.level === 'warn' && e.message?.includes('not moved to the trash'))).toBe(true)
    expect((await (await app.service('recordings')).show(app.localUser, rec.id)).zoom_trash).toBeUndefined()
    expect(JSON.stringify(result)).not.toContain(ZOOM_TEST_TOKEN)

    expect((await run(rec.id, { force: ['UPLOAD'] })).zoomTrash).toMatchObject({ action: 'trashed' })
    expect(deletionsOf(meeting.uuid)).toHaveLength(1)
  })

  it('records a meeting Zoom no longer has as gone', async () => {
    const { rec, meeting } = await zoomRecording({ policy: 'trash' })
    zoom.inject('DELETE /v2/meetings', zoomError(404, 3301, 'This recording does not exist.'))
    const result = await run(rec.id)
    expect(result.zoomTrash).toMatchObject({ action: 'gone', meetingUuid: meeting.uuid })
    expect((await (await app.service('recordings')).show(app.localUser, rec.id)).zoom_trash).toMatchObject({ result: 'gone' })
  })

  it('never asked Zoom for a permanent delete, and every copy it trashed was downloaded from Zoom first', () => {
    expect(deleteRequests().length).toBeGreaterThan(0)
    expect(deleteRequests().every((r) => r.query.get('action') === 'trash')).toBe(true)
    const downloaded = new Set(storage.requests.filter((r) => r.host === 'storage').map((r) => r.path.split('/').pop()))
    for (const d of zoom.deletions) expect(downloaded.has(zoom.meeting(d.meetingUuid)!.recording_files[0]!.id)).toBe(true)
  })
})
