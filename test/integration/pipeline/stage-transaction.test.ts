import BetterSqlite3 from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../../src/app.js'
import { forUser } from '../../../src/db/index.js'
import { loadRuntimeEnv } from '../../../src/platform/config.js'
import { silentLogger } from '../../../src/platform/logger.js'
import { makeClip, makeTempDir, removeDir, systemOrBundledTools } from '../../fixtures/media/generate.js'

let home: string
let app: App
let clip: string

beforeAll(async () => {
  home = makeTempDir()
  clip = makeClip(await systemOrBundledTools(), path.join(home, 'lecture.mp4'), { durationS: 6, tones: [{ start: 1, end: 5 }] })
  app = await createApp(loadRuntimeEnv({ RECFLOW_HOME: home, PATH: process.env.PATH, RECFLOW_SECRET_STORE: 'file' }), { logger: silentLogger })
}, 60_000)

afterAll(async () => {
  await app?.close()
  removeDir(home)
})

describe('a stage that finishes', () => {
  it('writes its completion, processed_file and the recording status together: a failing status write leaves none of them', async () => {
    const scope = forUser(app.database.db, app.localUser.id)
    const rec = await scope.recordings.create({
      display_name: 'Atomic',
      start_time: '2026-03-02T09:00:00Z',
      duration: 6,
      status: 'INITIALIZED',
      original_file: clip,
      size_bytes: fs.statSync(clip).size,
    })
    // The database refuses the PROCESSED status (as a full disk would refuse the write), in another connection.
    const raw = new BetterSqlite3(app.env.dbPath)
    raw.exec(`CREATE TRIGGER refuse_processed BEFORE UPDATE OF status ON recordings
      WHEN NEW.status = 'PROCESSED' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`)
    raw.close()

    const error = await (await app.service('pipeline')).run(app.localUser, { recordingId: rec.id, stopAfter: 'PROCESS' }).catch((e: Error) => e)
    // The original error surfaces, not one from the bookkeeping that followed it.
    expect((error as Error).message).toContain('refused by the test')

    const stored = (await scope.recordings.get(rec.id))!
    expect(stored.processed_file).toBeNull()
    expect(stored.status).not.toBe('PROCESSED')
    const process = (await scope.stages.list({ recording_id: rec.id })).items.find((s) => s.stage_type === 'PROCESS')!
    expect(process.status).toBe('FAILED')
    expect(process.failed_reason).toContain('refused by the test')
  })
})
