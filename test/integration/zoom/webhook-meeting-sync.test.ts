import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../../src/app.js'
import { forUser, type UserScope } from '../../../src/db/index.js'
import { syncPayloadSchema } from '../../../src/jobs/task-types.js'
import { loadRuntimeEnv } from '../../../src/platform/config.js'
import { silentLogger } from '../../../src/platform/logger.js'
import { startZoomApiFake, zoomMeeting, ZOOM_ME, ZOOM_TEST_TOKEN, type ZoomApiFake } from '../../fakes/zoom-api.js'
import { zoomWebhookSender } from '../../fakes/zoom-webhook-sender.js'
import { startZoomStorageFake, type ZoomStorageFake } from '../../fakes/zoom-storage.js'
import { makeClip, makeTempDir, removeDir, systemOrBundledTools } from '../../fixtures/media/generate.js'
import { seedOAuthCredential } from '../../support/oauth.js'

/*
 * Webhook to recording (issue 9, item 5): a signed `recording.completed` queues a sync task naming one meeting;
 * that task (its stored payload, through the sync service as the task handler calls it) asks Zoom for just that
 * meeting, not the listing, leaves the source's last sync time alone (the next poll's range is unchanged), and
 * the recording's DOWNLOAD uses the event's download_token.
 */

const SECRET = 'webhook-secret-token-0042'
const DOWNLOAD_TOKEN = 'dl-webhook-token-77'

let home: string
let app: App
let scope: UserScope
let zoom: ZoomApiFake
let storage: ZoomStorageFake
let sourceId: number

beforeAll(async () => {
  home = makeTempDir()
  zoom = await startZoomApiFake()
  storage = await startZoomStorageFake({ tokens: [ZOOM_TEST_TOKEN, DOWNLOAD_TOKEN] })
  app = await createApp(
    loadRuntimeEnv({ RECFLOW_HOME: home, PATH: process.env.PATH, RECFLOW_SECRET_STORE: 'file', RECFLOW_ZOOM_API_URL: `${zoom.url}/v2` }),
    { logger: silentLogger },
  )
  scope = forUser(app.database.db, app.localUser.id)
  const credentialId = await seedOAuthCredential(app, {
    platform: 'zoom',
    accessToken: ZOOM_TEST_TOKEN,
    refreshToken: 'zoom-refresh',
    expiresAt: new Date(Date.now() + 3600_000),
    clientId: 'zoom-client',
    clientSecret: 'zoom-client-secret',
    accountName: ZOOM_ME.email,
  })
  sourceId = (await scope.sources.create({ name: 'zoom', platform: 'zoom', credential_id: credentialId, config: {} })).id
  await (await app.service('credentials')).add(app.localUser, { kind: 'zoom-webhook', apiKey: SECRET })
  await (await app.service('templates')).create(app.localUser, { name: 'Physics', matching_rules: { keywords: ['Physics'] } })
}, 60_000)

afterAll(async () => {
  await app?.close()
  await zoom?.close()
  await storage?.close()
  removeDir(home)
})

describe('recording.completed -> a sync of just that meeting', () => {
  it('creates the recording of that meeting only, without a listing, and downloads it with the download_token', async () => {
    const clip = fs.readFileSync(makeClip(await systemOrBundledTools(), path.join(home, 'clip.mp4'), { durationS: 4, tones: [{ start: 1, end: 3 }] }))
    const other = zoomMeeting({ topic: 'Physics 1', startTime: '2026-03-01T09:00:00Z', files: ['shared_screen_with_speaker_view'] })
    const hooked = zoomMeeting({ topic: 'Physics 2', startTime: '2026-03-02T09:00:00Z', files: ['shared_screen_with_speaker_view', 'audio_transcript'], uuid: '/slash//uuid==' })
    const file = hooked.recording_files[0]!
    const served = storage.addFile(file.id, clip)
    Object.assign(file, served)
    zoom.addMeetings('me', [other, hooked])

    const sender = zoomWebhookSender(SECRET)
    const delivery = sender.recordingCompleted({ ...hooked, host_email: ZOOM_ME.email }, { downloadToken: DOWNLOAD_TOKEN })
    const answer = await (await app.service('zoomWebhooks')).receive(app.localUser, delivery)
    if (!('queued' in answer)) throw new Error(`nothing queued: ${JSON.stringify(answer)}`)
    const task = (await scope.tasks.get(answer.queued[0]!.taskId))!

    // What the task handler does with the stored payload.
    const payload = syncPayloadSchema.parse(task.payload)
    const result = await (await app.service('sync')).sync(app.localUser, payload)
    expect(result.sources).toEqual([expect.objectContaining({ sourceId, created: 1, matched: 1 })])
    expect(zoom.listings).toEqual([])
    expect((await scope.sources.get(sourceId))!.last_synced_at).toBeNull()
    const recordings = (await scope.recordings.list({})).items
    expect(recordings.map((r) => r.display_name)).toEqual(['Physics 2'])
    expect(recordings[0]).toMatchObject({ source_key: hooked.uuid, status: 'INITIALIZED', size_bytes: clip.length })

    await (await app.service('pipeline')).run(app.localUser, { recordingId: recordings[0]!.id, stopAfter: 'DOWNLOAD' })
    expect(storage.requests.filter((r) => r.host === 'web').map((r) => r.headers.authorization)).toEqual([`Bearer ${DOWNLOAD_TOKEN}`])
    expect(fs.readFileSync((await scope.recordings.get(recordings[0]!.id))!.original_file!).equals(clip)).toBe(true)
    expect(fs.readFileSync(app.env.dbPath).includes(DOWNLOAD_TOKEN)).toBe(false)
  })

  it('a meeting Zoom no longer has is a warning, not a failure, and writes no recording', async () => {
    const sender = zoomWebhookSender(SECRET)
    const gone = zoomMeeting({ topic: 'Physics 3', startTime: '2026-03-03T09:00:00Z' })
    const answer = await (await app.service('zoomWebhooks')).receive(app.localUser, sender.recordingCompleted(gone))
    if (!('queued' in answer)) throw new Error('nothing queued')
    const payload = syncPayloadSchema.parse((await scope.tasks.get(answer.queued[0]!.taskId))!.payload)
    const before = (await scope.recordings.list({})).items.length
    const events: Array<{ type: string; message?: string }> = []
    await (await app.service('sync')).sync(app.localUser, payload, { onEvent: (e) => events.push(e as never) })
    expect((await scope.recordings.list({})).items.length).toBe(before)
    expect(events.some((e) => e.type === 'log' && e.message?.includes('no recording of meeting'))).toBe(true)
  })
})
