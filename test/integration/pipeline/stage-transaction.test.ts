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

describe('a stage that fails', () => {
  it('surfaces its own error when recording the failure fails too (the write in the catch never hides it)', async () => {
    const scope = forUser(app.database.db, app.localUser.id)
    const gone = path.join(home, 'moved-away.mp4')
    const rec = await scope.recordings.create({ display_name: 'Gone', start_time: '2026-03-02T09:00:00Z', status: 'INITIALIZED', original_file: gone })
    // The database refuses to mark a stage FAILED (as a full disk would refuse the write), in another connection.
    const raw = new BetterSqlite3(app.env.dbPath)
    raw.exec(`CREATE TRIGGER refuse_failed BEFORE UPDATE OF status ON processing_stages
      WHEN NEW.status = 'FAILED' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`)
    raw.close()
    try {
      const error = await (await app.service('pipeline')).run(app.localUser, { recordingId: rec.id }).catch((e: Error) => e)
      expect((error as Error).message).toBe(`the media file ${gone} is gone`)
      const download = (await scope.stages.list({ recording_id: rec.id })).items.find((s) => s.stage_type === 'DOWNLOAD')!
      expect(download.status).toBe('IN_PROGRESS')
    } finally {
      const undo = new BetterSqlite3(app.env.dbPath)
      undo.exec('DROP TRIGGER refuse_failed')
      undo.close()
    }
  })
})

describe('a media file that cannot be stat\'ed', () => {
  it('is said to be unreadable, with the reason, not gone (only ENOENT means gone)', async () => {
    const scope = forUser(app.database.db, app.localUser.id)
    const loop = path.join(home, 'loop.mp4')
    fs.symlinkSync('loop.mp4', loop) // a link to itself: stat fails with ELOOP
    const rec = await scope.recordings.create({ display_name: 'Loop', start_time: '2026-03-02T09:00:00Z', status: 'INITIALIZED', original_file: loop })
    const error = await (await app.service('pipeline')).run(app.localUser, { recordingId: rec.id }).catch((e: Error & { hint?: string }) => e)
    expect((error as Error).message).toBe(`the media file ${loop} cannot be read (ELOOP)`)
    expect((error as Error).message).not.toMatch(/gone/)
  })
})
