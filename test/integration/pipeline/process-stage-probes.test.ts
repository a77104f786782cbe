import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../../src/app.js'
import { forUser } from '../../../src/db/index.js'
import { loadRuntimeEnv } from '../../../src/platform/config.js'
import { silentLogger } from '../../../src/platform/logger.js'
import { makeClip, makeTempDir, removeDir, systemOrBundledTools } from '../../fixtures/media/generate.js'
import { countingTool } from '../../support/counting-tool.js'

/*
 * Every ffprobe of a long MP4 parses its whole index first (~0.3 s of CPU for an hour of 720p), so the process
 * stage asks it twice, not three times: the probe, then the opening keyframes and the truncation check in one
 * read. Counted through a wrapper that logs each ffprobe run and hands it to the real one.
 */

let home: string
let app: App
let clip: string
let ffprobeRuns: () => string[]

beforeAll(async () => {
  home = makeTempDir()
  const tools = await systemOrBundledTools()
  clip = makeClip(tools, path.join(home, 'lecture.mp4'), { durationS: 30, tones: [{ start: 6, end: 24 }] })
  const wrapper = countingTool(home, 'ffprobe-wrapper.sh', tools.ffprobe.path)
  ffprobeRuns = wrapper.runs
  app = await createApp(
    loadRuntimeEnv({ RECFLOW_HOME: home, PATH: process.env.PATH, RECFLOW_SECRET_STORE: 'file', RECFLOW_FFPROBE_PATH: wrapper.path }),
    { logger: silentLogger },
  )
}, 60_000)

afterAll(async () => {
  await app?.close()
  removeDir(home)
})

describe('the process stage', () => {
  it('runs ffprobe twice for an edges trim of a video: the probe, then keyframes and the tail in one read', { timeout: 60_000 }, async () => {
    const scope = forUser(app.database.db, app.localUser.id)
    const rec = await scope.recordings.create({
      display_name: 'Probed',
      start_time: '2026-03-02T09:00:00Z',
      duration: 30,
      status: 'INITIALIZED',
      original_file: clip,
      size_bytes: fs.statSync(clip).size,
    })
    // DOWNLOAD first (it may probe a file sync left unprobed); only PROCESS's runs are counted.
    await (await app.service('pipeline')).run(app.localUser, { recordingId: rec.id, stopAfter: 'DOWNLOAD' })
    const before = ffprobeRuns().length
    const result = await (await app.service('pipeline')).run(app.localUser, { recordingId: rec.id, stopAfter: 'PROCESS' })
    expect(result.stages.find((s) => s.stage === 'PROCESS')).toMatchObject({ outcome: 'completed' })
    const runs = ffprobeRuns().slice(before).filter((l) => !l.includes('-version'))
    expect(runs).toHaveLength(2)
    expect(runs[0]).toContain('-show_streams')
    expect(runs[1]).toMatch(/-read_intervals \S+,\S+ .*duration_time/)
  })
})
