import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../../src/app.js'
import { forUser } from '../../../src/db/index.js'
import { loadRuntimeEnv } from '../../../src/platform/config.js'
import { silentLogger } from '../../../src/platform/logger.js'
import { makeClip, makeTempDir, removeDir, systemOrBundledTools } from '../../fixtures/media/generate.js'

/*
 * Re-processing a recording whose outputs exist: the processed media, its poster and its edit list are one set.
 * A run that writes them replaces all three (none of the old ones is left in place); a run that fails or is
 * cancelled leaves all three old ones whole, and no part file.
 */

let home: string
let app: App
let clip: string

beforeAll(async () => {
  home = makeTempDir()
  const tools = await systemOrBundledTools()
  // Speech from 8 s to 50 s of 60 s; the moving test pattern makes every poster time a different picture.
  clip = makeClip(tools, path.join(home, 'lecture.mp4'), { durationS: 60, tones: [{ start: 8, end: 50 }] })
  app = await createApp(loadRuntimeEnv({ RECFLOW_HOME: home, PATH: process.env.PATH, RECFLOW_SECRET_STORE: 'file' }), { logger: silentLogger })
}, 60_000)

afterAll(async () => {
  await app?.close()
  removeDir(home)
})

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')

async function processedOnce(name: string) {
  const scope = forUser(app.database.db, app.localUser.id)
  const rec = await scope.recordings.create({
    display_name: name,
    start_time: '2026-03-02T09:00:00Z',
    duration: 60,
    status: 'INITIALIZED',
    original_file: clip,
    size_bytes: fs.statSync(clip).size,
  })
  await (await app.service('pipeline')).run(app.localUser, { recordingId: rec.id, stopAfter: 'PROCESS' })
  const dir = path.join(home, 'data', 'media', `user_${app.localUser.id}`, `rec_${rec.id}`)
  const files = { processed: path.join(dir, 'processed.mp4'), poster: path.join(dir, 'poster.jpg'), editList: path.join(dir, 'edit-list.json') }
  const hashes = () => ({ processed: sha(files.processed), poster: sha(files.poster), editList: sha(files.editList) })
  return { scope, rec, dir, files, hashes, before: hashes() }
}

describe('re-processing a recording whose outputs exist', () => {
  it('replaces the processed media, the poster and the edit list together, and leaves nothing old behind', { timeout: 120_000 }, async () => {
    const r = await processedOnce('Replaced')
    const oldInode = fs.statSync(r.files.processed).ino
    const result = await (await app.service('pipeline')).run(app.localUser, {
      recordingId: r.rec.id,
      force: ['PROCESS'],
      stopAfter: 'PROCESS',
      runOverride: { processing: { padding_before: 1 } },
    })
    expect(result.stages.find((s) => s.stage === 'PROCESS')).toMatchObject({ outcome: 'completed' })
    const after = r.hashes()
    expect(after.processed).not.toBe(r.before.processed)
    expect(after.poster).not.toBe(r.before.poster)
    expect(after.editList).not.toBe(r.before.editList)
    expect(fs.statSync(r.files.processed).ino).not.toBe(oldInode)
    const meta = (await r.scope.stages.list({ recording_id: r.rec.id })).items.find((s) => s.stage_type === 'PROCESS')!.stage_meta as {
      keep: unknown
      processed_size_bytes: number
    }
    expect(JSON.parse(fs.readFileSync(r.files.editList, 'utf8')).keep).toEqual(meta.keep)
    expect(meta.processed_size_bytes).toBe(fs.statSync(r.files.processed).size)
    // Only the new set: the replaced files are gone once the run returns.
    expect(fs.readdirSync(r.dir).sort()).toEqual(['edit-list.json', 'poster.jpg', 'processed.mp4'])
  })

  it('keeps all three old outputs when the new run is cancelled while it writes (the poster was already done)', { timeout: 120_000 }, async () => {
    const r = await processedOnce('Cancelled')
    const controller = new AbortController()
    const run = (await app.service('pipeline')).run(
      app.localUser,
      // pauses re-encodes the video: slow enough to cancel half-way, long after the poster frame is written.
      { recordingId: r.rec.id, force: ['PROCESS'], stopAfter: 'PROCESS', runOverride: { processing: { trim_mode: 'pauses', padding_before: 1 } } },
      {
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'progress' && e.stage === 'PROCESS' && e.percent >= 50) controller.abort()
        },
      },
    )
    await expect(run).rejects.toMatchObject({ code: 'cancelled' })
    expect(r.hashes()).toEqual(r.before)
    expect(fs.readdirSync(r.dir).sort()).toEqual(['edit-list.json', 'poster.jpg', 'processed.mp4'])
    const stage = (await r.scope.stages.list({ recording_id: r.rec.id })).items.find((s) => s.stage_type === 'PROCESS')!
    expect(stage.status).toBe('PENDING')
  })
})
