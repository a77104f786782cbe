import { describe, expect, it } from 'vitest'
import { forUser } from '../../src/db/index.js'
import { enqueue } from '../../src/jobs/index.js'
import { useTestDaemon } from '../support/daemon.js'

const daemon = useTestDaemon()

async function pendingTask(userId: number) {
  const db = daemon.app.database.db
  const rec = await forUser(db, userId).recordings.create({ display_name: 'Lecture', start_time: '2026-03-02T09:00:00Z', status: 'INITIALIZED' })
  return (await enqueue(db, userId, { type: 'pipeline', payload: { recordingId: rec.id }, recordingId: rec.id })).task
}

const event = (userId: number, taskId: number, progress: number, message: string) =>
  forUser(daemon.app.database.db, userId).taskEvents.append(taskId, { kind: 'progress', progress, stage: 'PROCESS', message, data: null })

interface Frame {
  id?: number
  event?: string
  data: Record<string, unknown>
}

/** Reads an SSE body until `end` arrives (or `max` ms pass): its frames (comments dropped). */
async function readStream(res: Response, max = 5000): Promise<Frame[]> {
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let text = ''
  const deadline = Date.now() + max
  while (!/event: end\n/.test(text) && Date.now() < deadline) {
    const { value, done } = await reader.read()
    if (done) break
    text += decoder.decode(value, { stream: true })
  }
  await reader.cancel().catch(() => {})
  return text
    .split('\n\n')
    .filter((f) => f.includes('event: '))
    .map((f) => {
      const field = (name: string) => f.split('\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2)
      const id = field('id')
      return { id: id === undefined ? undefined : Number(id), event: field('event'), data: JSON.parse(field('data') ?? 'null') as Record<string, unknown> }
    })
}

describe('daemon GET /tasks/{id}/events (SSE)', () => {
  it('streams progress events as they are written, then `end` with the final state; Last-Event-ID resumes after it', async () => {
    const bob = await daemon.user('bob@example.com')
    const task = await pendingTask(bob.id)
    const first = await event(bob.id, task.id, 20, 'trimming')
    const res = await daemon.fetch(`/api/v1/tasks/${task.id}/events`, { token: bob.token })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const frames = readStream(res)
    const second = await event(bob.id, task.id, 60, 'encoding')
    expect((await daemon.fetch(`/api/v1/tasks/${task.id}`, { method: 'DELETE', token: bob.token })).status).toBe(200)
    const got = await frames
    expect(got.filter((f) => f.event === 'progress').map((f) => [f.id, f.data.progress, f.data.message])).toEqual([
      [first.id, 20, 'trimming'],
      [second.id, 60, 'encoding'],
    ])
    expect(got.at(-1)).toEqual({ event: 'end', data: { state: 'cancelled', progress: 0, error: null } })

    const resumed = await readStream(await daemon.fetch(`/api/v1/tasks/${task.id}/events`, { token: bob.token, headers: { 'last-event-id': String(first.id) } }))
    expect(resumed.map((f) => [f.event, f.id])).toEqual([
      ['progress', second.id],
      ['end', undefined],
    ])
    const past = await readStream(await daemon.fetch(`/api/v1/tasks/${task.id}/events`, { token: bob.token, headers: { 'last-event-id': String(second.id) } }))
    expect(past.map((f) => f.event)).toEqual(['end'])
    for (const bad of ['x', '-1', '1e3']) {
      const res = await daemon.fetch(`/api/v1/tasks/${task.id}/events`, { token: bob.token, headers: { 'last-event-id': bad } })
      expect(res.status, bad).toBe(400)
    }
  })

  it("another tenant's task is a 404 problem (no stream); no token is 401; a bad id is 400", async () => {
    const owner = await daemon.user('owner@example.com')
    const other = await daemon.user('other@example.com')
    const task = await pendingTask(owner.id)
    await event(owner.id, task.id, 5, 'secret step')
    const res = await daemon.fetch(`/api/v1/tasks/${task.id}/events`, { token: other.token })
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toMatch(/problem\+json/)
    expect(await res.text()).not.toContain('secret step')
    expect((await daemon.fetch(`/api/v1/tasks/${task.id}/events`)).status).toBe(401)
    expect((await daemon.fetch('/api/v1/tasks/abc/events', { token: other.token })).status).toBe(400)
    expect((await daemon.fetch('/api/v1/tasks/999999/events', { token: owner.token })).status).toBe(404)
  })
})
