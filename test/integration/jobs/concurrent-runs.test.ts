import path from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { createApp, type App } from '../../../src/app.js'
import { forUser } from '../../../src/db/index.js'
import type { RecflowEvent } from '../../../src/domain/events.js'
import { enqueue } from '../../../src/jobs/queue.js'
import { taskPayloadSchemas, taskRegistry } from '../../../src/jobs/task-types.js'
import { Worker } from '../../../src/jobs/worker.js'
import { loadRuntimeEnv } from '../../../src/platform/config.js'
import { silentLogger } from '../../../src/platform/logger.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'
import { deferred, waitFor } from './harness.js'

/* A second `recflow run` beside a running one (issue 7, item 1): it says who has the recording and waits for it. */

let home: string
let app: App
beforeEach(async () => {
  home = makeTempDir()
  app = await createApp(loadRuntimeEnv({ RECFLOW_HOME: home, PATH: process.env.PATH, RECFLOW_SECRET_STORE: 'file' }), { logger: silentLogger })
})
afterEach(async () => {
  await app.close()
  removeDir(home)
})

it('waits for a recording another run is processing, names that run\'s pid, and reports how it ended', async () => {
  const user = app.localUser
  const rec = await forUser(app.database.db, user.id).recordings.create({
    display_name: 'Lecture 3',
    start_time: '2026-03-02T09:00:00Z',
    status: 'INITIALIZED',
    original_file: path.join(home, 'lecture.mp4'),
  })
  // The first run (another terminal): it holds the recording's task until released.
  const release = deferred()
  const result = { recordingId: rec.id, displayName: 'Lecture 3', status: 'READY', failed: false, dryRun: false, stages: [], targets: [] }
  const { task } = await enqueue(app.database.db, user.id, { type: 'pipeline', payload: { recordingId: rec.id }, dedupeKey: `pipeline:${rec.id}`, recordingId: rec.id })
  const first = new Worker({
    db: app.database.db,
    registry: taskRegistry(taskPayloadSchemas, { pipeline: async () => (await release.promise, result), sync: async () => null, automation_job: async () => null }),
    pollMs: 20,
  })
  const firstRun = first.runUntilIdle({ filter: { ids: [task.id] } })
  await waitFor(async () => (await forUser(app.database.db, user.id).tasks.get(task.id))?.state === 'running')

  const events: RecflowEvent[] = []
  const second = (await app.service('run')).run(user, {}, { onEvent: (e) => events.push(e) })
  const notice = await waitFor(() => events.find((e) => e.type === 'log' && /another recflow run/.test(e.message)), 10_000)
  expect(notice).toMatchObject({ recordingId: rec.id, message: expect.stringContaining(`(pid ${process.pid}) as task ${task.id}: waiting for it`) })
  release.resolve()
  const report = await second
  await firstRun
  expect(report.recordings).toMatchObject([{ recordingId: rec.id, taskId: task.id, state: 'succeeded', result: { status: 'READY' } }])
})
