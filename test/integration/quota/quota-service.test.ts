import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../../src/app.js'
import { forUser, systemScope, type UserScope } from '../../../src/db/index.js'
import { RecflowError } from '../../../src/domain/errors.js'
import { loadRuntimeEnv } from '../../../src/platform/config.js'
import { silentLogger } from '../../../src/platform/logger.js'
import type { UserRef } from '../../../src/services/context.js'
import { newLeaseOwner } from '../../../src/jobs/lease-owner.js'
import { enqueue } from '../../../src/jobs/queue.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'

const ROOT = path.resolve(import.meta.dirname, '../../..')

interface QuotaTestApp {
  app: App
  home: string
  now: string
}

let t: QuotaTestApp
const envOf = (home: string) => loadRuntimeEnv({ RECFLOW_HOME: home, PATH: process.env.PATH ?? '', RECFLOW_SECRET_STORE: 'file' })

beforeEach(async () => {
  const home = makeTempDir()
  t = { home, now: '2026-12-05T10:00:00.000Z' } as QuotaTestApp
  t.app = await createApp(envOf(home), { logger: silentLogger, clock: { now: () => new Date(t.now) } })
})
afterEach(async () => {
  await t.app.close()
  removeDir(t.home)
})

const quota = () => t.app.service('quota')

async function daemonUser(email: string, plan = 'free'): Promise<{ user: UserRef; scope: UserScope }> {
  const u = await systemScope(t.app.database.db).users.create({ email, plan })
  return { user: { id: u.id, timezone: u.timezone }, scope: forUser(t.app.database.db, u.id) }
}

async function recordings(scope: UserScope, n: number): Promise<number[]> {
  const ids: number[] = []
  for (let i = 0; i < n; i++) ids.push((await scope.recordings.create({ display_name: `lecture ${i}`, start_time: '2026-12-01T09:00:00Z' })).id)
  return ids
}

async function refusal(p: Promise<unknown>): Promise<RecflowError> {
  const e = await p.then(() => null, (err: unknown) => err)
  expect(e).toBeInstanceOf(RecflowError)
  return e as RecflowError
}

describe('recordings per month (check and consume)', () => {
  it('accepts exactly the remaining allowance of 50 concurrent starts for a Free user (10 a month, 3 used)', async () => {
    const { user, scope } = await daemonUser('free@example.org')
    const svc = await quota()
    const used = await recordings(scope, 3)
    for (const id of used) expect(await svc.startRecording(user, id)).toMatchObject({ counted: true, overage: false })

    const ids = await recordings(scope, 50)
    const results = await Promise.allSettled(ids.map((id) => svc.startRecording(user, id)))
    const accepted = results.filter((r) => r.status === 'fulfilled')
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as RecflowError] : []))
    expect(accepted).toHaveLength(7)
    expect(refused).toHaveLength(43)
    for (const e of refused) {
      expect(e.code).toBe('quota')
      expect(e.details).toEqual({ quota: 'recordings_per_month', limit: 10, usage: 10, period: '202612' })
    }
    expect(refused[0]!.hint).toMatch(/renews on 2027-01-01/)
    expect((await scope.quota.getUsage('202612'))?.recordings_count).toBe(10)
  })

  it('counts a recording once per UTC month: a second start is free, the next month counts again', async () => {
    const { user, scope } = await daemonUser('again@example.org')
    const svc = await quota()
    const [id] = await recordings(scope, 1)
    expect(await svc.startRecording(user, id!)).toMatchObject({ counted: true, period: '202612' })
    expect(await svc.startRecording(user, id!)).toMatchObject({ counted: false })
    expect((await scope.quota.getUsage('202612'))?.recordings_count).toBe(1)
    t.now = '2027-01-01T00:00:00.000Z'
    expect(await svc.startRecording(user, id!)).toMatchObject({ counted: true, period: '202701' })
    expect((await svc.status(user)).usage.recordings).toBe(1)
    expect((await svc.history(user)).map((p) => [p.period, p.recordings])).toEqual([['202701', 1], ['202612', 1]])
  })

  it('never lets two processes count past the limit together', async () => {
    const { user, scope } = await daemonUser('two@example.org')
    const ids = await recordings(scope, 40)
    const mine = ids.slice(0, 20)
    const theirs = ids.slice(20)
    // The other process opens the same database file (WAL) through the built app, like a second daemon would.
    const script = `
      const { createApp } = await import(${JSON.stringify(path.join(ROOT, 'dist/src/app.js'))})
      const { loadRuntimeEnv } = await import(${JSON.stringify(path.join(ROOT, 'dist/src/platform/config.js'))})
      const { silentLogger } = await import(${JSON.stringify(path.join(ROOT, 'dist/src/platform/logger.js'))})
      const app = await createApp(loadRuntimeEnv({ RECFLOW_HOME: process.env.RECFLOW_HOME, PATH: '', RECFLOW_SECRET_STORE: 'file' }), { logger: silentLogger })
      const quota = await app.service('quota')
      process.stdout.write('ready\\n')
      await new Promise((resolve) => process.stdin.once('data', resolve))
      const results = await Promise.allSettled(${JSON.stringify(theirs)}.map((id) => quota.startRecording({ id: ${user.id}, timezone: 'UTC' }, id)))
      process.stdout.write(JSON.stringify(results.map((r) => r.status === 'fulfilled' ? 'ok' : r.reason.code)) + '\\n')
      await app.close()`
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { RECFLOW_HOME: t.home, PATH: process.env.PATH ?? '' }, stdio: ['pipe', 'pipe', 'inherit'] })
    const lines: string[] = []
    let onLine = () => {}
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      lines.push(...d.split('\n').filter(Boolean))
      onLine()
    })
    const nextLine = (n: number) => new Promise<void>((resolve) => (onLine = () => lines.length >= n && resolve())).then(() => lines[n - 1]!)
    expect(await nextLine(1)).toBe('ready')
    child.stdin.write('go\n')
    const svc = await quota()
    const [ours, theirResult] = await Promise.all([Promise.allSettled(mine.map((id) => svc.startRecording(user, id))), nextLine(2)])
    const theirOk = (JSON.parse(theirResult) as string[]).filter((s) => s === 'ok').length
    const ourOk = ours.filter((r) => r.status === 'fulfilled').length
    expect(ourOk + theirOk).toBe(10)
    expect((JSON.parse(theirResult) as string[]).every((s) => s === 'ok' || s === 'quota')).toBe(true)
    expect((await scope.quota.getUsage('202612'))?.recordings_count).toBe(10)
  })

  it('records the overage and its cost under pay-as-you-go, and refuses a 0 limit whatever the setting', async () => {
    const { user, scope } = await daemonUser('payg@example.org')
    await scope.subscription.update({ custom_recordings_per_month: 2, pay_as_you_go_enabled: true })
    const svc = await quota()
    const ids = await recordings(scope, 4)
    for (const id of ids.slice(0, 2)) expect(await svc.startRecording(user, id)).toMatchObject({ overage: false })
    expect(await svc.startRecording(user, ids[2]!)).toMatchObject({ counted: true, overage: true, overageCostCents: 50 })
    const status = await svc.status(user)
    expect(status.usage).toMatchObject({ recordings: 3, overage_recordings: 1, overage_cost_cents: 50 })
    expect(status.availability.recordings_per_month).toEqual({ limit: 2, used: 3, remaining: 0, exhausted: true, exceeded: true })

    await scope.subscription.update({ custom_recordings_per_month: 0 })
    const e = await refusal(svc.startRecording(user, ids[3]!))
    expect(e.message).toMatch(/allows no recordings/)
    expect(e.details).toMatchObject({ quota: 'recordings_per_month', limit: 0 })
  })

  it("never refuses the CLI's own user, whatever its plan says", async () => {
    const local = { id: t.app.localUser.id, timezone: 'UTC' }
    const scope = forUser(t.app.database.db, local.id)
    await scope.subscription.update({ plan: 'free', custom_recordings_per_month: 0, custom_storage_bytes: 0 })
    const [id] = await recordings(scope, 1)
    expect(await (await quota()).startRecording(local, id!)).toMatchObject({ counted: false })
  })

  it('refuses a run before its task is queued, and gives back a start whose task could not be queued', async () => {
    const { user, scope } = await daemonUser('run@example.org')
    await scope.subscription.update({ custom_recordings_per_month: 1 })
    const [first, second] = await recordings(scope, 2)
    await (await quota()).startRecording(user, first!)
    const e = await refusal((await t.app.service('recordings')).queueRun(user, second!))
    expect(e.details).toMatchObject({ quota: 'recordings_per_month', limit: 1, usage: 1 })
    expect((await scope.tasks.list({ recording_id: second! })).items).toEqual([])
    // Its task is held by another live process with other settings: the run is refused after the count, which is given back.
    const queued = await enqueue(t.app.database.db, user.id, { type: 'pipeline', payload: { recordingId: second! }, dedupeKey: `pipeline:${second}`, recordingId: second! })
    expect((await systemScope(t.app.database.db).tasks.claimNext({ owner: newLeaseOwner(), leaseMs: 60_000 }))?.id).toBe(queued.task.id)
    await scope.subscription.update({ custom_recordings_per_month: 5 })
    expect((await refusal((await t.app.service('recordings')).queueRun(user, second!, { stopAfter: 'PROCESS' }))).code).toBe('conflict')
    expect((await scope.quota.getUsage('202612'))?.recordings_count).toBe(1)
    expect(await scope.quota.isCounted('202612', second!)).toBe(false)
  })
})

describe('storage', () => {
  it('follows the media of a recording by measurement, refuses new work when used up, and frees on reset', async () => {
    const { user, scope } = await daemonUser('storage@example.org')
    const svc = await quota()
    const [id, other] = await recordings(scope, 2)
    const dir = path.join(t.app.env.mediaDir, `user_${user.id}`, `rec_${id}`)
    fs.mkdirSync(path.join(dir, 'asr'), { recursive: true })
    fs.writeFileSync(path.join(dir, 'processed.mp4'), Buffer.alloc(3000))
    fs.writeFileSync(path.join(dir, 'asr', 'asr-000.json'), Buffer.alloc(500))
    expect(await svc.measureRecordingStorage(user, id!)).toBe(3500)
    expect(await svc.measureRecordingStorage(user, id!)).toBe(0)
    fs.rmSync(path.join(dir, 'asr'), { recursive: true })
    expect(await svc.measureRecordingStorage(user, id!)).toBe(-500)
    await svc.addStorage(user, 100)
    expect((await svc.status(user)).usage.storage_bytes).toBe(3100)

    await scope.subscription.update({ custom_storage_bytes: 3000 })
    const e = await refusal(svc.startRecording(user, other!))
    expect(e.details).toMatchObject({ quota: 'storage_bytes', limit: 3000, usage: 3100 })
    expect(e.message).toMatch(/3.03 KiB.*2.93 KiB/)

    await (await t.app.service('recordings')).reset(user, id!)
    expect((await svc.status(user)).usage.storage_bytes).toBe(100)
    expect(await svc.startRecording(user, other!)).toMatchObject({ counted: true })
  })

  it('shows the stored level at the end of each period in the history, newest first', async () => {
    const { user } = await daemonUser('history@example.org')
    const svc = await quota()
    t.now = '2026-10-15T00:00:00.000Z'
    await svc.addStorage(user, 1000)
    t.now = '2026-11-15T00:00:00.000Z'
    await svc.addStorage(user, -400)
    t.now = '2026-12-05T00:00:00.000Z'
    await svc.addStorage(user, 50)
    expect((await svc.history(user, { limit: 2 })).map((p) => [p.period, p.storage_bytes])).toEqual([['202612', 650], ['202611', 600]])
    await expect(svc.history(user, { limit: 25 })).rejects.toMatchObject({ code: 'usage' })
  })
})

describe('automation limits', () => {
  it("come from the effective limits: a custom job count and interval override the plan's", async () => {
    const { user, scope } = await daemonUser('jobs@example.org', 'plus')
    await scope.subscription.update({ custom_max_automation_jobs: 1, custom_min_automation_interval_hours: 12 })
    const folder = path.join(t.home, 'lectures')
    fs.mkdirSync(folder)
    const source = await (await t.app.service('sources')).create(user, { name: 'lectures', platform: 'local', config: { path: folder } })
    const jobs = await t.app.service('jobs')
    const every = (hours: number) => ({ name: `every ${hours}`, source_ids: [source.id], schedule: { type: 'hours', every_hours: hours } })
    expect((await refusal(jobs.add(user, every(6)))).details).toMatchObject({ quota: 'min_automation_interval_hours', limit: 12 })
    await jobs.add(user, every(12))
    expect((await refusal(jobs.add(user, { ...every(24), name: 'daily' }))).details).toMatchObject({ quota: 'automation_jobs', limit: 1, usage: 1 })
  })
})

describe('status', () => {
  it('shows the plan, effective limits (custom over plan) and availability of every quota', async () => {
    const { user, scope } = await daemonUser('plus@example.org', 'plus')
    await scope.subscription.update({ custom_max_automation_jobs: 1 })
    const status = await (await quota()).status(user)
    expect(status).toMatchObject({
      period: '202612',
      renews_at: '2027-01-01T00:00:00.000Z',
      plan: { name: 'plus', price_monthly_cents: 1000, overage_price_per_recording_cents: 40 },
      pay_as_you_go: false,
      limits: { recordings_per_month: 50, storage_bytes: 25 * 1024 ** 3, concurrent_tasks: 2, automation_jobs: 1, min_automation_interval_hours: 6 },
      usage: { recordings: 0, storage_bytes: 0, concurrent_tasks: 0, automation_jobs: 0 },
    })
    expect(status.availability.automation_jobs).toEqual({ limit: 1, used: 0, remaining: 1, exhausted: false, exceeded: false })
  })
})
