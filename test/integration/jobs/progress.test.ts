import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Task } from '../../../src/db/index.js'
import { ProgressBus, type TaskUpdate } from '../../../src/jobs/progress-bus.js'
import { TaskProgressRecorder } from '../../../src/jobs/progress.js'
import { Worker } from '../../../src/jobs/worker.js'
import { harness, testRegistry, waitFor, type Harness } from './harness.js'
import { silentLogger } from '../../../src/platform/logger.js'

let h: Harness
let task: Task
let counter: BetterSqlite3.Database

beforeEach(async () => {
  h = await harness()
  await h.enqueueTest(h.pro)
  task = (await h.sys.tasks.claimNext({ owner: 'w', leaseMs: 60_000 }))!
  // Counts every UPDATE of the task row, seen from a separate connection: real writes, not calls.
  counter = new BetterSqlite3(h.file)
  counter.exec(`
    CREATE TABLE task_writes (n INTEGER);
    CREATE TRIGGER count_task_writes AFTER UPDATE ON tasks BEGIN INSERT INTO task_writes VALUES (1); END;
  `)
})
afterEach(async () => {
  counter.close()
  await h.cleanup()
})

const writes = () => (counter.prepare('SELECT count(*) AS n FROM task_writes').get() as { n: number }).n
const recorder = (opts: { bus?: ProgressBus; intervalMs?: number } = {}) =>
  new TaskProgressRecorder({ db: h.database.db, userId: h.pro.userId, taskId: task.id, ...opts })

describe('TaskProgressRecorder', () => {
  it('writes 1000 reports made within a second at most twice, and persists the last value', async () => {
    const progress = recorder()
    const started = Date.now()
    for (let i = 1; i <= 1000; i++) progress.report({ percent: i / 10, message: `frame ${i}` })
    const elapsedS = Math.floor((Date.now() - started) / 1000)
    await progress.flush()
    expect(writes()).toBeLessThanOrEqual(2 + elapsedS)
    expect(await h.task(task.id)).toMatchObject({ progress: 100, message: 'frame 1000' })
  })

  it('keeps writing the latest value once per interval while reports keep coming', async () => {
    const progress = recorder({ intervalMs: 100 })
    progress.report({ percent: 10 })
    progress.report({ percent: 20 })
    await waitFor(async () => (await h.task(task.id)).progress === 20, 2000)
    expect(writes()).toBe(2)
    await progress.flush()
    expect(writes()).toBe(2)
  })

  it('clamps progress to 0-100', async () => {
    const progress = recorder()
    progress.report({ percent: 250 })
    await progress.flush()
    expect((await h.task(task.id)).progress).toBe(100)
    const again = recorder()
    again.report({ percent: Number.NaN })
    await again.flush()
    expect((await h.task(task.id)).progress).toBe(0)
  })

  it('appends an event for each stage change, not for percent ticks', async () => {
    const progress = recorder()
    progress.report({ percent: 1, stage: 'DOWNLOAD' })
    for (let i = 2; i < 50; i++) progress.report({ percent: i })
    progress.report({ percent: 50, stage: 'PROCESS', message: 'trimming' })
    for (let i = 51; i <= 60; i++) progress.report({ percent: i, stage: 'PROCESS' })
    await progress.flush()
    const events = await h.pro.taskEvents.list(task.id)
    expect(events.map((e) => [e.kind, e.stage, e.progress])).toEqual([
      ['stage', 'DOWNLOAD', 1],
      ['stage', 'PROCESS', 50],
    ])
    expect(await h.task(task.id)).toMatchObject({ progress: 60, stage: 'PROCESS', message: 'trimming' })
  })

  it('persists stage events from services, skipping per-stage progress ticks', async () => {
    const progress = recorder()
    progress.onEvent({ type: 'stage-started', recordingId: 4, stage: 'TRANSCRIBE' })
    for (let p = 0; p <= 100; p += 10) progress.onEvent({ type: 'progress', recordingId: 4, stage: 'TRANSCRIBE', percent: p })
    progress.onEvent({ type: 'stage-finished', recordingId: 4, stage: 'TRANSCRIBE', outcome: 'completed' })
    progress.onEvent({ type: 'log', level: 'info', message: 'chatty' })
    progress.onEvent({ type: 'log', level: 'warn', message: 'no speech found in the last 10 minutes' })
    await progress.flush()
    const events = await h.pro.taskEvents.list(task.id)
    expect(events.map((e) => e.kind)).toEqual(['stage-started', 'stage-finished', 'log'])
    expect(events[0]).toMatchObject({ stage: 'TRANSCRIBE', data: { type: 'stage-started', recordingId: 4 } })
    expect(events[2]?.message).toBe('no speech found in the last 10 minutes')
    expect((await h.task(task.id)).stage).toBe('TRANSCRIBE')
  })

  it('fans every report and event out to the bus, unthrottled', async () => {
    const bus = new ProgressBus({ logger: silentLogger })
    const seen: TaskUpdate[] = []
    bus.subscribe((u) => seen.push(u), { taskId: task.id })
    const progress = recorder({ bus })
    for (let i = 1; i <= 100; i++) progress.report({ percent: i })
    progress.onEvent({ type: 'log', level: 'info', message: 'hello' })
    await progress.flush()
    expect(seen.filter((u) => u.kind === 'progress')).toHaveLength(100)
    expect(seen.at(-1)).toMatchObject({ kind: 'event', event: { type: 'log', message: 'hello' } })
  })

  it('ignores reports after the final flush', async () => {
    const progress = recorder()
    progress.report({ percent: 40 })
    await progress.flush()
    progress.report({ percent: 90 })
    await new Promise((r) => setTimeout(r, 50))
    expect((await h.task(task.id)).progress).toBe(40)
  })
})

describe('progress through the worker', () => {
  it('persists a handler\'s progress and streams state changes to the bus', async () => {
    await h.sys.tasks.finish(task.id, 'w', { state: 'succeeded' })
    const next = await h.enqueueTest(h.pro)
    const bus = new ProgressBus({ logger: silentLogger })
    const states: string[] = []
    bus.subscribe((u) => {
      if (u.kind === 'state') states.push(u.state)
    })
    await new Worker({
      db: h.database.db,
      bus,
      registry: testRegistry(async ({ reportProgress, onEvent }) => {
        reportProgress({ percent: 30, stage: 'SYNC', message: 'listing' })
        onEvent({ type: 'sync', sourceId: 1, sourceName: 'Zoom', found: 3, created: 2, changed: 0, vanished: 1 })
        reportProgress({ percent: 90 })
        return null
      }),
    }).runUntilIdle()
    expect(states).toEqual(['running', 'succeeded'])
    const events = await h.pro.taskEvents.list(next.id)
    expect(events.map((e) => e.kind)).toEqual(['started', 'stage', 'sync', 'succeeded'])
    expect(events[2]?.message).toBe('Zoom: 3 found, 2 new, 0 changed, 1 gone')
  })
})
