import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { forUser } from '../../../src/db/index.js'
import { enqueue } from '../../../src/jobs/queue.js'
import { taskPayloadSchemas, taskRegistry } from '../../../src/jobs/task-types.js'
import { Worker } from '../../../src/jobs/worker.js'
import { nextRun, type Schedule } from '../../../src/domain/schedule/index.js'
import { readLastTick, schedulerPaths } from '../../../src/services/automation/scheduler-cron.js'
import { rotateLog } from '../../../src/platform/log-rotation.js'
import { useTestApp } from '../../support/test-app.js'
import { addFolderSource, openJobsApp } from './support.js'

/* `recflow scheduler tick` as a service call: the lock (overlapping ticks), the last tick record, job runs queued and
   run by the tick's worker, and the log rotation. */

const t = useTestApp()
const HOURLY: Schedule = { type: 'hours', every_hours: 1, timezone: 'UTC' }

describe('scheduler tick', () => {
  it('a second tick while one runs returns at once and names the holder; a lock left by a dead process is taken over', async () => {
    const ticker = await t.app.service('schedulerTick')
    const [first, second] = await Promise.all([ticker.tick(), ticker.tick()])
    expect(first).toMatchObject({ ticked: true, queued: 0 })
    expect(second).toMatchObject({ ticked: false, holderPid: process.pid })
    expect(fs.existsSync(schedulerPaths(t.app.env).lock)).toBe(false)

    const dead = spawnSync('true').pid as number
    fs.writeFileSync(schedulerPaths(t.app.env).lock, `${dead}\n`)
    expect(await ticker.tick()).toMatchObject({ ticked: true })
    expect(readLastTick(t.app.env)).toMatchObject({ pid: process.pid, queued: 0 })
  })

  it('queues the due job, runs its run in the same tick, and skips a run whose job was disabled meanwhile', async () => {
    const jobs = forUser(t.app.database.db, t.app.localUser.id).automationJobs
    const now = new Date()
    const due = await jobs.create({ name: 'due', schedule: HOURLY, next_run_at: nextRun(HOURLY, new Date(now.getTime() - 2 * 3_600_000)) })
    const scheduler = await t.app.service('scheduler')
    // Queued by another scheduler (a cron tick beside `scheduler run`), then disabled before any worker took it.
    const scan = await scheduler.enqueueDue(now)
    expect(scan.queuedTaskIds).toHaveLength(1)
    await jobs.update(due.id, { is_active: false, next_run_at: null })

    const report = await (await t.app.service('schedulerTick')).tick()
    expect(report).toMatchObject({ ticked: true, queued: 0, ran: 1, failed: 0 })
    const task = await forUser(t.app.database.db, t.app.localUser.id).tasks.get(scan.queuedTaskIds[0] as number)
    expect(task).toMatchObject({ state: 'succeeded', result: { skipped: 'the job is disabled' } })
    await jobs.remove(due.id)
  })

  it('rotates its log past the size limit, keeping 3', () => {
    const log = `${schedulerPaths(t.app.env).dir}/rotate-test.log`
    for (let i = 1; i <= 5; i++) {
      fs.writeFileSync(log, `generation ${i}\n`.padEnd(64, '.'))
      expect(rotateLog(log, 64, 3)).toBe(true)
    }
    expect(fs.existsSync(log)).toBe(false)
    expect([1, 2, 3].map((i) => fs.readFileSync(`${log}.${i}`, 'utf8').slice(0, 12))).toEqual(['generation 5', 'generation 4', 'generation 3'])
    expect(fs.existsSync(`${log}.4`)).toBe(false)
    fs.writeFileSync(log, 'small')
    expect(rotateLog(log, 64, 3)).toBe(false)
  })
})

describe('scheduler tick with the jobs service', () => {
  it('runs a due job through jobsService.execute with its scheduled time, records the run, and shows the next time', async () => {
    const j = await openJobsApp('2026-03-28T08:59:00.000Z')
    try {
      const source = await addFolderSource(j, 'lectures') // empty: the run syncs, finds nothing, queues nothing
      const job = await (await j.app.service('jobs')).add(j.user, { name: 'hourly', source_ids: [source.id], schedule: HOURLY })
      expect(job.next_run_at).toBe('2026-03-28T09:00:00.000Z')
      const ticker = await j.app.service('schedulerTick')
      expect(await ticker.tick()).toMatchObject({ ticked: true, queued: 0, ran: 0 })
      j.now = '2026-03-28T09:00:20.000Z'
      expect(await ticker.tick()).toMatchObject({ ticked: true, queued: 1, ran: 1, failed: 0, jobRuns: [{ state: 'succeeded', pipelines: 0 }] })
      const runs = await (await j.app.service('jobs')).runs(j.user, job.id)
      expect(runs.items).toHaveLength(1)
      expect(runs.items[0]?.result).toMatchObject({ scheduledFor: '2026-03-28T09:00:00.000Z', synced: 0, queued: 0 })
      expect(runs.job.next_run_at).toBe('2026-03-28T10:00:00.000Z')
      expect(await ticker.tick()).toMatchObject({ queued: 0, ran: 0 }) // the same minute again: nothing twice
    } finally {
      await j.close()
    }
  })
})

describe('scheduler tick after a stopped tick', () => {
  it('runs the pipelines an earlier job run queued that were left pending', async () => {
    const db = t.app.database.db
    const scope = forUser(db, t.app.localUser.id)
    const rec = await scope.recordings.create({ display_name: 'Lecture 9', start_time: '2026-03-02T09:00:00Z', status: 'READY', original_file: '/nonexistent/lecture.mp4' })
    const { task: pipeline } = await enqueue(db, t.app.localUser.id, { type: 'pipeline', payload: { recordingId: rec.id }, dedupeKey: `pipeline:${rec.id}`, recordingId: rec.id })
    // The job run of a tick that was then stopped: its run finished, its pipeline never started.
    await enqueue(db, t.app.localUser.id, { type: 'automation_job', payload: { jobId: 999, scheduledFor: null } })
    const runs = new Worker({ db, registry: taskRegistry(taskPayloadSchemas, { pipeline: async () => null, sync: async () => null, automation_job: async () => ({ taskIds: [pipeline.id], maxParallel: 1 }) }) })
    await runs.runUntilIdle({ filter: { types: ['automation_job'] } })
    expect((await scope.tasks.get(pipeline.id))?.state).toBe('pending')

    const report = await (await t.app.service('schedulerTick')).tick()
    expect(report).toMatchObject({ ticked: true, ran: 1 })
    expect((await scope.tasks.get(pipeline.id))?.state).not.toBe('pending')
  })
})
