import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { forUser, systemScope, type SystemScope, type UserScope } from '../../../src/db/scope.js'
import { tempDatabase, type TempDatabase } from './temp-db.js'

let t: TempDatabase
let sys: SystemScope
let free: UserScope
let pro: UserScope

const T0 = new Date('2024-06-01T12:00:00Z')
const later = (ms: number) => new Date(T0.getTime() + ms)
const claim = (owner = 'w1', now = T0) => sys.tasks.claimNext({ owner, leaseMs: 30_000, now })

beforeEach(async () => {
  t = await tempDatabase()
  sys = systemScope(t.database.db)
  free = forUser(t.database.db, (await sys.users.create({ email: 'free@example.com', plan: 'free' })).id)
  pro = forUser(t.database.db, (await sys.users.create({ email: 'pro@example.com', plan: 'pro' })).id)
})
afterEach(() => t.cleanup())

describe('enqueueing', () => {
  it('returns the unfinished task holding the same dedupe key instead of a second one', async () => {
    const first = await free.tasks.create({ type: 'sync', dedupe_key: 'job:1:2024-06-01T12', run_at: T0 })
    const second = await free.tasks.create({ type: 'sync', dedupe_key: 'job:1:2024-06-01T12', run_at: T0 })
    expect([first.created, second.created]).toEqual([true, false])
    expect(second.task.id).toBe(first.task.id)
  })

  it('frees the dedupe key once the task finishes', async () => {
    const first = await free.tasks.create({ type: 'sync', dedupe_key: 'k', run_at: T0 })
    await claim()
    await sys.tasks.finish(first.task.id, 'w1', { state: 'succeeded', result: { synced: 3 }, now: T0 })
    const again = await free.tasks.create({ type: 'sync', dedupe_key: 'k', run_at: T0 })
    expect(again.created).toBe(true)
    expect(await free.tasks.get(first.task.id)).toMatchObject({ dedupe_key: null, state: 'succeeded', progress: 100, result: { synced: 3 } })
  })

  it('scopes dedupe keys by user, so one tenant never receives another tenant\'s task', async () => {
    const mine = await free.tasks.create({ type: 'sync', dedupe_key: 'same', run_at: T0 })
    const theirs = await pro.tasks.create({ type: 'sync', dedupe_key: 'same', run_at: T0 })
    expect(theirs.created).toBe(true)
    expect(theirs.task.id).not.toBe(mine.task.id)
  })
})

describe('claiming', () => {
  it('takes higher priority first, then the earliest run_at, and never a task that is not yet due', async () => {
    const low = await pro.tasks.create({ type: 'a', run_at: later(-2000) })
    const high = await pro.tasks.create({ type: 'a', priority: 5, run_at: later(-1000) })
    await pro.tasks.create({ type: 'a', priority: 9, run_at: later(60_000) })
    expect((await claim())?.id).toBe(high.task.id)
    expect((await claim())?.id).toBe(low.task.id)
    expect(await claim()).toBeUndefined()
  })

  it('leases the task to the worker and counts the attempt', async () => {
    const { task } = await pro.tasks.create({ type: 'a', run_at: T0 })
    const claimed = await claim('worker-7')
    expect(claimed).toMatchObject({
      id: task.id,
      state: 'running',
      attempts: 1,
      lease_owner: 'worker-7',
      lease_expires_at: later(30_000).toISOString(),
    })
  })

  it('holds back a user at the plan\'s max_concurrent_tasks while others proceed', async () => {
    await free.tasks.create({ type: 'a', run_at: T0 })
    const blocked = await free.tasks.create({ type: 'a', run_at: T0 })
    const other = await pro.tasks.create({ type: 'a', run_at: later(1) })
    await claim()
    expect((await claim(undefined, later(1)))?.id).toBe(other.task.id)
    expect(await claim(undefined, later(1))).toBeUndefined()
    await free.subscription.update({ custom_max_concurrent_tasks: 2 })
    expect((await claim(undefined, later(1)))?.id).toBe(blocked.task.id)
  })

  it('only claims the task types the worker asks for', async () => {
    await pro.tasks.create({ type: 'transcribe', run_at: T0 })
    const sync = await pro.tasks.create({ type: 'sync', run_at: T0 })
    expect((await sys.tasks.claimNext({ owner: 'w', leaseMs: 1000, now: T0, types: ['sync'] }))?.id).toBe(sync.task.id)
    expect(await sys.tasks.claimNext({ owner: 'w', leaseMs: 1000, now: T0, types: ['sync'] })).toBeUndefined()
  })
})

describe('leases', () => {
  it('lets only the owning worker heartbeat, retry or finish', async () => {
    const { task } = await pro.tasks.create({ type: 'a', run_at: T0 })
    await claim('owner')
    expect(await sys.tasks.heartbeat(task.id, 'intruder', { leaseMs: 1000, now: T0 })).toBeUndefined()
    expect(await sys.tasks.finish(task.id, 'intruder', { state: 'failed', now: T0 })).toBeUndefined()
    expect(await sys.tasks.retryLater(task.id, 'intruder', { runAt: T0 })).toBeUndefined()
    expect((await sys.tasks.heartbeat(task.id, 'owner', { leaseMs: 60_000, now: later(10) }))?.lease_expires_at).toBe(
      later(60_010).toISOString(),
    )
  })

  it('returns a dead worker\'s task to pending without counting the attempt, even its last one', async () => {
    const retry = await pro.tasks.create({ type: 'a', run_at: T0, max_attempts: 3 })
    const last = await pro.tasks.create({ type: 'b', run_at: T0, max_attempts: 1 })
    await claim()
    await claim()
    expect(await sys.tasks.releaseExpiredLeases(later(29_000))).toBe(0)
    expect(await sys.tasks.releaseExpiredLeases(later(31_000))).toBe(2)
    expect(await pro.tasks.get(retry.task.id)).toMatchObject({ state: 'pending', lease_owner: null, attempts: 0 })
    expect(await pro.tasks.get(last.task.id)).toMatchObject({ state: 'pending', lease_owner: null, attempts: 0 })
  })

  it('puts a retried task back with its error until run_at', async () => {
    const { task } = await pro.tasks.create({ type: 'a', run_at: T0 })
    await claim()
    await sys.tasks.retryLater(task.id, 'w1', { runAt: later(5000), error: { kind: 'transient' } })
    expect(await claim('w1', later(4999))).toBeUndefined()
    expect(await claim('w1', later(5000))).toMatchObject({ id: task.id, attempts: 2, error: { kind: 'transient' } })
  })
})

describe('cancelling', () => {
  it('cancels a pending task at once and flags a running one for its worker', async () => {
    const pending = await pro.tasks.create({ type: 'a', run_at: later(1000), dedupe_key: 'p' })
    const running = await pro.tasks.create({ type: 'a', run_at: T0 })
    await claim()
    expect(await pro.tasks.requestCancel(pending.task.id)).toMatchObject({ state: 'cancelled', dedupe_key: null })
    expect(await pro.tasks.requestCancel(running.task.id)).toMatchObject({ state: 'running', cancel_requested: true })
    expect((await sys.tasks.heartbeat(running.task.id, 'w1', { leaseMs: 1000, now: T0 }))?.cancel_requested).toBe(true)
  })

  it('refuses to remove a running task', async () => {
    const { task } = await pro.tasks.create({ type: 'a', run_at: T0 })
    await claim()
    await expect(pro.tasks.remove(task.id)).rejects.toMatchObject({ code: 'conflict' })
  })
})

describe('progress and events', () => {
  it('accepts progress only while running, clamped to 0-100', async () => {
    const { task } = await pro.tasks.create({ type: 'a', run_at: T0 })
    expect(await pro.tasks.reportProgress(task.id, { progress: 50 })).toBeUndefined()
    await claim()
    expect(await pro.tasks.reportProgress(task.id, { progress: 140, stage: 'PROCESS', message: 'trimming' })).toMatchObject({
      progress: 100,
      stage: 'PROCESS',
      message: 'trimming',
    })
  })

  it('replays events in order after a given event id', async () => {
    const { task } = await pro.tasks.create({ type: 'a', run_at: T0 })
    const first = await pro.taskEvents.append(task.id, { kind: 'progress', progress: 10, data: { fps: 30 } })
    await pro.taskEvents.append(task.id, { kind: 'progress', progress: 20 })
    await pro.taskEvents.append(task.id, { kind: 'done' })
    const rest = await pro.taskEvents.list(task.id, { afterId: first.id })
    expect(rest.map((e) => e.kind)).toEqual(['progress', 'done'])
    expect((await pro.taskEvents.list(task.id))[0]?.data).toEqual({ fps: 30 })
  })
})
