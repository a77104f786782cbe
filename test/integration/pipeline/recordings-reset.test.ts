import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/db/connection.js'
import { forUser } from '../../../src/db/index.js'
import { enqueue } from '../../../src/jobs/queue.js'
import { recordingDir } from '../../../src/services/pipeline/recording-files.js'
import { useTestApp } from '../../support/test-app.js'

const t = useTestApp()

/** A recording with a COMPLETED PROCESS stage and its processed file in its own folder. */
async function processedRecording(name: string) {
  const scope = forUser(t.app.database.db, t.app.localUser.id)
  const rec = await scope.recordings.create({ display_name: name, start_time: '2026-03-02T09:00:00Z', status: 'PROCESSED' })
  const dir = recordingDir(t.app.env.mediaDir, t.app.localUser.id, rec.id)
  fs.mkdirSync(dir, { recursive: true })
  const processed = path.join(dir, 'processed.mp4')
  fs.writeFileSync(processed, 'media')
  const stage = await scope.stages.ensure(rec.id, 'PROCESS')
  await scope.stages.update(stage.id, { status: 'COMPLETED', stage_meta: { processed_file: processed } })
  await scope.recordings.update(rec.id, { processed_file: processed })
  return { scope, rec, dir, processed }
}

describe('recordings reset', () => {
  it('removes the folder only after its rows are gone: a reset that cannot write keeps the files its stages describe', async () => {
    const { scope, rec, processed } = await processedRecording('Locked out')
    // Another process holds the write lock for longer than busy_timeout (5 s): the reset's transaction fails.
    const other = await openDatabase(t.app.env.dbPath)
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    let locked!: () => void
    const lockTaken = new Promise<void>((r) => (locked = r))
    const holder = other.db.transaction().execute(async (tx) => {
      await tx.updateTable('recordings').set({ updated_at: new Date().toISOString() }).where('id', '=', rec.id).execute()
      locked()
      await held
    })
    await lockTaken
    try {
      await expect((await t.app.service('recordings')).reset(t.app.localUser, rec.id)).rejects.toThrow()
    } finally {
      release()
      await holder
      await other.close()
    }
    expect(fs.existsSync(processed)).toBe(true)
    const stages = (await scope.stages.list({ recording_id: rec.id })).items
    expect(stages.map((s) => s.status)).toEqual(['COMPLETED'])
  }, 20_000)

  it('refuses while a task is queued for the recording, and changes nothing', async () => {
    const { scope, rec, processed } = await processedRecording('Queued')
    const { task } = await enqueue(t.app.database.db, t.app.localUser.id, { type: 'pipeline', payload: { recordingId: rec.id }, recordingId: rec.id })
    await expect((await t.app.service('recordings')).reset(t.app.localUser, rec.id)).rejects.toMatchObject({ code: 'conflict' })
    expect(fs.existsSync(processed)).toBe(true)
    expect((await scope.recordings.get(rec.id))!.processed_file).toBe(processed)
    await scope.tasks.requestCancel(task.id)
  })

  it('deletes stages and targets, clears the failure, then removes the folder', async () => {
    const { scope, rec, dir } = await processedRecording('Plain')
    const result = await (await t.app.service('recordings')).reset(t.app.localUser, rec.id)
    expect(result).toMatchObject({ id: rec.id, status: 'SKIPPED', removedStages: 1 })
    expect(fs.existsSync(dir)).toBe(false)
    expect((await scope.recordings.get(rec.id))!.processed_file).toBeNull()
  })
})
