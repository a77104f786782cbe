import { describe, expect, it } from 'vitest'
import { forUser } from '../../src/db/index.js'
import { enqueue } from '../../src/jobs/index.js'
import { useTestDaemon } from '../support/daemon.js'

const daemon = useTestDaemon()

/** A pending pipeline task of a fresh recording of `userId`. */
async function pendingTask(userId: number, name = 'Lecture') {
  const db = daemon.app.database.db
  const rec = await forUser(db, userId).recordings.create({ display_name: name, start_time: '2026-03-02T09:00:00Z', status: 'INITIALIZED' })
  const { task } = await enqueue(db, userId, { type: 'pipeline', payload: { recordingId: rec.id }, recordingId: rec.id })
  return { recording: rec, task }
}

const event = (userId: number, taskId: number, progress: number, message: string) =>
  forUser(daemon.app.database.db, userId).taskEvents.append(taskId, { kind: 'progress', progress, stage: 'PROCESS', message, data: null })

describe('daemon /tasks', () => {
  it('lists, shows and cancels your tasks; filters by state; bad input is 400', async () => {
    const alice = await daemon.user('alice@example.com')
    const { task, recording } = await pendingTask(alice.id)
    await event(alice.id, task.id, 10, 'started')
    const list = (await (await daemon.fetch('/api/v1/tasks?state=pending,running', { token: alice.token })).json()) as { items: Array<{ id: number; state: string; recording_id: number }> }
    expect(list.items.map((t) => [t.id, t.state, t.recording_id])).toEqual([[task.id, 'pending', recording.id]])
    const none = (await (await daemon.fetch('/api/v1/tasks?state=succeeded', { token: alice.token })).json()) as { items: unknown[] }
    expect(none.items).toEqual([])
    const one = (await (await daemon.fetch(`/api/v1/tasks/${task.id}`, { token: alice.token })).json()) as Record<string, unknown>
    expect(one).toMatchObject({ id: task.id, type: 'pipeline', state: 'pending', cancel_requested: false, events: [{ kind: 'progress', progress: 10, message: 'started' }] })
    expect(one).not.toHaveProperty('user_id')
    expect(one).not.toHaveProperty('lease_owner')
    for (const bad of ['/api/v1/tasks?state=sleeping', '/api/v1/tasks?limit=0', '/api/v1/tasks/abc', '/api/v1/tasks/-1', '/api/v1/tasks/1.5']) {
      expect((await daemon.fetch(bad, { token: alice.token })).status, bad).toBe(400)
    }
    const cancelled = await daemon.fetch(`/api/v1/tasks/${task.id}`, { method: 'DELETE', token: alice.token })
    expect(cancelled.status).toBe(200)
    expect(await cancelled.json()).toMatchObject({ outcome: 'cancelled', task: { id: task.id, state: 'cancelled' } })
    const again = await daemon.fetch(`/api/v1/tasks/${task.id}`, { method: 'DELETE', token: alice.token })
    expect(again.status).toBe(409)
  })

  it("another tenant's task is 404 on every verb and stays pending (the event stream: sse.test.ts)", async () => {
    const owner = await daemon.user('owner@example.com')
    const other = await daemon.user('other@example.com')
    const { task } = await pendingTask(owner.id)
    expect((await daemon.fetch(`/api/v1/tasks/${task.id}`, { token: other.token })).status).toBe(404)
    expect((await daemon.fetch(`/api/v1/tasks/${task.id}`, { method: 'DELETE', token: other.token })).status).toBe(404)
    const list = (await (await daemon.fetch('/api/v1/tasks', { token: other.token })).json()) as { items: unknown[] }
    expect(list.items).toEqual([])
    expect((await daemon.fetch(`/api/v1/tasks/${task.id}`)).status).toBe(401)
    const mine = (await (await daemon.fetch(`/api/v1/tasks/${task.id}`, { token: owner.token })).json()) as { state: string }
    expect(mine.state).toBe('pending')
  })

})
