import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { NO_UPLOAD_STOP_AFTER } from '../../../src/services/automation/job-run.js'
import { addFolderSource, addTemplate, openJobsApp, otherUser, putFile, type JobsTestApp } from './support.js'

let t: JobsTestApp
beforeEach(async () => {
  t = await openJobsApp('2026-03-27T12:00:00.000Z') // a Friday; Europe/Berlin moves to summer time on Sunday 29th
})
afterEach(() => t.close())

const jobs = () => t.app.service('jobs')
const daily = (time = '09:00', timezone?: string) => ({ type: 'time_of_day', time, ...(timezone ? { timezone } : {}) })

async function rejects(p: Promise<unknown>, code: string, message: RegExp): Promise<RecflowError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  )
  expect(e).toBeInstanceOf(RecflowError)
  expect((e as RecflowError).code).toBe(code)
  expect((e as RecflowError).message).toMatch(message)
  return e as RecflowError
}

describe('jobs: add, list, show, edit, enable, disable, remove', () => {
  it('adds a job with the user timezone by default and keeps next_run_at with its state', async () => {
    const s = await addFolderSource(t, 'lectures')
    const job = await (await jobs()).add(t.user, { name: 'nightly', source_ids: [s.id], schedule: daily('09:00') })
    expect(job).toMatchObject({ name: 'nightly', source_ids: [s.id], is_active: true, upload: true, max_parallel: 1 })
    expect(job.schedule).toEqual({ type: 'time_of_day', time: '09:00', timezone: 'UTC' })
    expect(job.next_run_at).toBe('2026-03-28T09:00:00.000Z')
    expect(job.description).toMatch(/09:00/)

    const off = await (await jobs()).disable(t.user, job.id)
    expect(off).toMatchObject({ is_active: false, next_run_at: null })
    expect((await (await jobs()).show(t.user, job.id)).next_runs).toEqual([])
    t.now = '2026-03-28T10:00:00.000Z'
    expect(await (await jobs()).enable(t.user, job.id)).toMatchObject({ is_active: true, next_run_at: '2026-03-29T09:00:00.000Z' })

    const edited = await (await jobs()).edit(t.user, job.id, { schedule: { type: 'hours', every_hours: 6 }, upload: false, max_parallel: 3 })
    expect(edited).toMatchObject({ name: 'nightly', upload: false, max_parallel: 3, next_run_at: '2026-03-28T12:00:00.000Z' })
    expect(edited.schedule).toEqual({ type: 'hours', every_hours: 6, timezone: 'UTC' })

    const listed = await (await jobs()).list(t.user)
    expect(listed.items.map((j) => [j.id, j.name, j.max_parallel])).toEqual([[job.id, 'nightly', 3]])
    expect(await (await jobs()).remove(t.user, job.id)).toEqual({ id: job.id, removed: true })
    expect((await (await jobs()).list(t.user)).items).toEqual([])
    await rejects((async () => (await jobs()).show(t.user, job.id))(), 'not_found', /automation job/)
  })

  it('shows the next 5 runs in the job timezone and in UTC (across the DST change)', async () => {
    const s = await addFolderSource(t, 'lectures')
    const job = await (await jobs()).add(t.user, { name: 'berlin', source_ids: [s.id], schedule: daily('09:00', 'Europe/Berlin') })
    const shown = await (await jobs()).show(t.user, job.id)
    expect(shown.next_runs).toEqual([
      { local: '2026-03-28 09:00 (Europe/Berlin, +01:00)', utc: '2026-03-28T08:00:00.000Z' },
      { local: '2026-03-29 09:00 (Europe/Berlin, +02:00)', utc: '2026-03-29T07:00:00.000Z' },
      { local: '2026-03-30 09:00 (Europe/Berlin, +02:00)', utc: '2026-03-30T07:00:00.000Z' },
      { local: '2026-03-31 09:00 (Europe/Berlin, +02:00)', utc: '2026-03-31T07:00:00.000Z' },
      { local: '2026-04-01 09:00 (Europe/Berlin, +02:00)', utc: '2026-04-01T07:00:00.000Z' },
    ])
    expect(shown.next_run_at).toBe('2026-03-28T08:00:00.000Z')
  })

  it('rejects unknown and foreign sources and templates, bad cron, bad timezone, and jobs with nothing to run', async () => {
    const mine = await addFolderSource(t, 'mine')
    const other = await otherUser(t)
    const theirs = await addFolderSource(t, 'theirs', other)
    const svc = await jobs()
    await rejects(svc.add(t.user, { name: 'x', source_ids: [theirs.id], schedule: daily() }), 'not_found', /source/)
    await rejects(svc.add(t.user, { name: 'x', source_ids: [9999], schedule: daily() }), 'not_found', /source/)
    await rejects(svc.add(t.user, { name: 'x', source_ids: [mine.id], template_ids: [9999], schedule: daily() }), 'not_found', /template/)
    await rejects(svc.add(t.user, { name: 'x', source_ids: [mine.id], schedule: { type: 'cron', expression: '0 9 * *' } }), 'validation', /5 fields/)
    await rejects(svc.add(t.user, { name: 'x', source_ids: [mine.id], schedule: { type: 'cron', expression: '0 25 * * *' } }), 'validation', /cron/)
    await rejects(svc.add(t.user, { name: 'x', source_ids: [mine.id], schedule: daily('09:00', 'Mars/Olympus') }), 'validation', /timezone|time zone/i)
    await rejects(svc.add(t.user, { name: 'x', schedule: daily() }), 'validation', /at least one source or template/)
    await rejects(svc.add(t.user, { name: 'x', source_ids: [mine.id], schedule: daily(), max_parallel: 0 }), 'validation', /max_parallel/)
    // The other user sees none of this user's jobs.
    const job = await svc.add(t.user, { name: 'mine', source_ids: [mine.id], schedule: daily() })
    await rejects(svc.show(other, job.id), 'not_found', /automation job/)
    await rejects(svc.execute(other, job.id, { scheduledFor: null }), 'not_found', /automation job/)
    expect((await svc.list(other)).items).toEqual([])
  })

  it("enforces the plan's job count and minimum interval, naming the limit", async () => {
    const s = await addFolderSource(t, 'lectures')
    const svc = await jobs()
    const hourly = await svc.add(t.user, { name: 'hourly', source_ids: [s.id], schedule: { type: 'hours', every_hours: 1 } })
    await t.scope.subscription.update({ plan: 'plus' }) // 3 jobs, one run every 6 hours at most
    // Made on the larger plan: it can still be turned off and edited while off, not turned on again as it is.
    expect(await svc.disable(t.user, hourly.id)).toMatchObject({ is_active: false })
    await svc.edit(t.user, hourly.id, { name: 'was hourly' })
    await rejects(svc.enable(t.user, hourly.id), 'quota', /every 1 hour.*every 6 hours/)
    await svc.remove(t.user, hourly.id)
    const e = await rejects(svc.add(t.user, { name: 'often', source_ids: [s.id], schedule: { type: 'hours', every_hours: 2 } }), 'quota', /every 2 hours.*every 6 hours/)
    expect(e.hint).toMatch(/every_hours/)
    await rejects(svc.add(t.user, { name: 'cron', source_ids: [s.id], schedule: { type: 'cron', expression: '*/30 * * * *' } }), 'quota', /30 minutes/)
    const ids = []
    for (const name of ['a', 'b', 'c']) ids.push((await svc.add(t.user, { name, source_ids: [s.id], schedule: { type: 'hours', every_hours: 6 } })).id)
    await rejects(svc.add(t.user, { name: 'd', source_ids: [s.id], schedule: daily() }), 'quota', /allows 3 active automation jobs/)
    // A disabled job does not count; enabling it again does.
    await svc.add(t.user, { name: 'd', source_ids: [s.id], schedule: daily(), is_active: false })
    await svc.disable(t.user, ids[0]!)
    const d = (await svc.list(t.user)).items.find((j) => j.name === 'd')!
    await svc.enable(t.user, d.id)
    await rejects(svc.enable(t.user, ids[0]!), 'quota', /allows 3/)
    // Editing an active job is not adding one.
    expect(await svc.edit(t.user, ids[1]!, { name: 'b2' })).toMatchObject({ name: 'b2', is_active: true })
  })
})

describe('jobs: execute', () => {
  it("syncs the job's sources, queues only the new matched recordings of its templates, and records the run", async () => {
    const lectures = await addFolderSource(t, 'lectures')
    const seminars = await addFolderSource(t, 'seminars')
    const algebra = await addTemplate(t, 'Algebra', { keywords: ['algebra'] })
    await addTemplate(t, 'Physics', { keywords: ['physics'] })
    putFile(t.folder('lectures'), 'Algebra 01.mp4')
    // Synced before the job exists: not new for the job's run.
    await (await t.app.service('sync')).sync(t.user, { sourceIds: [lectures.id] }, {})
    putFile(t.folder('lectures'), 'Algebra 02.mp4')
    putFile(t.folder('lectures'), 'Physics 01.mp4') // another template: synced, not the job's
    putFile(t.folder('lectures'), 'standup.mp4') // matches nothing
    putFile(t.folder('seminars'), 'Algebra seminar.mp4') // another source of the same user: not synced, not queued

    const svc = await jobs()
    const job = await svc.add(t.user, { name: 'algebra', source_ids: [lectures.id], template_ids: [algebra.id], schedule: daily(), upload: false, max_parallel: 2 })
    t.now = '2026-03-28T09:00:05.000Z'
    const summary = await svc.execute(t.user, job.id, { scheduledFor: new Date('2026-03-28T09:00:00.000Z') })

    expect(summary).toMatchObject({
      jobId: job.id,
      dryRun: false,
      status: 'succeeded',
      scheduledFor: '2026-03-28T09:00:00.000Z',
      sourceIds: [lectures.id],
      synced: 3,
      matched: 1,
      queued: 1,
      failed: 0,
      errors: [],
      upload: false,
      maxParallel: 2,
    })
    const recordings = (await t.scope.recordings.list({}, { limit: 50 })).items
    const byName = (n: string) => recordings.find((r) => r.display_name === n)
    expect(byName('Algebra seminar')).toBeUndefined()
    expect(summary.recordingIds).toEqual([byName('Algebra 02')!.id])
    const tasks = await Promise.all(summary.taskIds.map((id) => t.scope.tasks.get(id)))
    expect(tasks.map((task) => [task?.type, task?.state, task?.payload])).toEqual([
      ['pipeline', 'pending', { recordingId: byName('Algebra 02')!.id, stopAfter: NO_UPLOAD_STOP_AFTER }],
    ])

    const runs = await svc.runs(t.user, job.id)
    expect(runs.items).toHaveLength(1)
    expect(runs.items[0]).toMatchObject({ id: summary.runId, status: 'succeeded', started_at: '2026-03-28T09:00:05.000Z', finished_at: '2026-03-28T09:00:05.000Z', error: null })
    expect(runs.items[0]!.result).toMatchObject({ scheduledFor: '2026-03-28T09:00:00.000Z', synced: 3, matched: 1, queued: 1, failed: 0, errors: [] })
    expect((await svc.get(t.user, job.id)).last_run_at).toBe('2026-03-28T09:00:05.000Z')

    // A second run finds nothing new; uploads on queue the whole pipeline.
    t.now = '2026-03-29T09:00:01.000Z'
    expect(await svc.execute(t.user, job.id, { scheduledFor: null })).toMatchObject({ synced: 0, matched: 0, queued: 0, status: 'succeeded' })
    await svc.edit(t.user, job.id, { upload: true })
    putFile(t.folder('lectures'), 'Algebra 03.mp4')
    const third = await svc.execute(t.user, job.id, { scheduledFor: null })
    expect(third).toMatchObject({ synced: 1, matched: 1, queued: 1, upload: true, scheduledFor: null })
    expect((await t.scope.tasks.get(third.taskIds[0]!))?.payload).toEqual({ recordingId: third.recordingIds[0] })
    expect((await svc.runs(t.user, job.id)).items.map((r) => r.id)).toEqual([third.runId, summary.runId! + 1, summary.runId])
  })

  it('a job with templates only syncs the sources its templates name', async () => {
    const lectures = await addFolderSource(t, 'lectures')
    await addFolderSource(t, 'seminars')
    const algebra = await addTemplate(t, 'Algebra', { keywords: ['algebra'], source_ids: [lectures.id] })
    putFile(t.folder('lectures'), 'Algebra 01.mp4')
    putFile(t.folder('seminars'), 'Algebra seminar.mp4')
    const svc = await jobs()
    const job = await svc.add(t.user, { name: 'by template', template_ids: [algebra.id], schedule: daily() })
    const summary = await svc.execute(t.user, job.id, { scheduledFor: null })
    expect(summary).toMatchObject({ sourceIds: [lectures.id], synced: 1, matched: 1, queued: 1 })
    expect((await t.scope.recordings.list({}, { limit: 50 })).items.map((r) => r.display_name)).toEqual(['Algebra 01'])
  })

  it('records a failed run (a missing folder) instead of throwing', async () => {
    const lectures = await addFolderSource(t, 'lectures')
    const svc = await jobs()
    const job = await svc.add(t.user, { name: 'gone', source_ids: [lectures.id], schedule: daily() })
    fs.rmSync(t.folder('lectures'), { recursive: true })
    const summary = await svc.execute(t.user, job.id, { scheduledFor: null })
    expect(summary.status).not.toBe('succeeded')
    expect(summary.errors.length).toBeGreaterThan(0)
    const [run] = (await svc.runs(t.user, job.id)).items
    expect(run).toMatchObject({ id: summary.runId, status: summary.status })
    expect(run!.finished_at).not.toBeNull()
  })
})
