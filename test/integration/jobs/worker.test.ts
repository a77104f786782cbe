import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { Worker, type WorkerOptions } from '../../../src/jobs/worker.js'
import type { Handler } from '../../../src/jobs/task-types.js'
import { silentLogger } from '../../../src/platform/logger.js'
import { deferred, harness, ManualClock, testRegistry, untilAborted, waitFor, type Harness, type TestPayload } from './harness.js'

let h: Harness
let workers: Worker[]
beforeEach(async () => {
  h = await harness()
  workers = []
})
afterEach(async () => {
  for (const w of workers) await w.stop({ graceful: false })
  await h.cleanup()
})

const worker = (handler: Handler<TestPayload>, opts: Partial<WorkerOptions> = {}) => {
  const w = new Worker({ db: h.database.db, registry: testRegistry(handler), pollMs: 20, heartbeatMs: 50, ...opts })
  workers.push(w)
  return w
}

const kinds = async (taskId: number, user = h.pro) => (await user.taskEvents.list(taskId)).map((e) => e.kind)

describe('running tasks', () => {
  it('runs a task to success, storing its result and its lifecycle events', async () => {
    const task = await h.enqueueTest(h.pro, { payload: { n: 20 } })
    const report = await worker(async ({ payload }) => ({ doubled: (payload.n ?? 0) * 2 })).runUntilIdle()
    expect(report.finished.map((t) => [t.id, t.state])).toEqual([[task.id, 'succeeded']])
    expect(await h.task(task.id)).toMatchObject({ state: 'succeeded', result: { doubled: 40 }, progress: 100, attempts: 1, lease_owner: null })
    expect(await kinds(task.id)).toEqual(['started', 'succeeded'])
  })

  it('leases the task to the worker and extends the lease with heartbeats while the handler runs', async () => {
    const task = await h.enqueueTest(h.pro)
    const release = deferred()
    const w = worker(() => release.promise.then(() => null), { leaseMs: 5_000, heartbeatMs: 30 })
    const run = w.runUntilIdle()
    const first = await waitFor(async () => {
      const t = await h.task(task.id)
      return t.state === 'running' && t
    })
    expect(first.lease_owner).toBe(w.owner)
    const later = await waitFor(async () => {
      const t = await h.task(task.id)
      return t.lease_expires_at! > first.lease_expires_at! && t
    })
    expect(Date.parse(later.heartbeat_at!)).toBeGreaterThan(Date.parse(first.heartbeat_at!))
    release.resolve()
    await run
    expect((await h.task(task.id)).state).toBe('succeeded')
  })

  it('fails a task whose stored payload does not parse, without calling the handler', async () => {
    const { task } = await h.pro.tasks.create({ type: 'test', payload: { n: 'not a number' } })
    let called = false
    await worker(async () => {
      called = true
    }).runUntilIdle()
    expect(called).toBe(false)
    expect(await h.task(task.id)).toMatchObject({ state: 'failed', attempts: 1, error: { code: 'validation', message: expect.stringContaining('payload.n') } })
  })

  it('only takes the tasks the filter names', async () => {
    const other = await h.enqueueTest(h.pro)
    const mine = await h.enqueueTest(h.pro)
    const report = await worker(async () => null).runUntilIdle({ filter: { ids: [mine.id] } })
    expect(report.finished.map((t) => t.id)).toEqual([mine.id])
    expect((await h.task(other.id)).state).toBe('pending')
  })

  it('only takes the named user\'s tasks when filtered by user', async () => {
    const theirs = await h.enqueueTest(h.free)
    const mine = await h.enqueueTest(h.pro)
    const report = await worker(async () => null).runUntilIdle({ filter: { userId: h.pro.userId } })
    expect(report.finished.map((t) => t.id)).toEqual([mine.id])
    expect((await h.task(theirs.id)).state).toBe('pending')
  })
})

describe('failures and retries', () => {
  it('retries a transient failure with growing run_at, then succeeds', async () => {
    const clock = new ManualClock()
    const task = await h.enqueueTest(h.pro, { maxAttempts: 3 })
    const w = worker(
      async (ctx) => {
        if (ctx.attempt < 3) throw new RecflowError('provider', `HTTP 503 on attempt ${ctx.attempt}`)
        return 'done'
      },
      { clock, backoff: { random: () => 0 } },
    )
    const delays: number[] = []
    for (let i = 0; i < 2; i++) {
      const before = clock.now().getTime()
      const report = await w.runUntilIdle({ waitForRetriesMs: 0 })
      expect(report.pending.map((t) => t.id)).toEqual([task.id])
      const row = await h.task(task.id)
      expect(row).toMatchObject({ state: 'pending', lease_owner: null, error: { code: 'provider', transient: true } })
      delays.push(Date.parse(row.run_at) - before)
      clock.advance(Date.parse(row.run_at) - clock.now().getTime())
    }
    expect(delays[0]).toBeGreaterThanOrEqual(2000)
    expect(delays[0]).toBeLessThan(2100)
    expect(delays[1]).toBeGreaterThanOrEqual(4000)
    expect(delays[1]).toBeLessThan(4100)
    await w.runUntilIdle({ waitForRetriesMs: 0 })
    expect(await h.task(task.id)).toMatchObject({ state: 'succeeded', attempts: 3, result: 'done' })
    expect(await kinds(task.id)).toEqual(['started', 'retry', 'started', 'retry', 'started', 'succeeded'])
  })

  it('waits as long as a rate-limited provider asks before the next attempt', async () => {
    const clock = new ManualClock()
    const task = await h.enqueueTest(h.pro)
    const before = clock.now().getTime()
    await worker(
      async () => {
        throw Object.assign(new Error('429 Too Many Requests'), { kind: 'rate_limited', retryAfterMs: 120_000 })
      },
      { clock, backoff: { random: () => 0 } },
    ).runUntilIdle({ waitForRetriesMs: 0 })
    const row = await h.task(task.id)
    expect(Date.parse(row.run_at) - before).toBeGreaterThanOrEqual(120_000)
    expect(row.error).toMatchObject({ code: 'provider', details: { kind: 'rate_limited', retryAfterMs: 120_000 } })
  })

  it('waits for a retry due soon instead of returning, when allowed to', async () => {
    const task = await h.enqueueTest(h.pro)
    const report = await worker(
      async (ctx) => {
        if (ctx.attempt === 1) throw new RecflowError('provider', 'blip')
        return 'second time lucky'
      },
      { backoff: { baseMs: 30, random: () => 0 } },
    ).runUntilIdle({ waitForRetriesMs: 1000 })
    expect(report).toMatchObject({ pending: [], finished: [{ id: task.id, state: 'succeeded', attempts: 2 }] })
  })

  it('fails a permanent error at once, with attempts left', async () => {
    const task = await h.enqueueTest(h.pro, { maxAttempts: 5 })
    let calls = 0
    const report = await worker(async () => {
      calls++
      throw new RecflowError('validation', 'template 3 renders an empty title', { hint: 'edit the title template' })
    }).runUntilIdle()
    expect(calls).toBe(1)
    expect(report.finished).toHaveLength(1)
    expect(await h.task(task.id)).toMatchObject({
      state: 'failed',
      attempts: 1,
      dedupe_key: null,
      error: { code: 'validation', message: 'template 3 renders an empty title', hint: 'edit the title template', transient: false },
    })
  })

  it("logs the attempt's own error beside the write's when its failure cannot be recorded", async () => {
    const task = await h.enqueueTest(h.pro, { maxAttempts: 1 })
    // The database refuses to mark the task failed (as a full disk would), in another connection.
    const raw = new BetterSqlite3(h.file)
    raw.exec(`CREATE TRIGGER refuse_failed BEFORE UPDATE OF state ON tasks
      WHEN NEW.state = 'failed' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`)
    raw.close()
    const errors: Array<{ message: string; fields?: Record<string, unknown> }> = []
    const logger = { ...silentLogger, error: (message: string, fields?: Record<string, unknown>) => void errors.push({ message, fields }) }
    await worker(async () => {
      throw new RecflowError('validation', 'template 3 renders an empty title')
    }, { logger }).runUntilIdle({ waitForRetriesMs: 0 })
    expect(errors).toContainEqual({
      message: expect.stringMatching(/could not record the end of a task attempt/),
      fields: expect.objectContaining({ taskId: task.id, error: 'refused by the test', taskError: 'template 3 renders an empty title' }),
    })
  })

  it('fails a transient error once max_attempts is used up', async () => {
    const clock = new ManualClock()
    const task = await h.enqueueTest(h.pro, { maxAttempts: 2 })
    const w = worker(
      async () => {
        throw new RecflowError('provider', 'still down')
      },
      { clock },
    )
    await w.runUntilIdle({ waitForRetriesMs: 0 })
    clock.advance(10 * 60_000)
    const report = await w.runUntilIdle({ waitForRetriesMs: 0 })
    expect(report.pending).toEqual([])
    expect(await h.task(task.id)).toMatchObject({ state: 'failed', attempts: 2, error: { code: 'provider', transient: true } })
  })
})

describe('cancellation', () => {
  it('cancels a pending task from another process before any worker runs it', async () => {
    const task = await h.enqueueTest(h.pro)
    const cli = await h.openApp()
    expect((await (await cli.service('tasks')).cancel({ id: h.pro.userId, timezone: 'UTC' }, task.id)).outcome).toBe('cancelled')
    let called = false
    const report = await worker(async () => {
      called = true
    }).runUntilIdle()
    expect(called).toBe(false)
    expect(report.finished).toEqual([])
    expect(await h.task(task.id)).toMatchObject({ state: 'cancelled', attempts: 0 })
  })

  it('aborts a running task when another process asks, and records it cancelled', async () => {
    const task = await h.enqueueTest(h.pro, { dedupeKey: 'once' })
    const started = deferred()
    let sawAbort = false
    const run = worker(async ({ signal }) => {
      started.resolve()
      try {
        await untilAborted(signal)
      } finally {
        sawAbort = signal.aborted
      }
    }).runUntilIdle()
    await started.promise
    const cli = await h.openApp()
    expect((await (await cli.service('tasks')).cancel({ id: h.pro.userId, timezone: 'UTC' }, task.id)).outcome).toBe('cancel_requested')
    const report = await run
    expect(sawAbort).toBe(true)
    expect(report.finished.map((t) => t.state)).toEqual(['cancelled'])
    expect(await h.task(task.id)).toMatchObject({ state: 'cancelled', attempts: 1, dedupe_key: null, error: { code: 'cancelled' } })
    expect(await kinds(task.id)).toEqual(['started', 'cancelled'])
  })

  it('cancels a running task in-process', async () => {
    const task = await h.enqueueTest(h.pro)
    const started = deferred()
    const w = worker(async ({ signal }) => {
      started.resolve()
      await untilAborted(signal)
    })
    const run = w.runUntilIdle()
    await started.promise
    expect(w.cancel(task.id)).toBe(true)
    expect(w.cancel(task.id + 100)).toBe(false)
    await run
    expect((await h.task(task.id)).state).toBe('cancelled')
  })
})

describe('per-user concurrency', () => {
  it('holds a free user\'s second task while another user\'s task runs', async () => {
    const a1 = await h.enqueueTest(h.free, { payload: { n: 1 } })
    const a2 = await h.enqueueTest(h.free, { payload: { n: 2 } })
    const b1 = await h.enqueueTest(h.pro, { payload: { n: 3 } })
    const gates = new Map([1, 2, 3].map((n) => [n, deferred()]))
    const w = worker(async ({ payload }) => gates.get(payload.n!)!.promise.then(() => payload.n), { concurrency: 5 })
    await w.start()
    await waitFor(() => w.runningTaskIds.length === 2)
    expect(w.runningTaskIds.sort()).toEqual([a1.id, b1.id].sort())
    await new Promise((r) => setTimeout(r, 150)) // several polls: a2 must stay pending
    expect((await h.task(a2.id)).state).toBe('pending')
    gates.get(1)!.resolve()
    await waitFor(async () => (await h.task(a2.id)).state === 'running')
    expect((await h.task(a1.id)).state).toBe('succeeded')
    expect((await h.task(b1.id)).state).toBe('running')
    gates.get(2)!.resolve()
    gates.get(3)!.resolve()
    await waitFor(async () => (await h.pro.tasks.countRunning()) + (await h.free.tasks.countRunning()) === 0)
    await w.stop()
  })

  it('runs up to five tasks at once for a pro user, and not a sixth', async () => {
    const tasks = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => h.enqueueTest(h.pro, { payload: { n } })))
    const gate = deferred()
    const w = worker(() => gate.promise.then(() => null), { concurrency: 10 })
    await w.start()
    await waitFor(() => w.runningTaskIds.length === 5)
    await new Promise((r) => setTimeout(r, 150))
    expect(w.runningTaskIds).toHaveLength(5)
    expect((await h.task(tasks[5]!.id)).state).toBe('pending')
    gate.resolve()
    await waitFor(async () => (await Promise.all(tasks.map((t) => h.task(t.id)))).every((t) => t.state === 'succeeded'))
    await w.stop()
  })

  it('never runs more tasks than its own concurrency', async () => {
    await Promise.all([1, 2, 3].map((n) => h.enqueueTest(h.pro, { payload: { n } })))
    let now = 0
    let peak = 0
    await worker(
      async () => {
        peak = Math.max(peak, ++now)
        await new Promise((r) => setTimeout(r, 30))
        now--
      },
      { concurrency: 2 },
    ).runUntilIdle()
    expect(peak).toBe(2)
  })
})

describe('shutdown and crashes', () => {
  it('graceful stop lets the handler clean up, then returns the task to pending without burning an attempt', async () => {
    const task = await h.enqueueTest(h.pro, { maxAttempts: 1 })
    const started = deferred()
    let cleanedUp = false
    const w = worker(async ({ signal }) => {
      started.resolve()
      try {
        await untilAborted(signal)
      } finally {
        await new Promise((r) => setTimeout(r, 50)) // e.g. killing ffmpeg and removing a .part file
        cleanedUp = true
      }
    })
    await w.start()
    await started.promise
    await w.stop({ graceful: true })
    expect(cleanedUp).toBe(true)
    expect(await h.task(task.id)).toMatchObject({ state: 'pending', attempts: 0, lease_owner: null, lease_expires_at: null })
    expect(await kinds(task.id)).toEqual(['started', 'released'])

    // With max_attempts 1, a burnt attempt would have made this impossible.
    const report = await worker(async () => 'resumed').runUntilIdle()
    expect(report.finished).toMatchObject([{ id: task.id, state: 'succeeded', attempts: 1 }])
  })

  it('hands back a task whose handler ignores the abort once the shutdown timeout passes', async () => {
    const task = await h.enqueueTest(h.pro)
    const started = deferred()
    const never = deferred()
    const w = worker(async () => {
      started.resolve()
      await never.promise
    }, { shutdownTimeoutMs: 100 })
    await w.start()
    await started.promise
    const t0 = Date.now()
    await w.stop()
    expect(Date.now() - t0).toBeLessThan(2000)
    expect(w.runningTaskIds).toEqual([])
    expect(await h.task(task.id)).toMatchObject({ state: 'pending', attempts: 0, lease_owner: null })
    never.resolve() // the late handler's success must not overwrite the handed-back task
    await new Promise((r) => setTimeout(r, 50))
    expect((await h.task(task.id)).state).toBe('pending')
  })

  it('drain lets a running task finish within the grace period and claims nothing new meanwhile', async () => {
    const first = await h.enqueueTest(h.pro, { payload: { n: 1 } })
    const started = deferred()
    const finish = deferred()
    const w = worker(async ({ payload }) => {
      if (payload.n === 1) {
        started.resolve()
        await finish.promise
      }
      return 'done'
    }, { concurrency: 1 })
    await w.start()
    await started.promise
    const drain = w.drain(5_000)
    const second = await h.enqueueTest(h.pro, { payload: { n: 2 } })
    finish.resolve()
    expect(await drain.done).toEqual([])
    expect(await h.task(first.id)).toMatchObject({ state: 'succeeded', result: 'done' })
    // Queued while draining: left for the next worker.
    expect(await h.task(second.id)).toMatchObject({ state: 'pending', attempts: 0 })
  })

  it('drain hands a task still running when the grace period ends back to the queue, attempt not counted', async () => {
    const task = await h.enqueueTest(h.pro, { maxAttempts: 1 })
    const started = deferred()
    const w = worker(async ({ signal }) => {
      started.resolve()
      await untilAborted(signal)
    })
    await w.start()
    await started.promise
    const t0 = Date.now()
    const drain = w.drain(60_000)
    drain.now() // a second Ctrl-C: no more grace
    expect(await drain.done).toEqual([task.id])
    expect(Date.now() - t0).toBeLessThan(2_000)
    expect(await h.task(task.id)).toMatchObject({ state: 'pending', attempts: 0, lease_owner: null })
    expect(await kinds(task.id)).toEqual(['started', 'released'])
  })

  it('a stop during runUntilIdle ends it and reports the handed-back task as pending', async () => {
    const task = await h.enqueueTest(h.pro)
    const started = deferred()
    const w = worker(async ({ signal }) => {
      started.resolve()
      await untilAborted(signal)
    })
    const run = w.runUntilIdle()
    await started.promise
    await w.stop({ graceful: false })
    expect(await run).toMatchObject({ finished: [], pending: [{ id: task.id, state: 'pending' }] })
  })

  it('a stop after the user cancelled records the task cancelled, not pending', async () => {
    const task = await h.enqueueTest(h.pro)
    const started = deferred()
    const w = worker(async ({ signal }) => {
      started.resolve()
      await untilAborted(signal)
    })
    await w.start()
    await started.promise
    w.cancel(task.id)
    await w.stop()
    expect((await h.task(task.id)).state).toBe('cancelled')
  })

  it('a new worker picks up the task of a worker whose lease expired without a stop', async () => {
    const task = await h.enqueueTest(h.pro)
    // A worker that claimed the task and died: its lease is never extended or released.
    const dead = await h.sys.tasks.claimNext({ owner: 'dead-host:1234:abc', leaseMs: 30_000 })
    expect(dead?.id).toBe(task.id)
    const clock = new ManualClock()
    clock.advance(31_000)
    const report = await worker(async () => 'recovered', { clock }).runUntilIdle()
    // The dead worker's claim was not an attempt: the task ran once.
    expect(report.finished).toMatchObject([{ id: task.id, state: 'succeeded', attempts: 1, result: 'recovered' }])
  })

  it('leaves a task whose lease has not expired to its worker', async () => {
    const task = await h.enqueueTest(h.pro)
    await h.sys.tasks.claimNext({ owner: 'alive-elsewhere', leaseMs: 30_000 })
    const report = await worker(async () => 'stolen').runUntilIdle()
    expect(report.finished).toEqual([])
    expect(await h.task(task.id)).toMatchObject({ state: 'running', lease_owner: 'alive-elsewhere' })
  })

  it('refuses to run twice at once', async () => {
    const w = worker(async () => null)
    await w.start()
    await expect(w.runUntilIdle()).rejects.toMatchObject({ code: 'conflict' })
    await w.stop()
  })
})
