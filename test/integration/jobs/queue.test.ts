import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { enqueue } from '../../../src/jobs/queue.js'
import { harness, testSchemas, type Harness } from './harness.js'

let h: Harness
beforeEach(async () => {
  h = await harness()
})
afterEach(() => h.cleanup())

describe('enqueue', () => {
  it('stores a pending task with the parsed payload, due now', async () => {
    const before = Date.now()
    const { task, created } = await enqueue(h.database.db, h.pro.userId, { type: 'sync', payload: { sourceIds: [3] } })
    expect(created).toBe(true)
    expect(task).toMatchObject({ type: 'sync', state: 'pending', payload: { sourceIds: [3] }, attempts: 0, max_attempts: 3 })
    expect(Date.parse(task.run_at)).toBeGreaterThanOrEqual(before - 1)
  })

  it('returns the existing task for the same dedupe key while it is pending or running', async () => {
    const first = await h.enqueueTest(h.pro, { dedupeKey: 'sync:hourly' })
    const again = await enqueue(h.database.db, h.pro.userId, { type: 'test', payload: { n: 2 }, dedupeKey: 'sync:hourly' }, testSchemas)
    expect(again).toMatchObject({ created: false, task: { id: first.id } })
    await h.sys.tasks.claimNext({ owner: 'w', leaseMs: 10_000 })
    const whileRunning = await enqueue(h.database.db, h.pro.userId, { type: 'test', payload: {}, dedupeKey: 'sync:hourly' }, testSchemas)
    expect(whileRunning).toMatchObject({ created: false, task: { id: first.id, state: 'running' } })
  })

  it('creates a new task for the key once the previous one finished', async () => {
    const first = await h.enqueueTest(h.pro, { dedupeKey: 'k' })
    await h.sys.tasks.claimNext({ owner: 'w', leaseMs: 10_000 })
    await h.sys.tasks.finish(first.id, 'w', { state: 'succeeded' })
    const next = await enqueue(h.database.db, h.pro.userId, { type: 'test', payload: {}, dedupeKey: 'k' }, testSchemas)
    expect(next.created).toBe(true)
    expect(next.task.id).not.toBe(first.id)
  })

  it('refuses an unknown task type as a usage error, storing nothing', async () => {
    await expect(enqueue(h.database.db, h.pro.userId, { type: 'transcode', payload: {} }, testSchemas)).rejects.toMatchObject({
      code: 'usage',
      message: 'unknown task type "transcode"',
    })
    expect((await h.pro.tasks.list()).items).toHaveLength(0)
  })

  it('refuses a payload its schema rejects as a usage error naming the field', async () => {
    // @ts-expect-error: recordingId must be a number
    const bad = enqueue(h.database.db, h.pro.userId, { type: 'pipeline', payload: { recordingId: 'x' } })
    await expect(bad).rejects.toMatchObject({ code: 'usage', message: expect.stringContaining('payload.recordingId') })
    expect((await h.pro.tasks.list()).items).toHaveLength(0)
  })

  it('refuses a recording of another user as not found', async () => {
    const { id: sourceId } = await h.free.sources.create({ name: 'mine', platform: 'local', config: { path: '/tmp' } })
    const rec = await h.free.recordings.create({ input_source_id: sourceId, display_name: 'Lecture', start_time: '2024-06-01T10:00:00Z' })
    await expect(
      enqueue(h.database.db, h.pro.userId, { type: 'pipeline', payload: { recordingId: rec.id }, recordingId: rec.id }),
    ).rejects.toMatchObject({ code: 'not_found' })
  })

  it('refuses a max_attempts outside 1-100', async () => {
    await expect(enqueue(h.database.db, h.pro.userId, { type: 'sync', payload: {}, maxAttempts: 0 })).rejects.toMatchObject({ code: 'usage' })
  })
})
