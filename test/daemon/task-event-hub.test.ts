import { describe, expect, it } from 'vitest'
import { forUser, type TaskEvent } from '../../src/db/index.js'
import { enqueue } from '../../src/jobs/index.js'
import { taskEventHub, type TaskEventListener } from '../../daemon/task-event-hub.js'
import { useTestDaemon } from '../support/daemon.js'

const daemon = useTestDaemon()

/** A listener that keeps what it got; `ended` resolves with the outcome. */
function recorder(after = 0) {
  const got: TaskEvent[] = []
  let done!: (o: Parameters<TaskEventListener['onEnd']>[0]) => void
  const ended = new Promise<Parameters<TaskEventListener['onEnd']>[0]>((r) => (done = r))
  const listener: TaskEventListener = { after, onEvents: (events) => got.push(...events), onEnd: (o) => done(o) }
  return { got, ended, listener }
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10))
  expect(check()).toBe(true)
}

describe('task event hub: subscribers of one task share one poll', () => {
  it('one feed for two subscribers and a late one (which replays the backlog after its Last-Event-ID); the feed ends with the task', async () => {
    const ann = await daemon.user('ann@example.com')
    const db = daemon.app.database.db
    const rec = await forUser(db, ann.id).recordings.create({ display_name: 'Lecture', start_time: '2026-03-02T09:00:00Z', status: 'INITIALIZED' })
    const { task } = await enqueue(db, ann.id, { type: 'pipeline', payload: { recordingId: rec.id }, recordingId: rec.id })
    const append = (n: number) => forUser(db, ann.id).taskEvents.append(task.id, { kind: 'progress', progress: n, stage: 'PROCESS', message: `at ${n}`, data: null })
    const hub = taskEventHub(() => daemon.app.service('tasks'), { intervalMs: 10 })
    const user = { id: ann.id, timezone: 'UTC' }

    const a = recorder()
    const b = recorder()
    hub.follow(user, task.id, a.listener)
    hub.follow(user, task.id, b.listener)
    expect(hub.feeds).toBe(1)
    const first = await append(10)
    const second = await append(20)
    await until(() => a.got.length === 2 && b.got.length === 2)
    const late = recorder(first.id)
    hub.follow(user, task.id, late.listener)
    expect(hub.feeds).toBe(1)
    expect(late.got.map((e) => e.id)).toEqual([second.id])

    await (await daemon.app.service('tasks')).cancel(user, task.id)
    for (const r of [a, b, late]) expect(await r.ended).toMatchObject({ task: { id: task.id, state: 'cancelled' } })
    expect(a.got.map((e) => e.id)).toEqual([first.id, second.id])
    expect(b.got.map((e) => e.id)).toEqual([first.id, second.id])
    expect(hub.feeds).toBe(0)
  })

  it('the last subscriber to leave stops the poll; a new one starts a fresh feed', async () => {
    const bo = await daemon.user('bo@example.com')
    const db = daemon.app.database.db
    const rec = await forUser(db, bo.id).recordings.create({ display_name: 'Lecture', start_time: '2026-03-02T09:00:00Z', status: 'INITIALIZED' })
    const { task } = await enqueue(db, bo.id, { type: 'pipeline', payload: { recordingId: rec.id }, recordingId: rec.id })
    const hub = taskEventHub(() => daemon.app.service('tasks'), { intervalMs: 10 })
    const user = { id: bo.id, timezone: 'UTC' }
    const a = recorder()
    const b = recorder()
    const leaveA = hub.follow(user, task.id, a.listener)
    const leaveB = hub.follow(user, task.id, b.listener)
    leaveA()
    expect(hub.feeds).toBe(1)
    leaveB()
    expect(hub.feeds).toBe(0)
    const again = recorder()
    hub.follow(user, task.id, again.listener)
    expect(hub.feeds).toBe(1)
    const event = await forUser(db, bo.id).taskEvents.append(task.id, { kind: 'progress', progress: 5, stage: 'PROCESS', message: 'go', data: null })
    await until(() => again.got.length === 1)
    expect(again.got[0]!.id).toBe(event.id)
    expect(a.got).toEqual([])
  })
})
