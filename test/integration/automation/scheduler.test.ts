import { beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../../src/app.js'
import { forUser } from '../../../src/db/index.js'
import { nextRun, type Schedule } from '../../../src/domain/schedule/index.js'
import { taskPayloadSchemas, taskRegistry } from '../../../src/jobs/task-types.js'
import { Worker } from '../../../src/jobs/worker.js'
import type { SchedulerService } from '../../../src/services/automation/scheduler.js'
import { useTestApp } from '../../support/test-app.js'

/* The scheduler's scan on a real database with an injected clock: claims, dedupe keys, catch-up, and changes to jobs
   taking effect at the next tick (issue 11, Must-show: 144 runs of a 10-minute job in a simulated day). */

const MINUTE = 60_000
const EVERY_10: Schedule = { type: 'cron', expression: '*/10 * * * *', timezone: 'UTC' }

const t = useTestApp()
let scheduler: SchedulerService
let userId: number
let app: App
beforeAll(async () => {
  app = t.app
  scheduler = await app.service('scheduler')
  userId = app.localUser.id
})

const jobs = () => forUser(app.database.db, userId).automationJobs

async function addJob(name: string, schedule: Schedule, from: string) {
  return jobs().create({ name, schedule, next_run_at: nextRun(schedule, new Date(new Date(from).getTime() - 1)) })
}

/** The automation_job tasks queued for a job: the scheduled times, in queue order. */
async function queuedFor(jobId: number): Promise<string[]> {
  const rows = await app.database.db.selectFrom('tasks').select(['payload']).where('type', '=', 'automation_job').orderBy('id').execute()
  return rows.map((r) => JSON.parse(r.payload) as { jobId: number; scheduledFor: string }).filter((p) => p.jobId === jobId).map((p) => p.scheduledFor)
}

/** Finishes every queued automation_job task (the run itself is the jobs service's; here it does nothing). */
async function finishQueuedRuns(): Promise<number> {
  const worker = new Worker({
    db: app.database.db,
    registry: taskRegistry(taskPayloadSchemas, { pipeline: async () => null, sync: async () => null, automation_job: async () => null }),
    pollMs: 5,
  })
  const report = await worker.runUntilIdle({ filter: { types: ['automation_job'] } })
  return report.finished.length
}

describe('enqueueDue', () => {
  it('a 10-minute job ticked every minute over a day fires exactly 144 times, never twice for one time (double ticks too)', async () => {
    const day = '2026-06-01T00:00:00Z'
    const job = await addJob('every 10 minutes', EVERY_10, day)
    const start = new Date(day).getTime()
    for (let t = start; t < start + 24 * 60 * MINUTE; t += MINUTE) {
      const now = new Date(t)
      const minute = (t - start) / MINUTE
      if (minute % 30 === 0) {
        // Two ticks at the same minute, at once (a cron tick beside `scheduler run`).
        const [a, b] = await Promise.all([scheduler.enqueueDue(now), scheduler.enqueueDue(now)])
        expect([...a.queuedTaskIds, ...b.queuedTaskIds]).toHaveLength(1)
      } else {
        await scheduler.enqueueDue(now)
      }
      if (minute % 47 === 0) await scheduler.enqueueDue(new Date(t + 30_000)) // a late second tick in the same minute
    }
    const times = await queuedFor(job.id)
    expect(times).toHaveLength(144)
    expect(new Set(times).size).toBe(144)
    expect(times[0]).toBe('2026-06-01T00:00:00.000Z')
    expect(times.at(-1)).toBe('2026-06-01T23:50:00.000Z')
    expect((await jobs().get(job.id))?.next_run_at).toBe('2026-06-02T00:00:00.000Z')

    // Finishing a run clears its dedupe key; next_run_at having moved on is what stops a replayed tick.
    expect(await finishQueuedRuns()).toBe(144)
    for (let t = start; t < start + 24 * 60 * MINUTE; t += 10 * MINUTE) expect((await scheduler.enqueueDue(new Date(t))).queuedTaskIds).toEqual([])
    expect(await queuedFor(job.id)).toHaveLength(144)
    await jobs().remove(job.id)
  })

  it('after 3 days of downtime one tick queues one catch-up run (the latest missed) and moves next_run_at past now', async () => {
    const job = await addJob('hourly', { type: 'hours', every_hours: 1, timezone: 'Europe/Berlin' }, '2026-07-01T10:00:00Z')
    const report = await scheduler.enqueueDue(new Date('2026-07-04T10:25:00Z'))
    expect(report.jobs.find((j) => j.jobId === job.id)).toMatchObject({ outcome: 'queued', scheduledFor: '2026-07-04T10:00:00.000Z', nextRunAt: '2026-07-04T11:00:00.000Z' })
    expect(await queuedFor(job.id)).toEqual(['2026-07-04T10:00:00.000Z'])
    const task = await forUser(app.database.db, userId).tasks.get(report.queuedTaskIds[0] as number)
    expect(task).toMatchObject({ type: 'automation_job', dedupe_key: `job:${job.id}:2026-07-04T10:00:00.000Z`, max_attempts: 1 })
    expect((await scheduler.enqueueDue(new Date('2026-07-04T10:59:00Z'))).queuedTaskIds).toEqual([])
    expect((await scheduler.enqueueDue(new Date('2026-07-04T11:00:00Z'))).jobs).toMatchObject([{ jobId: job.id, outcome: 'queued' }])
    await finishQueuedRuns()
    await jobs().remove(job.id)
  })

  it('a disable, an edit and a deletion take effect at the next tick', async () => {
    const from = '2026-08-01T09:00:00Z'
    const kept = await addJob('kept', EVERY_10, from)
    const disabled = await addJob('disabled', EVERY_10, from)
    const edited = await addJob('edited', EVERY_10, from)
    const deleted = await addJob('deleted', EVERY_10, from)
    const first = await scheduler.enqueueDue(new Date(from))
    expect(first.jobs.map((j) => [j.name, j.outcome])).toEqual([['kept', 'queued'], ['disabled', 'queued'], ['edited', 'queued'], ['deleted', 'queued']])

    await jobs().update(disabled.id, { is_active: false, next_run_at: null })
    const hourly: Schedule = { type: 'time_of_day', time: '12:00', timezone: 'UTC' }
    await jobs().update(edited.id, { schedule: hourly, next_run_at: nextRun(hourly, new Date('2026-08-01T09:05:00Z')) })
    await jobs().remove(deleted.id)

    const second = await scheduler.enqueueDue(new Date('2026-08-01T09:10:00Z'))
    expect(second.jobs.map((j) => [j.name, j.outcome])).toEqual([['kept', 'queued']])
    const noon = await scheduler.enqueueDue(new Date('2026-08-01T12:00:00Z'))
    expect(noon.jobs.map((j) => [j.name, j.outcome, j.scheduledFor])).toEqual([
      ['kept', 'queued', '2026-08-01T12:00:00.000Z'],
      ['edited', 'queued', '2026-08-01T12:00:00.000Z'],
    ])
    expect(await queuedFor(disabled.id)).toEqual(['2026-08-01T09:00:00.000Z'])
    expect((await scheduler.nextScheduled())?.id).toBe(kept.id)
    await finishQueuedRuns()
    for (const j of [kept, disabled, edited]) await jobs().remove(j.id)
  })

  it('a job whose stored schedule no longer parses is reported and left alone', async () => {
    const job = await addJob('broken', EVERY_10, '2026-09-01T00:00:00Z')
    await app.database.db.updateTable('automation_jobs').set({ schedule: JSON.stringify({ type: 'cron', expression: 'nope', timezone: 'UTC' }) }).where('id', '=', job.id).execute()
    const report = await scheduler.enqueueDue(new Date('2026-09-01T00:00:00Z'))
    expect(report.jobs).toMatchObject([{ jobId: job.id, outcome: 'error', error: expect.stringContaining('cron') }])
    expect(report.queuedTaskIds).toEqual([])
    await jobs().remove(job.id)
  })
})
