/**
 * One measured run for the overhead benchmark, in its own process:
 *   recflow  FILE  the full `recflow run` path for one recording: durable task, worker, stage rows, status
 *                  writes, throttled progress, then the folder publisher
 *   direct   FILE  the same media work called directly (probe, silence detection, plan, trim, poster, copy)
 * Prints one JSON line {seconds}. The difference is what the queue, the database and progress cost.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createApp } from '../../src/app.js'
import { forUser } from '../../src/db/index.js'
import { assertNotTruncated, detectSilence, extractPoster, listKeyframes, locateMediaTools, planTrimForMedia, probeMedia, trimMedia } from '../../src/media/index.js'
import { loadRuntimeEnv } from '../../src/platform/config.js'
import { silentLogger } from '../../src/platform/logger.js'

const [mode, file] = process.argv.slice(2)
if ((mode !== 'recflow' && mode !== 'direct') || !file) throw new Error('usage: overhead-once.ts recflow|direct FILE')
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-bench-overhead-'))
const out = path.join(home, 'published')
try {
  const app = await createApp(loadRuntimeEnv({ RECFLOW_HOME: home, PATH: process.env.PATH, RECFLOW_SECRET_STORE: 'file' }), { logger: silentLogger })
  const t0 = performance.now()
  if (mode === 'recflow') {
    const preset = await (await app.service('presets')).create(app.localUser, { name: 'bench', platform: 'local', preset_metadata: { destination: out } })
    await (await app.service('config')).set(app.localUser, 'upload.preset_ids', String(preset.id))
    const rec = await forUser(app.database.db, app.localUser.id).recordings.create({
      display_name: 'bench',
      start_time: '2026-01-01T00:00:00Z',
      status: 'INITIALIZED',
      original_file: path.resolve(file),
      size_bytes: fs.statSync(file).size,
    })
    const result = await (await app.service('run')).run(app.localUser, { recordingIds: [rec.id] }, { onEvent: () => {} })
    if (result.recordings[0]?.state !== 'succeeded') throw new Error(JSON.stringify(result.recordings[0]))
  } else {
    const tools = await locateMediaTools({ pathEnv: process.env.PATH ?? '' })
    // The same work with the same overlaps as the PROCESS stage, minus the queue, the database and progress.
    const media = await probeMedia(tools, file, { checkTruncation: false })
    const head = { start: 0, end: Math.min(media.durationS, 600) }
    const [silences, keyframes] = await Promise.all([
      detectSilence(tools, media, { thresholdDb: -40, minSilenceS: 2 }),
      assertNotTruncated(tools, media).then(() => listKeyframes(tools, media, { windows: [head] })),
    ])
    const plan = await planTrimForMedia(tools, media, silences, { mode: 'edges', paddingBefore: 5, paddingAfter: 5, minPause: 3, margin: 0.5, maxCutRatio: 0.5 }, {
      prefetched: { span: head, keyframes },
    })
    fs.mkdirSync(out, { recursive: true })
    const [trimmed] = await Promise.all([
      trimMedia(tools, media, path.join(home, 'processed.mp4'), plan),
      extractPoster(tools, media, { atS: plan.editList.keep[0]!.start + 10, output: path.join(home, 'poster.jpg') }),
    ])
    fs.copyFileSync(trimmed.output, path.join(out, 'bench.mp4'))
    fs.copyFileSync(path.join(home, 'poster.jpg'), path.join(out, 'bench.jpg'))
  }
  const seconds = (performance.now() - t0) / 1000
  await app.close()
  process.stdout.write(JSON.stringify({ seconds }) + '\n')
} finally {
  fs.rmSync(home, { recursive: true, force: true })
}
