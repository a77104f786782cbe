import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { forUser, systemScope } from '../../src/db/index.js'
import { automationJobPayloadSchema, taskRegistry, Worker } from '../../src/jobs/index.js'
import { automationJobHandler } from '../../src/services/automation/scheduler.js'
import type { ServiceDeps } from '../../src/services/context.js'
import { useTestDaemon, type TestUser } from '../support/daemon.js'

const daemon = useTestDaemon()

async function localSource(user: TestUser): Promise<number> {
  const folder = path.join(daemon.home, `jobs-${user.id}`)
  fs.mkdirSync(folder, { recursive: true })
  fs.writeFileSync(path.join(folder, 'Seminar.mp4'), Buffer.alloc(1024, 3))
  const res = await daemon.fetch('/api/v1/sources', { method: 'POST', token: user.token, body: { name: 'seminars', platform: 'local', config: { path: folder } } })
  expect(res.status).toBe(201)
  return ((await res.json()) as { id: number }).id
}

const post = (u: TestUser, body: unknown) => daemon.fetch('/api/v1/automation/jobs', { method: 'POST', token: u.token, body })
const daily = (time = '09:00') => ({ type: 'time_of_day', time, timezone: 'Europe/Berlin' })

interface Job {
  id: number
  name: string
  is_active: boolean
  description: string
  next_run_at: string | null
  next_runs?: Array<{ local: string; utc: string }>
}

describe('/automation/jobs', () => {
  it('creates, lists, shows with next runs, patches (rescheduled), runs a dry run in a task and deletes', async () => {
    const alice = await daemon.user('jobs-alice@example.com', { plan: 'plus' })
    const source = await localSource(alice)
    const created = await post(alice, { name: 'nightly', source_ids: [source], schedule: daily(), upload: false })
    expect(created.status).toBe(201)
    const job = (await created.json()) as Job & Record<string, unknown>
    expect(job).toMatchObject({ name: 'nightly', is_active: true, source_ids: [source], upload: false, max_parallel: 1 })
    expect(job).not.toHaveProperty('user_id')
    expect(job.description).toContain('09:00')

    const list = (await (await daemon.fetch('/api/v1/automation/jobs', { token: alice.token })).json()) as { items: Job[]; next_cursor: null }
    expect(list.items.map((j) => j.id)).toEqual([job.id])

    const shown = (await (await daemon.fetch(`/api/v1/automation/jobs/${job.id}`, { token: alice.token })).json()) as Job
    expect(shown.next_runs).toHaveLength(5)
    expect(shown.next_runs?.[0]?.local).toMatch(/09:00 \(Europe\/Berlin/)

    const patched = await daemon.fetch(`/api/v1/automation/jobs/${job.id}`, { method: 'PATCH', token: alice.token, body: { schedule: { type: 'weekdays', days: [0], time: '18:30', timezone: 'UTC' } } })
    expect(patched.status).toBe(200)
    const moved = (await patched.json()) as Job
    expect(moved.next_run_at).not.toBe(job.next_run_at)
    expect(new Date(moved.next_run_at as string).getUTCDay()).toBe(1)
    expect(new Date(moved.next_run_at as string).toISOString()).toMatch(/T18:30:00/)

    // A dry run is a task; its result is the plan, and nothing is written (no recording, no recorded run).
    const run = await daemon.fetch(`/api/v1/automation/jobs/${job.id}/run`, { method: 'POST', token: alice.token, body: { dry_run: true } })
    expect(run.status).toBe(202)
    const { task_id } = (await run.json()) as { task_id: number }
    const db = daemon.app.database.db
    const deps = { scopes: { forUser: (id: number) => forUser(db, id), system: () => systemScope(db) } } as unknown as ServiceDeps
    const jobs = await daemon.app.service('jobs')
    const registry = taskRegistry({ automation_job: automationJobPayloadSchema }, { automation_job: automationJobHandler(deps, async () => jobs) })
    await new Worker({ db, registry }).runUntilIdle({ filter: { types: ['automation_job'] } })
    const task = (await (await daemon.app.service('tasks')).get({ id: alice.id, timezone: 'UTC' }, task_id)).task
    expect(task).toMatchObject({ state: 'succeeded', payload: { jobId: job.id, scheduledFor: null, dryRun: true } })
    expect(task.result).toMatchObject({ dryRun: true, runId: null, plan: { sources: [{ sourceId: source, found: 1 }] } })
    expect((await forUser(db, alice.id).recordings.allFromSource(source)).length).toBe(0)
    const runs = (await (await daemon.fetch(`/api/v1/automation/jobs/${job.id}/runs`, { token: alice.token })).json()) as { items: unknown[] }
    expect(runs.items).toEqual([])

    // A real run by hand is queued as its own task; the same request while it is queued is not doubled.
    const real = (await (await daemon.fetch(`/api/v1/automation/jobs/${job.id}/run`, { method: 'POST', token: alice.token })).json()) as { task_id: number }
    const again = (await (await daemon.fetch(`/api/v1/automation/jobs/${job.id}/run`, { method: 'POST', token: alice.token, body: { dry_run: false } })).json()) as { task_id: number }
    expect(real.task_id).not.toBe(task_id)
    expect(again.task_id).toBe(real.task_id)
    // Run, it syncs the job's source and is recorded in the job's history.
    await new Worker({ db, registry }).runUntilIdle({ filter: { types: ['automation_job'] } })
    expect((await (await daemon.app.service('tasks')).get({ id: alice.id, timezone: 'UTC' }, real.task_id)).task).toMatchObject({ state: 'succeeded', result: { dryRun: false, synced: 1 } })
    expect((await forUser(db, alice.id).recordings.allFromSource(source)).length).toBe(1)
    const history = (await (await daemon.fetch(`/api/v1/automation/jobs/${job.id}/runs`, { token: alice.token })).json()) as { items: Array<Record<string, unknown>>; next_cursor: null }
    expect(history.items).toEqual([expect.objectContaining({ job_id: job.id, status: 'succeeded', finished_at: expect.any(String) })])
    expect(history.items[0]).not.toHaveProperty('user_id')

    const removed = await daemon.fetch(`/api/v1/automation/jobs/${job.id}`, { method: 'DELETE', token: alice.token })
    expect(await removed.json()).toEqual({ id: job.id, removed: true })
    expect((await daemon.fetch(`/api/v1/automation/jobs/${job.id}`, { token: alice.token })).status).toBe(404)
  })

  it('plan limits are 429 QUOTA_EXCEEDED with limit and usage: job count and minimum interval', async () => {
    const free = await daemon.user('jobs-free@example.com')
    const src = await localSource(free)
    const none = await post(free, { name: 'j', source_ids: [src], schedule: daily() })
    expect(none.status).toBe(429)
    expect(await none.json()).toMatchObject({ code: 'QUOTA_EXCEEDED', limit: 0, usage: 0 })

    const plus = await daemon.user('jobs-plus@example.com', { plan: 'plus' })
    const s = await localSource(plus)
    const often = await post(plus, { name: 'hourly', source_ids: [s], schedule: { type: 'hours', every_hours: 1 } })
    expect(often.status).toBe(429)
    expect(await often.json()).toMatchObject({ code: 'QUOTA_EXCEEDED', limit: 6, usage: 1 })
    for (const n of [1, 2, 3]) expect((await post(plus, { name: `job ${n}`, source_ids: [s], schedule: daily(`0${n}:00`) })).status).toBe(201)
    const fourth = await post(plus, { name: 'job 4', source_ids: [s], schedule: daily() })
    expect(fourth.status).toBe(429)
    expect(await fourth.json()).toMatchObject({ code: 'QUOTA_EXCEEDED', limit: 3, usage: 3 })
    // Disabled, it is allowed (it never runs); enabling it is the check.
    const off = await post(plus, { name: 'job 4', source_ids: [s], schedule: daily(), is_active: false })
    expect(off.status).toBe(201)
    const offId = ((await off.json()) as Job).id
    expect((await daemon.fetch(`/api/v1/automation/jobs/${offId}`, { method: 'PATCH', token: plus.token, body: { is_active: true } })).status).toBe(429)
    // A disabled job runs only as a dry run.
    expect((await daemon.fetch(`/api/v1/automation/jobs/${offId}/run`, { method: 'POST', token: plus.token })).status).toBe(409)
  })

  it("another tenant's job is 404 on every route; malformed input is 400/422; no token is 401", async () => {
    const owner = await daemon.user('jobs-owner@example.com', { plan: 'plus' })
    const other = await daemon.user('jobs-other@example.com', { plan: 'plus' })
    const src = await localSource(owner)
    const { id } = (await (await post(owner, { name: 'mine', source_ids: [src], schedule: daily() })).json()) as Job
    const calls: Array<[string, string, unknown?]> = [
      ['GET', `/api/v1/automation/jobs/${id}`],
      ['PATCH', `/api/v1/automation/jobs/${id}`, { name: 'stolen' }],
      ['DELETE', `/api/v1/automation/jobs/${id}`],
      ['POST', `/api/v1/automation/jobs/${id}/run`, { dry_run: true }],
      ['GET', `/api/v1/automation/jobs/${id}/runs`],
    ]
    for (const [method, url, body] of calls) {
      expect({ method, url, status: (await daemon.fetch(url, { method, token: other.token, body })).status }).toEqual({ method, url, status: 404 })
      expect((await daemon.fetch(url, { method, body })).status).toBe(401)
    }
    expect(((await (await daemon.fetch(`/api/v1/automation/jobs/${id}`, { token: owner.token })).json()) as Job).name).toBe('mine')
    // The other user's job cannot name the owner's source either.
    expect([404, 422]).toContain((await post(other, { name: 'theirs', source_ids: [src], schedule: daily() })).status)

    const cases: Array<[string, string, unknown, number]> = [
      ['POST', '/api/v1/automation/jobs', { name: 'x', source_ids: [src], schedule: { type: 'cron', expression: '61 * * * *' } }, 422],
      ['POST', '/api/v1/automation/jobs', { name: 'x', source_ids: [src], schedule: daily('25:00') }, 422],
      ['POST', '/api/v1/automation/jobs', { name: 'x', source_ids: [src], schedule: { ...daily(), timezone: 'Mars/Base' } }, 422],
      ['POST', '/api/v1/automation/jobs', { name: 'x', schedule: daily() }, 422],
      ['POST', '/api/v1/automation/jobs', { name: 'x', source_ids: [src], schedule: daily(), extra: 1 }, 422],
      ['POST', '/api/v1/automation/jobs', [], 400],
      ['POST', '/api/v1/automation/jobs', `{"name":"x","schedule":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`, 400],
      ['PATCH', `/api/v1/automation/jobs/${id}`, { schedule: 'daily' }, 422],
      ['POST', `/api/v1/automation/jobs/${id}/run`, { dry_run: 'yes' }, 400],
      ['GET', '/api/v1/automation/jobs/abc', undefined, 400],
      ['GET', '/api/v1/automation/jobs?limit=0', undefined, 400],
    ]
    for (const [method, url, body, status] of cases) {
      const res = await daemon.fetch(url, { method, token: owner.token, body })
      const shown = JSON.stringify(body)?.slice(0, 60)
      expect({ method, url, shown, status: res.status }).toEqual({ method, url, shown, status })
    }
  })
})
