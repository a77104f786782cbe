import { spawn, spawnSync } from 'node:child_process'
import os from 'node:os'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { App } from '../../../src/app.js'
import { CHILD_STARTED, newLeaseOwner, recoverFromDeadLocalOwner } from '../../../src/jobs/lease-owner.js'
import { Worker } from '../../../src/jobs/worker.js'
import type { UserRef } from '../../../src/services/context.js'
import { harness, ManualClock, testRegistry, waitFor, type Harness } from './harness.js'

/*
 * A worker process that dies (SIGKILL, a crash) leaves its tasks "running" with its lease. Its death is not an
 * attempt, and whatever reads or changes tasks takes them back at once (issue 7, items 1 and 9).
 */

let h: Harness
let app: App
let pro: UserRef
beforeEach(async () => {
  h = await harness()
  app = await h.openApp()
  pro = { id: h.pro.userId, timezone: 'UTC' }
})
afterEach(() => h.cleanup())

/** The lease owner of a worker process of this host that has exited (its pid no longer exists). */
function deadOwner(): string {
  const { pid } = spawnSync(process.execPath, ['-e', '0'])
  return newLeaseOwner(os.hostname(), pid)
}

/** Claims the task as a worker process that then died holding it, with a lease that has not expired. */
async function claimAndDie(taskId: number): Promise<void> {
  const claimed = await h.sys.tasks.claimNext({ ids: [taskId], owner: deadOwner(), leaseMs: 10 * 60_000 })
  expect(claimed?.id).toBe(taskId)
}

describe('a crashed worker', () => {
  it('does not cost an attempt: after three kills the task still runs, as its first attempt', async () => {
    const task = await h.enqueueTest(h.pro, { maxAttempts: 3 })
    for (let kill = 1; kill <= 3; kill++) {
      await claimAndDie(task.id)
      const row = await recoverFromDeadLocalOwner(h.database.db, task.id, { now: new Date() })
      expect(row).toMatchObject({ state: 'pending', attempts: 0 })
    }
    const report = await new Worker({ db: h.database.db, registry: testRegistry(async () => 'done'), pollMs: 20 }).runUntilIdle({ filter: { ids: [task.id] } })
    expect(report.finished).toMatchObject([{ id: task.id, state: 'succeeded', attempts: 1 }])
  })

  it('whose lease expired gives the attempt back too, even the last one', async () => {
    const task = await h.enqueueTest(h.pro, { maxAttempts: 1 })
    await h.sys.tasks.claimNext({ ids: [task.id], owner: 'other-host:4242:abc', leaseMs: 100 })
    const clock = new ManualClock()
    clock.advance(1_000)
    expect(await h.sys.tasks.releaseExpiredLeases(clock.now())).toBe(1)
    expect(await h.task(task.id)).toMatchObject({ state: 'pending', attempts: 0 })
  })
})

describe('commands that read or change tasks take back a dead local owner\'s leases first', () => {
  it('tasks cancel cancels at once instead of "cancelling" until the lease expires', async () => {
    const task = await h.enqueueTest(h.pro)
    await claimAndDie(task.id)
    const result = await (await app.service('tasks')).cancel(pro, task.id)
    expect(result).toMatchObject({ outcome: 'cancelled', task: { state: 'cancelled' } })
  })

  it('tasks list and show see the task pending again, not running', async () => {
    const task = await h.enqueueTest(h.pro)
    await claimAndDie(task.id)
    expect((await (await app.service('tasks')).list(pro)).items).toMatchObject([{ id: task.id, state: 'pending', lease_owner: null }])
    await claimAndDie(task.id)
    const shown = await (await app.service('tasks')).get(pro, task.id)
    expect(shown.task).toMatchObject({ state: 'pending' })
    expect(shown.events.at(-1)).toMatchObject({ kind: 'recovered' })
  })

  it('tasks watch sees the task handed back (pending), not running forever', async () => {
    const task = await h.enqueueTest(h.pro)
    await claimAndDie(task.id)
    const stop = new AbortController()
    const states: string[] = []
    const watching = (await app.service('tasks'))
      .watch(pro, task.id, { signal: stop.signal, intervalMs: 20, onUpdate: (u) => void states.push(u.task.state) })
      .catch(() => undefined)
    await waitFor(() => states.length > 0)
    stop.abort()
    await watching
    expect(states[0]).toBe('pending')
  })

  it('recordings reset sees the task pending (cancel it at once, then reset), not running until the lease expires', async () => {
    const rec = await h.pro.recordings.create({ display_name: 'Crashed', start_time: '2026-03-02T09:00:00Z', status: 'PROCESSING' })
    const task = await h.enqueueTest(h.pro, { recordingId: rec.id })
    await claimAndDie(task.id)
    const recordings = await app.service('recordings')
    await expect(recordings.reset(pro, rec.id)).rejects.toMatchObject({ code: 'conflict', message: `recording ${rec.id} has a pending task (${task.id})` })
    expect(await (await app.service('tasks')).cancel(pro, task.id)).toMatchObject({ outcome: 'cancelled' })
    await recordings.reset(pro, rec.id)
    expect(await h.pro.recordings.get(rec.id)).toMatchObject({ status: 'SKIPPED' })
  })

  it('a started (daemon) worker takes them back at once and runs them, without waiting for the lease', async () => {
    const task = await h.enqueueTest(h.pro)
    await claimAndDie(task.id)
    const worker = new Worker({ db: h.database.db, registry: testRegistry(async () => 'resumed'), pollMs: 20 })
    await worker.start()
    try {
      const done = await waitFor(async () => {
        const row = await h.task(task.id)
        return row.state === 'succeeded' ? row : undefined
      }, 5_000)
      expect(done).toMatchObject({ result: 'resumed', attempts: 1 })
    } finally {
      await worker.stop()
    }
  })

  it('a running (daemon) worker takes back the task of a worker that dies beside it at once, not a lease period later', async () => {
    const worker = new Worker({ db: h.database.db, registry: testRegistry(async () => 'not run'), pollMs: 20 })
    await worker.start()
    try {
      // A `recflow run` beside the daemon claims a task and is then SIGKILLed: its lease has 10 minutes left, and the
      // worker's scan for expired leases (once a lease period, 30 s) is far off. The task is due in an hour, so the
      // daemon's worker cannot claim it first; handed back, it waits for its time.
      const runAt = new Date(Date.now() + 60 * 60_000)
      const task = await h.enqueueTest(h.pro, { runAt })
      const claimed = await h.sys.tasks.claimNext({ ids: [task.id], owner: deadOwner(), leaseMs: 10 * 60_000, now: runAt })
      expect(claimed?.id).toBe(task.id)
      const back = await waitFor(async () => {
        const row = await h.task(task.id)
        return row.state === 'pending' ? row : undefined
      }, 5_000)
      expect(back).toMatchObject({ lease_owner: null, attempts: 0 })
    } finally {
      await worker.stop()
    }
  })
})

describe('tasks show', () => {
  it('lists the newest events, not the first ones of a long history', async () => {
    const task = await h.enqueueTest(h.pro)
    await h.pro.transaction(async (tx) => {
      for (let i = 1; i <= 1_060; i++) await tx.taskEvents.append(task.id, { kind: 'log', message: `event ${i}` })
    })
    const { events } = await (await app.service('tasks')).get(pro, task.id)
    expect(events).toHaveLength(50)
    expect(events[0]!.message).toBe('event 1011')
    expect(events.at(-1)!.message).toBe('event 1060')
  })
})

describe('a leftover child of the dead worker', () => {
  // Stands in for the ffmpeg a SIGKILLed recflow leaves behind: a process of its own group that runs on.
  function orphan() {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' })
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
    return { pid: child.pid!, exited, kill: () => child.kill('SIGKILL') }
  }

  it('is killed when the task is taken back', async () => {
    const task = await h.enqueueTest(h.pro)
    const owner = deadOwner()
    await h.sys.tasks.claimNext({ ids: [task.id], owner, leaseMs: 10 * 60_000 })
    const child = orphan()
    try {
      await h.pro.taskEvents.append(task.id, { kind: CHILD_STARTED, data: { pid: child.pid, command: process.execPath, owner } })
      await (await app.service('tasks')).list(pro)
      expect(await child.exited).toBe('SIGKILL')
      expect((await (await app.service('tasks')).get(pro, task.id)).events.at(-1)?.message).toContain(`pid ${child.pid}`)
    } finally {
      child.kill()
    }
  })

  it('is left alone when its pid now runs something else (a reused pid)', async () => {
    const task = await h.enqueueTest(h.pro)
    const owner = deadOwner()
    await h.sys.tasks.claimNext({ ids: [task.id], owner, leaseMs: 10 * 60_000 })
    const child = orphan()
    try {
      await h.pro.taskEvents.append(task.id, { kind: CHILD_STARTED, data: { pid: child.pid, command: '/usr/bin/ffmpeg', owner } })
      expect((await (await app.service('tasks')).list(pro)).items[0]).toMatchObject({ id: task.id, state: 'pending' })
      process.kill(child.pid, 0) // still there
    } finally {
      child.kill()
      await child.exited
    }
  })
})
