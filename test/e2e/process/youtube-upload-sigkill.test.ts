import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../src/app.js'
import { loadRuntimeEnv } from '../../../src/platform/config.js'
import { forUser } from '../../../src/db/index.js'
import { removeDir } from '../../fixtures/media/generate.js'
import { startYoutubeFake, type YoutubeFake } from '../../fakes/youtube.js'
import { tempHome } from '../../support/cli.js'
import { readyToPublish, seedYoutubeCredential } from '../../support/publish-ready.js'
import { randomUploadFiles } from '../../support/upload-files.js'
import { startCli } from '../pipeline/pipeline-fixture.js'

/*
 * "SIGKILL at about 60 % of an upload, then `recflow run`: the upload completes re-sending at most one chunk the
 * server had committed; the fake's assembled file has the source's SHA-256." The process is the point: a killed
 * recflow runs no cleanup, so all the next run has is the checkpoint in target_meta (session URI and committed
 * offset, written before each next chunk). The fake answers each chunk 40 ms after keeping it, so the kill lands
 * mid-upload; the second run (in-process: the run service the command calls, without a second spawn) asks the
 * session for its status first and sends only what the server does not hold.
 */

const TOKEN = 'ya29.sigkill-test-token'
const CHUNK = 256 * 1024
const SIZE = 12 * CHUNK + 4321 // 13 chunks

const runtimeEnv = (home: string, extra: Record<string, string> = {}) =>
  loadRuntimeEnv({ RECFLOW_HOME: home, HOME: home, PATH: process.env.PATH ?? '', RECFLOW_SECRET_STORE: 'file', ...extra })

describe('recflow run killed with SIGKILL while a YouTube upload is in flight', () => {
  let home: string
  let yt: YoutubeFake
  let files: ReturnType<typeof randomUploadFiles>
  let recordingId: number

  beforeAll(async () => {
    home = tempHome('recflow-ytkill-')
    yt = await startYoutubeFake({ tokens: [TOKEN], chunkDelayMs: 40 })
    files = randomUploadFiles('recflow-ytkill-media-', SIZE)
    const app = await createApp(runtimeEnv(home))
    try {
      await (await app.service('config')).set(app.localUser, 'upload.youtube_chunk_mib', '0.25')
      const credential_id = await seedYoutubeCredential(app, TOKEN)
      const preset = await (await app.service('presets')).create(app.localUser, {
        name: 'Channel',
        platform: 'youtube',
        credential_id,
        preset_metadata: { title_template: 'Lecture 9: crash safety' },
      })
      ;({ recordingId } = await readyToPublish(app, { name: 'Lecture 9', mediaFile: files.media, presetIds: [preset.id] }))
    } finally {
      await app.close()
    }
  }, 60_000)

  afterAll(async () => {
    await yt?.close()
    if (files) fs.rmSync(files.dir, { recursive: true, force: true })
    if (home) removeDir(home)
  })

  it('resumes from the committed byte: one session, one video, the source SHA-256, at most one chunk sent twice', { timeout: 60_000 }, async () => {
    const first = startCli(['run'], { home, env: yt.env })
    const until = Date.now() + 30_000
    while (yt.chunkBytesReceived() < SIZE * 0.6) {
      if (Date.now() > until || yt.videos.length > 0) throw new Error(`no kill point reached\nstdout: ${first.stdout()}\nstderr: ${first.stderr()}`)
      await new Promise((r) => setTimeout(r, 5))
    }
    process.kill(-first.pid, 'SIGKILL')
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' })
    expect(yt.videos).toHaveLength(0)
    const receivedBeforeKill = yt.chunkBytesReceived()
    expect(receivedBeforeKill).toBeLessThan(SIZE * 0.8)

    yt.chunkDelayMs = 0
    const logFrom = yt.log.length
    const app = await createApp(runtimeEnv(home, yt.env))
    try {
      // What survived the kill: the session and an offset, in target_meta.
      const [target] = (await forUser(app.database.db, app.localUser.id).targets.list({ recording_id: recordingId })).items
      expect(target).toMatchObject({ status: 'UPLOADING', target_meta: { checkpoint: { sessionUrl: expect.any(String), totalBytes: SIZE } } })
      // At most the chunk in flight and the one whose answer the fake was still holding back are not in it.
      const stored = (target!.target_meta as { checkpoint: { committedBytes: number } }).checkpoint.committedBytes
      expect(stored).toBeGreaterThanOrEqual(receivedBeforeKill - 2 * CHUNK)
      // `recflow run` again (the service the command calls; the process is not the point any more).
      const second = await (await app.service('run')).run(app.localUser, {})
      expect(second.recordings).toMatchObject([{ recordingId, state: 'succeeded' }])
    } finally {
      await app.close()
    }

    expect(yt.sessionsCreated()).toBe(1)
    expect(yt.videos).toHaveLength(1)
    expect(await yt.videos[0]!.sha256()).toBe(files.mediaSha)
    // The resumed run asked where the session stood before sending any byte.
    const resumed = yt.log.slice(logFrom).filter((e) => e.route === 'status' || e.route === 'chunk')
    expect(resumed[0]).toMatchObject({ route: 'status' })
    const firstResent = resumed.find((e) => e.route === 'chunk')!
    expect(firstResent.start).toBeGreaterThanOrEqual(SIZE * 0.6 - CHUNK)
    // Every byte went over once, but for at most one chunk (one in flight when the process died).
    expect(yt.chunkBytesReceived() - SIZE).toBeLessThanOrEqual(CHUNK)
    expect(yt.chunkBytesReceived()).toBeGreaterThan(receivedBeforeKill)
  })
})
