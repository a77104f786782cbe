import { describe, expect, it } from 'vitest'
import { forUser } from '../../src/db/index.js'
import { useTestDaemon } from '../support/daemon.js'

const daemon = useTestDaemon()

describe('quota over HTTP (Must-show)', () => {
  it('50 concurrent POST /recordings/{id}/run of a Free user (10 a month, 3 used) queue exactly 7; the rest are 429 QUOTA_EXCEEDED', async () => {
    const user = await daemon.user('free-http@example.org')
    const scope = forUser(daemon.app.database.db, user.id)
    const ids: number[] = []
    for (let i = 0; i < 53; i++) ids.push((await scope.recordings.create({ display_name: `lecture ${i}`, start_time: '2026-12-01T09:00:00Z' })).id)
    const quota = await daemon.app.service('quota')
    for (const id of ids.slice(0, 3)) await quota.startRecording({ id: user.id, timezone: 'UTC' }, id)

    const responses = await Promise.all(ids.slice(3).map((id) => daemon.fetch(`/api/v1/recordings/${id}/run`, { method: 'POST', token: user.token })))
    const bodies = await Promise.all(responses.map(async (r) => ({ status: r.status, type: r.headers.get('content-type'), body: (await r.json()) as any })))
    const queued = bodies.filter((b) => b.status === 202)
    const refused = bodies.filter((b) => b.status === 429)
    expect(queued).toHaveLength(7)
    expect(refused).toHaveLength(43)
    for (const r of refused) {
      expect(r.type).toMatch(/^application\/problem\+json/)
      expect(r.body).toMatchObject({ status: 429, code: 'QUOTA_EXCEEDED', quota: 'recordings_per_month', limit: 10, usage: 10 })
    }
    const tasks = (await scope.tasks.list({}, { limit: 100 })).items
    expect(tasks.map((t) => t.id).sort((a, b) => a - b)).toEqual(queued.map((q) => q.body.task_id).sort((a: number, b: number) => a - b))
    expect(queued[0]!.body.links.self).toBe(`/api/v1/tasks/${queued[0]!.body.task_id}`)
    expect(((await (await daemon.fetch('/api/v1/users/me/quota', { token: user.token })).json()) as any).usage.recordings).toBe(10)
  })

  it("another user's recording is 404 and a malformed body 400; neither counts", async () => {
    const a = await daemon.user('run-a@example.org')
    const b = await daemon.user('run-b@example.org')
    const theirs = await forUser(daemon.app.database.db, b.id).recordings.create({ display_name: 'b', start_time: '2026-12-01T09:00:00Z' })
    expect((await daemon.fetch(`/api/v1/recordings/${theirs.id}/run`, { method: 'POST', token: a.token })).status).toBe(404)
    expect((await daemon.fetch(`/api/v1/recordings/${theirs.id}/run`, { method: 'POST', token: b.token, body: { stop_after: 'NOPE' } })).status).toBe(400)
    expect(((await (await daemon.fetch('/api/v1/users/me/quota', { token: b.token })).json()) as any).usage.recordings).toBe(0)
  })

  it('a second run while the first is queued is 409 naming the task, and is not counted again', async () => {
    const c = await daemon.user('run-c@example.org')
    const rec = await forUser(daemon.app.database.db, c.id).recordings.create({ display_name: 'c', start_time: '2026-12-01T09:00:00Z' })
    const first = await daemon.fetch(`/api/v1/recordings/${rec.id}/run`, { method: 'POST', token: c.token })
    expect(first.status).toBe(202)
    const { task_id } = (await first.json()) as { task_id: number }
    const [again, other] = await Promise.all([
      daemon.fetch(`/api/v1/recordings/${rec.id}/run`, { method: 'POST', token: c.token }),
      daemon.fetch(`/api/v1/recordings/${rec.id}/run`, { method: 'POST', token: c.token, body: { stop_after: 'TRANSCRIBE' } }),
    ])
    for (const res of [again, other]) {
      expect(res.status).toBe(409)
      expect(((await res.json()) as { detail: string }).detail).toContain(`(${task_id})`)
    }
    expect(((await (await daemon.fetch('/api/v1/users/me/quota', { token: c.token })).json()) as any).usage.recordings).toBe(1)
  })
})
