import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { syncPayloadSchema, taskRegistry, Worker } from '../../src/jobs/index.js'
import { useTestDaemon, type TestUser } from '../support/daemon.js'

const daemon = useTestDaemon()

async function localSource(user: TestUser, name: string): Promise<number> {
  const folder = path.join(daemon.home, `${name}-${user.id}`)
  fs.mkdirSync(folder, { recursive: true })
  fs.writeFileSync(path.join(folder, 'Lecture 1.mp4'), Buffer.alloc(2048, 7))
  const res = await daemon.fetch('/api/v1/sources', { method: 'POST', token: user.token, body: { name, platform: 'local', config: { path: folder } } })
  expect(res.status).toBe(201)
  return ((await res.json()) as { id: number }).id
}

const taskOf = async (user: TestUser, id: number) => (await (await daemon.app.service('tasks')).get({ id: user.id, timezone: 'UTC' }, id)).task

describe('POST /sources/{id}/sync and /sources/bulk/sync', () => {
  it('queues a sync task (202), which a worker runs into recordings; the same sync still queued is not doubled', async () => {
    const alice = await daemon.user('sync-alice@example.com')
    const id = await localSource(alice, 'lectures')
    const res = await daemon.fetch(`/api/v1/sources/${id}/sync`, { method: 'POST', token: alice.token, body: {} })
    expect(res.status).toBe(202)
    const body = (await res.json()) as { task_id: number; status: string; links: { self: string } }
    expect(body).toEqual({ task_id: expect.any(Number), status: 'queued', links: { self: `/api/v1/tasks/${body.task_id}` } })
    const againRes = await daemon.fetch(`/api/v1/sources/${id}/sync`, { method: 'POST', token: alice.token })
    const again = (await againRes.json()) as { task_id: number }
    expect(again.task_id).toBe(body.task_id)
    expect(await taskOf(alice, body.task_id)).toMatchObject({ type: 'sync', state: 'pending', payload: { sourceIds: [id] } })

    // The worker runs it with the sync service, as the daemon's worker does.
    const sync = await daemon.app.service('sync')
    const registry = taskRegistry({ sync: syncPayloadSchema }, { sync: (ctx) => sync.sync({ id: ctx.userId, timezone: 'UTC' }, ctx.payload, { signal: ctx.signal }) })
    await new Worker({ db: daemon.app.database.db, registry }).runUntilIdle({ filter: { types: ["sync"] } })
    const done = await taskOf(alice, body.task_id)
    expect(done.state).toBe('succeeded')
    expect(done.result).toMatchObject({ sources: [{ sourceId: id, status: 'synced', found: 1, created: 1 }] })
  })

  it('carries a Zoom range into the task; a reversed or malformed range is 400', async () => {
    const bob = await daemon.user('sync-bob@example.com')
    const id = await localSource(bob, 'talks')
    const res = await daemon.fetch(`/api/v1/sources/${id}/sync`, { method: 'POST', token: bob.token, body: { from: '2026-11-01', to: '2026-11-30' } })
    expect(res.status).toBe(202)
    const { task_id } = (await res.json()) as { task_id: number }
    expect((await taskOf(bob, task_id)).payload).toEqual({ sourceIds: [id], from: '2026-11-01', to: '2026-11-30' })
    for (const body of [{ from: '2026-12-01', to: '2026-11-01' }, { from: 'yesterday' }, { from: '2026-13-01' }, { extra: 1 }, []]) {
      const bad = await daemon.fetch(`/api/v1/sources/${id}/sync`, { method: 'POST', token: bob.token, body })
      expect({ body, status: bad.status }).toEqual({ body, status: 400 })
    }
  })

  it("bulk: one task for all ids; another tenant's id is 404 naming only the ids not found, and nothing is queued", async () => {
    const carol = await daemon.user('sync-carol@example.com')
    const dave = await daemon.user('sync-dave@example.com')
    const a = await localSource(carol, 'a')
    const b = await localSource(carol, 'b')
    const theirs = await localSource(dave, 'secret-dave-folder')
    const ok = await daemon.fetch('/api/v1/sources/bulk/sync', { method: 'POST', token: carol.token, body: { source_ids: [b, a, b] } })
    expect(ok.status).toBe(202)
    const { task_id } = (await ok.json()) as { task_id: number }
    expect((await taskOf(carol, task_id)).payload).toEqual({ sourceIds: [a, b].sort((x, y) => x - y) })

    const tasks = await daemon.app.service('tasks')
    const before = (await tasks.list({ id: carol.id, timezone: 'UTC' })).items.length
    const refused = await daemon.fetch('/api/v1/sources/bulk/sync', { method: 'POST', token: carol.token, body: { source_ids: [a, theirs] } })
    expect(refused.status).toBe(404)
    const problem = (await refused.json()) as { detail: string; source_ids: number[] }
    expect(problem.source_ids).toEqual([theirs])
    expect(problem.detail).not.toContain('secret-dave-folder')
    expect(problem.detail).not.toContain(String(a))
    expect((await tasks.list({ id: carol.id, timezone: 'UTC' })).items.length).toBe(before)
    expect((await daemon.fetch(`/api/v1/sources/${theirs}/sync`, { method: 'POST', token: carol.token })).status).toBe(404)
  })

  it('malformed bodies are 400, a missing token 401', async () => {
    const erin = await daemon.user('sync-erin@example.com')
    for (const body of [{}, { source_ids: [] }, { source_ids: ['1'] }, { source_ids: [0] }, { source_ids: [1], x: 1 }, { source_ids: Array.from({ length: 101 }, (_, i) => i + 1) }]) {
      const res = await daemon.fetch('/api/v1/sources/bulk/sync', { method: 'POST', token: erin.token, body })
      expect({ body, status: res.status }).toEqual({ body, status: 400 })
    }
    expect((await daemon.fetch('/api/v1/sources/abc/sync', { method: 'POST', token: erin.token })).status).toBe(400)
    expect((await daemon.fetch('/api/v1/sources/1/sync', { method: 'POST' })).status).toBe(401)
    expect((await daemon.fetch('/api/v1/sources/bulk/sync', { method: 'POST', body: { source_ids: [1] } })).status).toBe(401)
  })
})
