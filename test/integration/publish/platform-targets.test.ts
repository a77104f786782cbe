import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../../src/app.js'
import type { RecflowEvent } from '../../../src/domain/events.js'
import { loadRuntimeEnv } from '../../../src/platform/config.js'
import { silentLogger } from '../../../src/platform/logger.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'
import { startVkApiFake, VK_FAKE_TOKEN, type VkApiFake } from '../../fakes/vk-api.js'
import { startYoutubeFake, type YoutubeFake } from '../../fakes/youtube.js'
import { markStagesDone, readyToPublish, seedVkCredential, seedYoutubeCredential } from '../../support/publish-ready.js'
import { runCommandInProcess } from '../../support/run-in-process.js'
import { randomUploadFiles } from '../../support/upload-files.js'

/*
 * YouTube and VK targets end to end: `recflow run` publishes a recording through the real uploaders against the
 * strict fakes, the video id lands in target_meta, the URL in `recordings show --json`, and the recording is READY.
 * Exactly once: no path (a failed attempt retried, a connection lost after the last byte, two runs at once, reset
 * + run) makes a second platform video. Quota: YouTube stops for the credential until the reset time, the other
 * platforms go on, and a run before the reset does not call YouTube. Small random files, 256 KiB chunks, a 1 ms
 * backoff unit.
 */

const YT_TOKEN = 'ya29.targets-test-token'
const CHUNK = 256 * 1024
const SIZE = 4 * CHUNK + 1000 // five chunks, the last one short

let home: string
let app: App
let yt: YoutubeFake
let vk: VkApiFake
let env: Record<string, string>
let media: string
let mediaSha: string
let ytCred: number
let vkCred: number
let n = 0

beforeAll(async () => {
  home = makeTempDir()
  yt = await startYoutubeFake({ tokens: [YT_TOKEN] })
  vk = await startVkApiFake()
  env = { ...yt.env, RECFLOW_VK_API_URL: vk.apiUrl }
  app = await createApp(loadRuntimeEnv({ RECFLOW_HOME: home, HOME: home, PATH: process.env.PATH ?? '', RECFLOW_SECRET_STORE: 'file', ...env }), {
    logger: silentLogger,
    uploadRetryBaseMs: 1,
  })
  ;({ media, mediaSha } = randomUploadFiles('recflow-targets-', SIZE))
  await (await app.service('config')).set(app.localUser, 'upload.youtube_chunk_mib', '0.25')
  ytCred = await seedYoutubeCredential(app, YT_TOKEN)
  vkCred = await seedVkCredential(app, VK_FAKE_TOKEN)
})

afterAll(async () => {
  await app?.close()
  await yt?.close()
  await vk?.close()
  if (media) fs.rmSync(path.dirname(media), { recursive: true, force: true })
  if (home) removeDir(home)
})

/** A preset with its own title (the fakes' videos are told apart by it). */
async function preset(platform: 'youtube' | 'vk' | 'local', opts: { credentialId?: number } = {}) {
  const id = ++n
  const credential_id = opts.credentialId ?? (platform === 'youtube' ? ytCred : platform === 'vk' ? vkCred : undefined)
  const title = `Lecture ${id}`
  const preset_metadata = platform === 'local' ? { destination: path.join(home, `out-${id}`) } : { title_template: title }
  const p = await (await app.service('presets')).create(app.localUser, { name: `${platform} ${id}`, platform, credential_id, preset_metadata })
  return { id: p.id, title }
}

const recordingFor = (presetIds: number[]) => readyToPublish(app, { name: `Recording ${++n}`, mediaFile: media, presetIds })
const run = async (recordingId: number) => (await app.service('run')).run(app.localUser, { recordingIds: [recordingId] })
const targetsOf = async (scope: Awaited<ReturnType<typeof recordingFor>>['scope'], recordingId: number) =>
  (await scope.targets.list({ recording_id: recordingId })).items
const youtubeVideos = (title: string) => yt.videos.filter((v) => v.resource.snippet.title === title)
const vkVideos = (title: string) => vk.live().filter((v) => v.title === title)
/** A chunk fault that changes nothing: the fake keeps the whole 256 KiB chunk (faults are consumed in order). */
const asUsual = { shortRange: CHUNK }

describe('YouTube and VK targets through recflow run', () => {
  it('publishes to YouTube: the video id in target_meta, the URL in show --json, READY', async () => {
    const p = await preset('youtube')
    const { scope, recordingId } = await recordingFor([p.id])
    const res = await runCommandInProcess(['run', '--recording', String(recordingId), '--json'], { home, env })
    expect(res.code, res.stderr).toBe(0)
    const videos = youtubeVideos(p.title)
    expect(videos).toHaveLength(1)
    expect(await videos[0]!.sha256()).toBe(mediaSha)
    const url = `https://www.youtube.com/watch?v=${videos[0]!.id}`
    expect(await targetsOf(scope, recordingId)).toMatchObject([{ status: 'UPLOADED', target_meta: { video_id: videos[0]!.id, url } }])
    const show = await runCommandInProcess(['recordings', 'show', String(recordingId), '--json'], { home, env })
    expect(show.json.data).toMatchObject({ status: 'READY' })
    expect(JSON.stringify(show.json.data)).toContain(url)
    // `recordings upload` forces UPLOAD, yet an uploaded YouTube target is not sent again: its URL is reported.
    const sessions = yt.sessionsCreated()
    const again = await runCommandInProcess(['recordings', 'upload', String(recordingId), '--preset', String(p.id), '--json'], { home, env })
    expect(again.code, again.stdout + again.stderr).toBe(0)
    expect(JSON.stringify(again.json.data)).toContain(url)
    expect(yt.sessionsCreated()).toBe(sessions)
    expect(youtubeVideos(p.title)).toHaveLength(1)
  })

  it('publishes to VK: the video id and URL stored, READY', async () => {
    const p = await preset('vk')
    const { scope, recordingId } = await recordingFor([p.id])
    const res = await runCommandInProcess(['run', '--recording', String(recordingId), '--json'], { home, env })
    expect(res.code, res.stderr).toBe(0)
    const live = vkVideos(p.title)
    expect(live).toHaveLength(1)
    expect(live[0]!.file?.sha256).toBe(mediaSha)
    const url = `https://vk.com/video${live[0]!.ownerId}_${live[0]!.id}`
    expect(await targetsOf(scope, recordingId)).toMatchObject([{ status: 'UPLOADED', target_meta: { video_id: String(live[0]!.id), url } }])
    const show = await runCommandInProcess(['recordings', 'show', String(recordingId), '--json'], { home, env })
    expect(show.json.data).toMatchObject({ status: 'READY' })
    expect(JSON.stringify(show.json.data)).toContain(url)
  })
})

describe('exactly one platform video per target', () => {
  it('a failed attempt retried with retry-upload resumes the same session from the committed byte', async () => {
    const p = await preset('youtube')
    const { scope, recordingId } = await recordingFor([p.id])
    // The third chunk is refused outright (not retryable): the target fails holding a session with two chunks in it.
    yt.inject('chunk', asUsual, asUsual, { status: 400, reason: 'badRequest', message: 'injected refusal' })
    expect((await run(recordingId)).recordings[0]).toMatchObject({ state: 'failed' })
    expect(await targetsOf(scope, recordingId)).toMatchObject([{ status: 'FAILED', target_meta: { checkpoint: { committedBytes: 2 * CHUNK } } }])
    const sessions = yt.sessionsCreated()
    const received = yt.chunkBytesReceived()
    const targets = await (await app.service('recordings')).uploadSelection(app.localUser, recordingId, { failedOnly: true })
    const events: RecflowEvent[] = []
    const again = await (await app.service('run')).run(app.localUser, { recordingIds: [recordingId], targets }, { onEvent: (e) => events.push(e) })
    expect(again.recordings[0]).toMatchObject({ state: 'succeeded' })
    const progress = events.filter((e) => e.type === 'progress' && e.stage === 'UPLOAD')
    expect(progress.at(-1)).toMatchObject({ bytes: SIZE, totalBytes: SIZE, percent: 100 })
    expect(yt.sessionsCreated()).toBe(sessions)
    expect(yt.chunkBytesReceived() - received).toBe(SIZE - 2 * CHUNK)
    expect(youtubeVideos(p.title)).toHaveLength(1)
    expect(await youtubeVideos(p.title)[0]!.sha256()).toBe(mediaSha)
  })

  it('a connection lost after the last byte: the session status gives the video, none is uploaded again', async () => {
    const p = await preset('youtube')
    const { scope, recordingId } = await recordingFor([p.id])
    yt.inject('chunk', asUsual, asUsual, asUsual, asUsual, { drop: 'after-commit' })
    const sessions = yt.sessionsCreated()
    expect((await run(recordingId)).recordings[0]).toMatchObject({ state: 'succeeded' })
    const videos = youtubeVideos(p.title)
    expect(videos).toHaveLength(1)
    expect(yt.sessionsCreated()).toBe(sessions + 1)
    expect(await targetsOf(scope, recordingId)).toMatchObject([{ status: 'UPLOADED', target_meta: { video_id: videos[0]!.id } }])
  })

  it('VK: a connection lost after the whole file was received: video.get finds it, nothing is uploaded again', async () => {
    const p = await preset('vk')
    const { scope, recordingId } = await recordingFor([p.id])
    vk.dropAfterUpload()
    const uploads = vk.uploads.length
    expect((await run(recordingId)).recordings[0]).toMatchObject({ state: 'succeeded' })
    expect(vk.uploads.length).toBe(uploads + 1)
    expect(vkVideos(p.title)).toHaveLength(1)
    expect(vk.calls.filter((c) => c.method === 'video.save' && c.params.name === p.title)).toHaveLength(1)
    expect(await targetsOf(scope, recordingId)).toMatchObject([{ status: 'UPLOADED', target_meta: { video_id: String(vkVideos(p.title)[0]!.id) } }])
  })

  it('two runs at once publish once', async () => {
    const yp = await preset('youtube')
    const vp = await preset('vk')
    const { scope, recordingId } = await recordingFor([yp.id, vp.id])
    yt.chunkDelayMs = 5
    try {
      const [a, b] = await Promise.all([run(recordingId), run(recordingId)])
      expect([a.recordings[0]!.state, b.recordings[0]!.state]).toEqual(['succeeded', 'succeeded'])
    } finally {
      yt.chunkDelayMs = 0
    }
    expect(youtubeVideos(yp.title)).toHaveLength(1)
    expect(vkVideos(vp.title)).toHaveLength(1)
    expect((await targetsOf(scope, recordingId)).map((t) => t.status)).toEqual(['UPLOADED', 'UPLOADED'])
  })

  it('reset + run does not publish again (the fakes count one video each)', async () => {
    const yp = await preset('youtube')
    const vp = await preset('vk')
    const { scope, recordingId } = await recordingFor([yp.id, vp.id])
    expect((await run(recordingId)).recordings[0]).toMatchObject({ state: 'succeeded' })
    const sessions = yt.sessionsCreated()
    const vkCalls = vk.calls.length
    await (await app.service('recordings')).reset(app.localUser, recordingId)
    await markStagesDone(scope, recordingId, media)
    expect((await run(recordingId)).recordings[0]).toMatchObject({ state: 'succeeded' })
    expect(yt.sessionsCreated()).toBe(sessions)
    expect(vk.calls.length).toBe(vkCalls)
    expect(youtubeVideos(yp.title)).toHaveLength(1)
    expect(vkVideos(vp.title)).toHaveLength(1)
    expect((await scope.recordings.get(recordingId))!.status).toBe('READY')
  })
})

describe('YouTube quota', () => {
  it("stops YouTube for the credential until the reset, other platforms go on, and a run before then does not call YouTube", async () => {
    // A credential of its own: the stop is remembered on it, and the other tests' uploads must not meet it.
    const credentialId = await seedYoutubeCredential(app, YT_TOKEN, 'Quota channel')
    const y1 = await preset('youtube', { credentialId })
    const y2 = await preset('youtube', { credentialId })
    const vp = await preset('vk')
    const lp = await preset('local')
    const { scope, recordingId } = await recordingFor([y1.id, y2.id, vp.id, lp.id])
    const limit = yt.quotaLimit
    yt.quotaLimit = yt.quotaUsed // the next videos.insert exceeds it
    try {
      const inits = () => yt.log.filter((e) => e.route === 'init').length
      const before = yt.log.length
      const initsBefore = inits()
      expect((await run(recordingId)).recordings[0]).toMatchObject({ state: 'failed' })
      expect(inits()).toBe(initsBefore + 1) // the second YouTube target was not tried
      const byPreset = new Map((await targetsOf(scope, recordingId)).map((t) => [t.preset_id, t]))
      for (const id of [y1.id, y2.id]) {
        expect(byPreset.get(id)).toMatchObject({ status: 'FAILED', failed_reason: expect.stringMatching(/^YouTube quota exhausted until \d{4}-\d\d-\d\d \d\d:\d\d UTC/) })
      }
      expect(byPreset.get(vp.id)).toMatchObject({ status: 'UPLOADED' })
      expect(byPreset.get(lp.id)).toMatchObject({ status: 'UPLOADED' })
      expect(vkVideos(vp.title)).toHaveLength(1)

      const seen = yt.log.length
      expect((await run(recordingId)).recordings[0]).toMatchObject({ state: 'failed' })
      expect(yt.log.length).toBe(seen)
      expect(seen).toBeGreaterThan(before)
      expect(vkVideos(vp.title)).toHaveLength(1)
    } finally {
      yt.quotaLimit = limit
    }
  })
})

describe('recordings retry-upload --platform', () => {
  it('retries only the failed targets of that platform', async () => {
    const yp = await preset('youtube')
    const vp = await preset('vk')
    const { scope, recordingId } = await recordingFor([yp.id, vp.id])
    yt.inject('init', { status: 400, reason: 'invalidTitle', message: 'injected' })
    vk.failNext('video.save', 14)
    expect((await run(recordingId)).recordings[0]).toMatchObject({ state: 'failed' })
    expect((await targetsOf(scope, recordingId)).map((t) => t.status)).toEqual(['FAILED', 'FAILED'])
    const vkCalls = vk.calls.length
    const res = await runCommandInProcess(['recordings', 'retry-upload', String(recordingId), '--platform', 'youtube', '--json'], { home, env })
    expect(res.code, res.stdout + res.stderr).toBe(0)
    const byPreset = new Map((await targetsOf(scope, recordingId)).map((t) => [t.preset_id, t.status]))
    expect(byPreset.get(yp.id)).toBe('UPLOADED')
    expect(byPreset.get(vp.id)).toBe('FAILED')
    expect(vk.calls.length).toBe(vkCalls)
    expect(youtubeVideos(yp.title)).toHaveLength(1)
    expect((await scope.recordings.get(recordingId))!.status).not.toBe('READY')
    const show = await runCommandInProcess(['recordings', 'show', String(recordingId)], { home, env })
    expect(show.stdout).toContain(`https://www.youtube.com/watch?v=${youtubeVideos(yp.title)[0]!.id}`)
    expect(show.stdout).toMatch(/captcha/i)
  })
})
