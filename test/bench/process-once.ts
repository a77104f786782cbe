/**
 * One measured run of recflow's PROCESS stage (probe, silence detection, keyframe-aware edges plan, stream-copy
 * trim, poster) through the real pipeline and queue-free service call, in its own process so its peak RSS is its
 * own. Prints one JSON line: {processS, pipelineS, maxRssMB, keptS}.
 *
 *   node dist/test/bench/process-once.js FILE   (after `npx tsc -p tsconfig.json`)
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createApp } from '../../src/app.js'
import { forUser } from '../../src/db/index.js'
import { loadRuntimeEnv } from '../../src/platform/config.js'
import { silentLogger } from '../../src/platform/logger.js'

const file = process.argv[2]
if (!file) throw new Error('usage: process-once.ts FILE')
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-bench-home-'))
try {
  const app = await createApp(loadRuntimeEnv({ RECFLOW_HOME: home, PATH: process.env.PATH, RECFLOW_SECRET_STORE: 'file' }), { logger: silentLogger })
  const rec = await forUser(app.database.db, app.localUser.id).recordings.create({
    display_name: 'bench',
    start_time: '2026-01-01T00:00:00Z',
    status: 'INITIALIZED',
    original_file: path.resolve(file),
    size_bytes: fs.statSync(file).size,
  })
  let started = 0
  let processS = 0
  const t0 = performance.now()
  const result = await (await app.service('pipeline')).run(app.localUser, { recordingId: rec.id }, {
    onEvent: (e) => {
      if (e.type === 'stage-started' && e.stage === 'PROCESS') started = performance.now()
      if (e.type === 'stage-finished' && e.stage === 'PROCESS') processS = (performance.now() - started) / 1000
    },
  })
  const pipelineS = (performance.now() - t0) / 1000
  const stages = await forUser(app.database.db, app.localUser.id).stages.list({ recording_id: rec.id })
  const meta = stages.items.find((s) => s.stage_type === 'PROCESS')?.stage_meta as { keep: Array<{ start: number; end: number }> }
  await app.close()
  const keep = meta.keep[0]!
  process.stdout.write(
    JSON.stringify({ status: result.status, processS, pipelineS, maxRssMB: process.resourceUsage().maxRSS / 1024, keepStart: keep.start, keepEnd: keep.end }) + '\n',
  )
} finally {
  fs.rmSync(home, { recursive: true, force: true })
}
