import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { App } from '../../../src/app.js'
import { RecflowError } from '../../../src/domain/errors.js'
import { Worker } from '../../../src/jobs/worker.js'
import type { UserRef } from '../../../src/services/context.js'
import type { TaskWatchUpdate } from '../../../src/services/tasks.js'
import { deferred, harness, testRegistry, untilAborted, type Harness } from './harness.js'

let h: Harness
let app: App
let pro: UserRef
let free: UserRef
beforeEach(async () => {
  h = await harness()
  app = await h.openApp()
  pro = { id: h.pro.userId, timezone: 'UTC' }
  free = { id: h.free.userId, timezone: 'UTC' }
})
afterEach(() => h.cleanup())

describe('tasks.list', () => {
  it('lists the user\'s tasks newest first, filtered by state', async () => {
    const a = await h.enqueueTest(h.pro)
    const b = await h.enqueueTest(h.pro)
    await h.enqueueTest(h.free)
    await h.pro.tasks.requestCancel(a.id)
    expect((await (await app.service('tasks')).list(pro)).items.map((t) => t.id)).toEqual([b.id, a.id])
    expect((await (await app.service('tasks')).list(pro, { state: ['cancelled'] })).items.map((t) => t.id)).toEqual([a.id])
  })

  it('refuses an unknown state as a usage error listing the valid ones', async () => {
    await expect((await app.service('tasks')).list(pro, { state: ['done'] })).rejects.toMatchObject({
      code: 'usage',
      hint: expect.stringContaining('succeeded'),
    })
  })
})

describe('tasks.get', () => {
  it('returns the task with its events', async () => {
    const task = await h.enqueueTest(h.pro)
    await new Worker({ db: h.database.db, registry: testRegistry(async () => 'ok') }).runUntilIdle()
    const details = await (await app.service('tasks')).get(pro, task.id)
    expect(details.task).toMatchObject({ id: task.id, state: 'succeeded' })
    expect(details.events.map((e) => e.kind)).toEqual(['started', 'succeeded'])
  })

  it('answers not_found for a missing id and for another user\'s task alike', async () => {
    const theirs = await h.enqueueTest(h.free)
    await expect((await app.service('tasks')).get(pro, 999)).rejects.toMatchObject({ code: 'not_found', message: 'task 999 not found' })
    await expect((await app.service('tasks')).get(pro, theirs.id)).rejects.toMatchObject({ code: 'not_found', message: `task ${theirs.id} not found` })
  })
})

describe('tasks.cancel', () => {
  it('cancels a pending task at once', async () => {
    const task = await h.enqueueTest(h.pro, { dedupeKey: 'k' })
    const result = await (await app.service('tasks')).cancel(pro, task.id)
    expect(result).toMatchObject({ outcome: 'cancelled', task: { state: 'cancelled', dedupe_key: null } })
  })

  it('asks a running task to stop', async () => {
    const task = await h.enqueueTest(h.pro)
    await h.sys.tasks.claimNext({ owner: 'daemon', leaseMs: 60_000 })
    const result = await (await app.service('tasks')).cancel(pro, task.id)
    expect(result).toMatchObject({ outcome: 'cancel_requested', task: { state: 'running', cancel_requested: true } })
  })

  it('refuses a finished task as a conflict, changing nothing', async () => {
    const task = await h.enqueueTest(h.pro)
    await h.sys.tasks.claimNext({ owner: 'w', leaseMs: 60_000 })
    await h.sys.tasks.finish(task.id, 'w', { state: 'succeeded' })
    const before = await h.task(task.id)
    await expect((await app.service('tasks')).cancel(pro, task.id)).rejects.toMatchObject({
      code: 'conflict',
      message: `task ${task.id} already finished (succeeded)`,
    })
    expect(await h.task(task.id)).toEqual(before)
  })

  it('does not cancel another user\'s task', async () => {
    const theirs = await h.enqueueTest(h.free)
    await expect((await app.service('tasks')).cancel(pro, theirs.id)).rejects.toMatchObject({ code: 'not_found' })
    expect((await h.task(theirs.id)).state).toBe('pending')
  })
})

describe('tasks.watch', () => {
  it('follows a task another connection runs until it finishes', async () => {
    const task = await h.enqueueTest(h.pro)
    const gate = deferred()
    const w = new Worker({
      db: h.database.db,
      progressIntervalMs: 20,
      registry: testRegistry(async ({ reportProgress }) => {
        reportProgress({ percent: 50, stage: 'PROCESS' })
        await gate.promise
        return 'ok'
      }),
    })
    const updates: TaskWatchUpdate[] = []
    const watching = (await app.service('tasks')).watch(pro, task.id, {
      intervalMs: 20,
      onUpdate: (u) => {
        updates.push(u)
        if (u.task.progress === 50) gate.resolve()
      },
    })
    await w.runUntilIdle()
    const final = await watching
    expect(final).toMatchObject({ id: task.id, state: 'succeeded' })
    expect(updates.some((u) => u.task.state === 'running' && u.task.stage === 'PROCESS')).toBe(true)
    expect(updates.flatMap((u) => u.events.map((e) => e.kind))).toEqual(['started', 'stage', 'succeeded'])
  })

  it('stops watching when its signal aborts, leaving the task alone', async () => {
    const task = await h.enqueueTest(h.pro)
    const stop = new AbortController()
    const watching = (await app.service('tasks')).watch(pro, task.id, { intervalMs: 20, signal: stop.signal })
    setTimeout(() => stop.abort(), 50)
    const error = await watching.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RecflowError)
    expect(error).toMatchObject({ code: 'cancelled' })
    expect((await h.task(task.id)).state).toBe('pending')
  })

  it('ends with the cancelled row when the task is cancelled while watched', async () => {
    const task = await h.enqueueTest(h.free)
    const started = deferred()
    const w = new Worker({
      db: h.database.db,
      heartbeatMs: 20,
      registry: testRegistry(async ({ signal }) => {
        started.resolve()
        await untilAborted(signal)
      }),
    })
    const running = w.runUntilIdle()
    await started.promise
    const watching = (await app.service('tasks')).watch(free, task.id, { intervalMs: 20 })
    await (await app.service('tasks')).cancel(free, task.id)
    expect((await watching).state).toBe('cancelled')
    await running
  })
})
