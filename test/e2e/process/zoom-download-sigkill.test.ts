import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../src/app.js'
import { loadRuntimeEnv } from '../../../src/platform/config.js'
import { makeClip, removeDir, systemOrBundledTools } from '../../fixtures/media/generate.js'
import { startZoomApiFake, zoomMeeting, type ZoomApiFake } from '../../fakes/zoom-api.js'
import { startZoomStorageFake, type ZoomStorageFake } from '../../fakes/zoom-storage.js'
import { runCli, tempHome } from '../../support/cli.js'
import { seedOAuthCredential } from '../../support/oauth.js'
import { describeRun, mediaDir, setupLocalPipeline, startCli } from '../pipeline/pipeline-fixture.js'

/*
 * "SIGKILL mid-download, then `recflow run`: it resumes and yields the exact bytes." The process is the point: a
 * killed recflow runs no cleanup, so what survives is what was on disk. `recflow run` syncs the Zoom source
 * (against the Zoom API fake), and downloads the recording it made from the storage fake, slowed down so it can
 * be killed part-way; the second `recflow run` must ask for the rest with Range from the partial file's size.
 */

const TOKEN = 'zoom-sigkill-token'

describe('recflow run killed with SIGKILL while DOWNLOAD fetches a Zoom recording', () => {
  let home: string
  let api: ZoomApiFake
  let storage: ZoomStorageFake
  let clip: Buffer
  let fileId: string
  let env: Record<string, string>

  beforeAll(async () => {
    home = tempHome('recflow-zoomdl-')
    storage = await startZoomStorageFake({ tokens: [TOKEN] })
    api = await startZoomApiFake({ tokens: [TOKEN], downloadBaseUrl: `${storage.webUrl}/rec/download` })
    const media = makeClip(await systemOrBundledTools(), path.join(home, 'zoom-lecture.mp4'), { durationS: 30, tones: [{ start: 1, end: 29 }] })
    clip = fs.readFileSync(media)
    fs.rmSync(media)
    const meeting = zoomMeeting({
      topic: 'Lecture 7: Resumable downloads',
      startTime: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      durationMin: 1,
      files: [{ kind: 'shared_screen_with_speaker_view', size: clip.length }],
    })
    fileId = meeting.recording_files[0]!.id
    storage.addFile(fileId, clip)
    api.addMeetings('me', [meeting])

    await setupLocalPipeline(home, { inbox: null, destination: path.join(home, 'published'), keyword: 'Lecture' })
    const app = await createApp(loadRuntimeEnv({ RECFLOW_HOME: home, HOME: home, PATH: process.env.PATH ?? '', RECFLOW_SECRET_STORE: 'file' }))
    try {
      const credentialId = await seedOAuthCredential(app, {
        platform: 'zoom',
        accessToken: TOKEN,
        refreshToken: 'zoom-sigkill-refresh',
        expiresAt: new Date(Date.now() + 3_600_000),
        clientId: 'zoom-client',
        clientSecret: 'zoom-secret',
        accountName: 'lecturer@example.edu',
      })
      await (await app.service('sources')).create(app.localUser, { name: 'zoom', platform: 'zoom', credential_id: credentialId, config: {} })
    } finally {
      await app.close()
    }
    env = { RECFLOW_ZOOM_API_URL: `${api.url}/v2` }
  }, 120_000)

  afterAll(async () => {
    await storage?.close()
    await api?.close()
    removeDir(home)
  })

  it('resumes from the partial file with Range and ends with the exact bytes', { timeout: 180_000 }, async () => {
    // ~12 s for the whole file: the kill (at 30 %, looked at every 50 ms) lands well inside it.
    storage.throttle(Math.ceil(clip.length / 12))
    const first = startCli(['run'], { home, env })
    const dir = mediaDir(home, 1)
    const partialSize = () => {
      const name = fs.existsSync(dir) ? fs.readdirSync(dir).find((n) => n.endsWith('.download')) : undefined
      return name === undefined ? -1 : fs.statSync(path.join(dir, name)).size
    }
    const until = Date.now() + 60_000
    while (partialSize() < clip.length * 0.3) {
      if (Date.now() > until) throw new Error(`no partial download after 60 s\nstdout: ${first.stdout()}\nstderr: ${first.stderr()}`)
      await new Promise((r) => setTimeout(r, 50))
    }
    process.kill(-first.pid, 'SIGKILL')
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' })
    const kept = partialSize()
    expect(kept).toBeGreaterThanOrEqual(clip.length * 0.3)
    expect(kept).toBeLessThan(clip.length)
    expect(fs.existsSync(path.join(dir, 'source.mp4'))).toBe(false)

    storage.throttle(undefined)
    storage.requests.length = 0
    const second = await runCli(['run', '--json'], { home, env, timeoutMs: 150_000 })
    expect(second.code, describeRun(['run'], second)).toBe(0)
    expect(second.json).toMatchObject({ ok: true, data: { recordings: [{ recordingId: 1, state: 'succeeded' }] } })

    const ranges = storage.requests.filter((r) => r.host === 'storage').map((r) => r.headers.range ?? null)
    expect(ranges).toEqual([`bytes=${kept}-`])
    const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex')
    expect(sha(fs.readFileSync(path.join(dir, 'source.mp4')))).toBe(sha(clip))
    expect(fs.readdirSync(dir).filter((n) => n.includes('.download'))).toEqual([])
  })
})
