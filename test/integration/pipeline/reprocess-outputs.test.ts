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
 * Re-processing a recording whose outputs exist: the processed media, its poster and its edit list are one set,
 * derived from the source. The previous set is removed before the new one is written (keeping a 1 GB output
 * whole while its successor is written made the kernel write it back meanwhile), after the recording has been
 * marked as having no processed media: a run that fails or is cancelled leaves no set at all, a recording that
 * says so, and the next run makes the set again.
 */

let home: string
let app: App
let clip: string

beforeAll(async () => {
  home = makeTempDir()
  const tools = await systemOrBundledTools()
  // Speech from 7 s to 32 s of 40 s (silence beyond the 5 s padding at both ends, so edges cuts both); the moving
  // test pattern makes every poster time a different picture. 40 s, not 60: the pauses re-encode is two thirds.
  clip = makeClip(tools, path.join(home, 'lecture.mp4'), { durationS: 40, tones: [{ start: 7, end: 32 }] })
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
    duration: 40,
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

async function processStage(r: { scope: ReturnType<typeof forUser>; rec: { id: number } }) {
  return (await r.scope.stages.list({ recording_id: r.rec.id })).items.find((s) => s.stage_type === 'PROCESS')!
}

describe('re-processing a recording whose outputs exist', () => {
  it('removes the previous set before writing the new one, then has only the new set', { timeout: 120_000 }, async () => {
    const r = await processedOnce('Replaced')
    const seenWhileWriting: string[][] = []
    const recordedWhileWriting: Array<Promise<unknown>> = []
    const result = await (await app.service('pipeline')).run(
      app.localUser,
      // pauses re-encodes the video: the write lasts long enough to report progress while it runs.
      { recordingId: r.rec.id, force: ['PROCESS'], stopAfter: 'PROCESS', runOverride: { processing: { trim_mode: 'pauses', padding_before: 1 } } },
      {
        onEvent: (e) => {
          // 35-95 % is the write (0-35 % is detection): the old set is already gone, only parts are there.
          if (e.type === 'progress' && e.stage === 'PROCESS' && e.percent > 40 && e.percent < 95) {
            seenWhileWriting.push(fs.readdirSync(r.dir).sort())
            // ...and the database already said so (a crash here leaves an honest recording).
            recordedWhileWriting.push(Promise.all([r.scope.recordings.get(r.rec.id), processStage(r)]).then(([rec, st]) => [rec!.processed_file, st.status, st.stage_meta]))
          }
        },
      },
    )
    expect(result.stages.find((s) => s.stage === 'PROCESS')).toMatchObject({ outcome: 'completed' })
    expect(seenWhileWriting.length).toBeGreaterThan(0)
    for (const names of seenWhileWriting) expect(names.every((n) => n.endsWith('.part'))).toBe(true)
    for (const recorded of await Promise.all(recordedWhileWriting)) expect(recorded).toEqual([null, 'IN_PROGRESS', null])
    const after = r.hashes()
    expect(after.processed).not.toBe(r.before.processed)
    expect(after.poster).not.toBe(r.before.poster)
    expect(after.editList).not.toBe(r.before.editList)
    const meta = (await processStage(r)).stage_meta as { keep: unknown; processed_size_bytes: number }
    expect(JSON.parse(fs.readFileSync(r.files.editList, 'utf8')).keep).toEqual(meta.keep)
    expect(meta.processed_size_bytes).toBe(fs.statSync(r.files.processed).size)
    expect((await r.scope.recordings.get(r.rec.id))!.processed_file).toBe(r.files.processed)
    expect(fs.readdirSync(r.dir).sort()).toEqual(['edit-list.json', 'poster.jpg', 'processed.mp4'])
  })

  it('leaves no set and a recording without processed media when the new run is cancelled while it writes; the next run makes it again', { timeout: 120_000 }, async () => {
    const r = await processedOnce('Cancelled')
    const controller = new AbortController()
    const run = (await app.service('pipeline')).run(
      app.localUser,
      { recordingId: r.rec.id, force: ['PROCESS'], stopAfter: 'PROCESS', runOverride: { processing: { trim_mode: 'pauses', padding_before: 1 } } },
      {
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'progress' && e.stage === 'PROCESS' && e.percent >= 50) controller.abort()
        },
      },
    )
    await expect(run).rejects.toMatchObject({ code: 'cancelled' })
    // Neither the old set nor a part of the new one: the stage and the recording say there is nothing.
    expect(fs.readdirSync(r.dir)).toEqual([])
    const stage = await processStage(r)
    expect(stage.status).toBe('PENDING')
    expect(stage.stage_meta).toBeNull()
    const rec = (await r.scope.recordings.get(r.rec.id))!
    expect(rec.processed_file).toBeNull()
    expect(rec.status).not.toBe('PROCESSED')

    // The next run, not forced, sees PROCESS unfinished and makes the set again.
    const next = await (await app.service('pipeline')).run(app.localUser, { recordingId: r.rec.id, stopAfter: 'PROCESS' })
    expect(next.stages.find((s) => s.stage === 'PROCESS')).toMatchObject({ outcome: 'completed' })
    expect(fs.readdirSync(r.dir).sort()).toEqual(['edit-list.json', 'poster.jpg', 'processed.mp4'])
    expect((await r.scope.recordings.get(r.rec.id))!.processed_file).toBe(r.files.processed)
  })
})
