import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { forUser } from '../../../src/db/index.js'
import { systemClock } from '../../../src/platform/clock.js'
import { openSecretStore } from '../../../src/platform/secrets.js'
import { saveDownloadToken, webhookDownloadToken } from '../../../src/services/zoom-webhooks/download-token.js'
import type { RecflowEvent } from '../../../src/domain/events.js'
import { makeClip, systemOrBundledTools } from '../../fixtures/media/generate.js'
import { startZoomStorageFake, type ZoomStorageFake } from '../../fakes/zoom-storage.js'
import { useTestApp } from '../../support/test-app.js'
import { seedZoomRecording, ZOOM_DOWNLOAD_TOKEN } from '../../support/zoom-recording.js'

/*
 * The DOWNLOAD stage of a Zoom recording, in-process through the pipeline service, against the storage fake:
 * a cut at 70 % resumed from the cut within the run, a cancelled run's partial file kept by the next run (which
 * deletes leftover `*.part` files) and resumed, the result ffprobe-checked and made the recording's original file.
 */

const t = useTestApp()
let storage: ZoomStorageFake
let clip: Buffer
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex')

beforeAll(async () => {
  storage = await startZoomStorageFake()
  const file = makeClip(await systemOrBundledTools(), path.join(t.home, 'zoom-source.mp4'), { durationS: 20, tones: [{ start: 1, end: 19 }] })
  clip = fs.readFileSync(file)
}, 60_000)
afterAll(async () => {
  await storage?.close()
})

const pipeline = () => t.app.service('pipeline')
const scope = () => forUser(t.app.database.db, t.app.localUser.id)
const storageRanges = (fileId: string) =>
  storage.requests.filter((r) => r.host === 'storage' && r.path.endsWith(`/${fileId}`)).map((r) => r.headers.range ?? null)
const downloadStageOf = async (recordingId: number) => (await scope().stages.list({ recording_id: recordingId })).items.find((s) => s.stage_type === 'DOWNLOAD')!

describe('DOWNLOAD of a Zoom recording', () => {
  it('resumes a download cut at 70 % from the cut and yields the exact bytes as the original file', async () => {
    const { recording } = await seedZoomRecording(t.app, { storage, bytes: clip, fileId: 'cut70' })
    const cut = Math.floor(clip.length * 0.7)
    storage.cutAt('cut70', cut)
    const events: RecflowEvent[] = []
    const result = await (await pipeline()).run(t.app.localUser, { recordingId: recording.id, stopAfter: 'DOWNLOAD' }, { onEvent: (e) => events.push(e) })

    expect(storageRanges('cut70')).toEqual([null, `bytes=${cut}-`])
    const stored = (await scope().recordings.get(recording.id))!
    expect(stored.original_file).toBe(path.join(t.home, 'data', 'media', `user_${t.app.localUser.id}`, `rec_${recording.id}`, 'source.mp4'))
    expect(sha(fs.readFileSync(stored.original_file!))).toBe(sha(clip))
    expect(fs.readdirSync(path.dirname(stored.original_file!)).sort()).toEqual(['source.mp4'])
    expect(stored.size_bytes).toBe(clip.length)
    expect(stored.duration).toBeCloseTo(20, 0)
    expect(stored.status).toBe('DOWNLOADED')
    expect(result.stages).toEqual([expect.objectContaining({ stage: 'DOWNLOAD', outcome: 'completed' })])
    expect((await downloadStageOf(recording.id)).stage_meta).toMatchObject({ downloaded: true, zoom_file_id: 'cut70', size_bytes: clip.length })
    // Progress for the view: whole percents, with the megabytes.
    const progress = events.filter((e): e is Extract<RecflowEvent, { type: 'progress' }> => e.type === 'progress' && e.stage === 'DOWNLOAD')
    expect(progress.length).toBeGreaterThan(5)
    expect(progress.at(-1)).toMatchObject({ percent: 100 })
    expect(progress.some((e) => /of 0\.\d MB from Zoom/.test(e.message ?? ''))).toBe(true)
    // The token reached the download host only, and never the database.
    expect(storage.requests.filter((r) => r.host === 'storage').every((r) => r.headers.authorization === undefined)).toBe(true)
    expect(fs.readFileSync(t.app.env.dbPath).includes(ZOOM_DOWNLOAD_TOKEN)).toBe(false)
  })

  it('keeps a cancelled download for the next run, which resumes it with Range', async () => {
    const { recording } = await seedZoomRecording(t.app, { storage, bytes: clip, fileId: 'cancelled' })
    storage.throttle(150_000)
    const abort = new AbortController()
    const first = (await pipeline()).run(
      t.app.localUser,
      { recordingId: recording.id, stopAfter: 'DOWNLOAD' },
      { signal: abort.signal, onEvent: (e) => e.type === 'progress' && e.percent >= 30 && abort.abort() },
    )
    await expect(first).rejects.toMatchObject({ code: 'cancelled' })
    storage.throttle(undefined)
    const dir = path.join(t.home, 'data', 'media', `user_${t.app.localUser.id}`, `rec_${recording.id}`)
    const partials = fs.readdirSync(dir).filter((n) => n.endsWith('.download'))
    expect(partials).toEqual([expect.stringMatching(/^source\.mp4\.[0-9a-f]{12}\.download$/)])
    const kept = fs.statSync(path.join(dir, partials[0]!)).size
    expect(kept).toBeGreaterThan(clip.length * 0.3 - 20_000)
    expect(kept).toBeLessThan(clip.length)
    expect((await downloadStageOf(recording.id)).status).toBe('PENDING')
    // A leftover *.part beside it is removed by the next run; the download's partial file is not. A partial of
    // another Zoom file (a re-sync chose another one) is not resumed but removed.
    fs.writeFileSync(path.join(dir, 'processed.mp4.part'), 'leftover')
    fs.writeFileSync(path.join(dir, 'source.mp4.0123456789ab.download'), clip.subarray(0, kept + 1000))

    await (await pipeline()).run(t.app.localUser, { recordingId: recording.id, stopAfter: 'DOWNLOAD' })
    expect(storageRanges('cancelled')).toEqual([null, `bytes=${kept}-`])
    expect(fs.readdirSync(dir).sort()).toEqual(['source.mp4'])
    expect(sha(fs.readFileSync(path.join(dir, 'source.mp4')))).toBe(sha(clip))
    expect((await downloadStageOf(recording.id)).stage_meta).toMatchObject({ resumed_from: kept })
  })

  it('fails the stage when the file Zoom sends is not a playable recording, keeping neither file', async () => {
    const junk = crypto.randomBytes(200_000)
    const { recording } = await seedZoomRecording(t.app, { storage, bytes: junk, fileId: 'junk' })
    const err = await (await pipeline()).run(t.app.localUser, { recordingId: recording.id, stopAfter: 'DOWNLOAD' }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'validation' })
    expect((err as Error).message).toContain('not a playable recording')
    const dir = path.join(t.home, 'data', 'media', `user_${t.app.localUser.id}`, `rec_${recording.id}`)
    expect(fs.readdirSync(dir)).toEqual([])
    expect((await downloadStageOf(recording.id)).status).toBe('FAILED')
    expect((await scope().recordings.get(recording.id))!.original_file).toBeNull()
  })

  it("downloads with the meeting's webhook download_token while one is kept, then forgets it", async () => {
    const { recording } = await seedZoomRecording(t.app, { storage, bytes: clip, fileId: 'hooked' })
    const uuid = (await scope().recordings.get(recording.id))!.source_key!
    const deps = { secrets: () => openSecretStore({ preference: 'file', configDir: t.app.env.configDir, platform: process.platform }), clock: systemClock }
    storage.acceptToken('webhook-download-token')
    await saveDownloadToken(deps, t.app.localUser, uuid, 'webhook-download-token')
    storage.requests.length = 0
    await (await pipeline()).run(t.app.localUser, { recordingId: recording.id, stopAfter: 'DOWNLOAD' })
    expect(storage.requests.filter((r) => r.host === 'web').map((r) => r.headers.authorization)).toEqual(['Bearer webhook-download-token'])
    expect(await webhookDownloadToken(deps, t.app.localUser, uuid)).toBeUndefined()
  })

  it('falls back to the credential token when the download host refuses the webhook token', async () => {
    const { recording } = await seedZoomRecording(t.app, { storage, bytes: clip, fileId: 'hook-refused' })
    const uuid = (await scope().recordings.get(recording.id))!.source_key!
    const deps = { secrets: () => openSecretStore({ preference: 'file', configDir: t.app.env.configDir, platform: process.platform }), clock: systemClock }
    await saveDownloadToken(deps, t.app.localUser, uuid, 'an-expired-webhook-token')
    storage.requests.length = 0
    await (await pipeline()).run(t.app.localUser, { recordingId: recording.id, stopAfter: 'DOWNLOAD' })
    expect(storage.requests.filter((r) => r.host === 'web').map((r) => r.headers.authorization)).toEqual([
      'Bearer an-expired-webhook-token',
      `Bearer ${ZOOM_DOWNLOAD_TOKEN}`,
    ])
    const dir = path.join(t.home, 'data', 'media', `user_${t.app.localUser.id}`, `rec_${recording.id}`)
    expect(sha(fs.readFileSync(path.join(dir, 'source.mp4')))).toBe(sha(clip))
  })

  it('downloads nothing in a dry run, and says so', async () => {
    const { recording } = await seedZoomRecording(t.app, { storage, bytes: clip, fileId: 'dry' })
    storage.requests.length = 0
    const err = await (await pipeline()).run(t.app.localUser, { recordingId: recording.id, dryRun: true }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'validation', hint: `run \`recflow recordings run ${recording.id}\` to download and process it` })
    expect((err as Error).message).toContain('a dry run downloads nothing')
    expect(storage.requests).toEqual([])
  })
})
