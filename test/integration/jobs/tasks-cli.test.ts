import path from 'node:path'
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/db/connection.js'
import { forUser, LOCAL_USER_EMAIL, systemScope, type Task } from '../../../src/db/index.js'
import { enqueue } from '../../../src/jobs/queue.js'
import { tempHome } from '../../support/cli.js'
import { dbSnapshot } from '../../support/db-snapshot.js'
import { runCommandInProcess } from '../../support/run-in-process.js'

// Through oclif in-process on dist/ (test/support/run-in-process.ts): build first (`npm test` does).

let home: string
let dbFile: string
let pending: Task
let running: Task
let succeeded: Task
let failedProvider: Task
let failedInternal: Task
let cancelled: Task

const cli = (...args: string[]) => runCommandInProcess(args, { home })

/** Finishes a task as a worker would (claim it alone by id, then record the outcome). */
async function finishedTask(
  db: Awaited<ReturnType<typeof openDatabase>>['db'],
  userId: number,
  outcome: { state: 'succeeded' | 'failed'; result?: unknown; error?: unknown },
): Promise<Task> {
  const { task } = await enqueue(db, userId, { type: 'sync', payload: {} })
  await systemScope(db).tasks.claimNext({ owner: 'e2e', leaseMs: 60_000, ids: [task.id] })
  return (await systemScope(db).tasks.finish(task.id, 'e2e', outcome))!
}

beforeAll(async () => {
  home = tempHome()
  dbFile = path.join(home, 'data', 'recflow.db')
  expect((await cli('tasks', 'list')).code).toBe(0) // creates the database and the local user
  const database = await openDatabase(dbFile)
  try {
    const db = database.db
    const user = (await systemScope(db).users.findByEmail(LOCAL_USER_EMAIL))!
    succeeded = await finishedTask(db, user.id, { state: 'succeeded', result: { synced: 2 } })
    failedProvider = await finishedTask(db, user.id, { state: 'failed', error: { code: 'provider', message: 'Zoom answered 503', transient: true } })
    failedInternal = await finishedTask(db, user.id, { state: 'failed', error: { code: 'internal', message: 'disk full' } })
    cancelled = (await enqueue(db, user.id, { type: 'sync', payload: {} })).task
    cancelled = (await forUser(db, user.id).tasks.requestCancel(cancelled.id))!
    running = (await enqueue(db, user.id, { type: 'sync', payload: { sourceIds: [1] } })).task
    running = (await systemScope(db).tasks.claimNext({ owner: 'daemon', leaseMs: 600_000, ids: [running.id] }))!
    pending = (await enqueue(db, user.id, { type: 'sync', payload: {}, dedupeKey: 'nightly' })).task
  } finally {
    await database.close()
  }
}, 60_000)
afterAll(() => fs.rmSync(home, { recursive: true, force: true }))

describe('recflow tasks list', () => {
  it('prints the tasks newest first as a table', async () => {
    const r = await cli('tasks', 'list')
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^ID\s+TYPE\s+STATE\s+PROGRESS/)
    expect(lines[1]).toMatch(new RegExp(`^${pending.id}\\s+sync\\s+pending`))
    expect(r.stdout).toMatch(new RegExp(`${running.id}\\s+sync\\s+running`))
  })

  it('filters by state in the JSON envelope', async () => {
    const r = await cli('tasks', 'list', '--state', 'failed', '--json')
    expect(r.code).toBe(0)
    expect(r.json.ok).toBe(true)
    expect(r.json.data.items.map((t: Task) => t.id)).toEqual([failedInternal.id, failedProvider.id])
  })
})

describe('recflow tasks show', () => {
  it('prints the task with its error', async () => {
    const r = await cli('tasks', 'show', String(failedProvider.id))
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/state:\s+failed/)
    expect(r.stdout).toMatch(/error:\s+Zoom answered 503/)
  })

  it('gives the task and its events as JSON', async () => {
    const r = await cli('tasks', 'show', String(succeeded.id), '--json')
    expect(r.json).toMatchObject({ ok: true, data: { task: { id: succeeded.id, state: 'succeeded', result: { synced: 2 } }, events: [] } })
  })
})

describe('recflow tasks cancel', () => {
  it('cancels a pending task at once', async () => {
    const r = await cli('tasks', 'cancel', String(pending.id))
    expect(r).toMatchObject({ code: 0, stdout: `Cancelled task ${pending.id}.\n` })
    const shown = await cli('tasks', 'show', String(pending.id), '--json')
    expect(shown.json.data.task).toMatchObject({ state: 'cancelled', dedupe_key: null })
  })

  it('asks a running task to stop', async () => {
    const r = await cli('tasks', 'cancel', String(running.id), '--json')
    expect(r.code).toBe(0)
    expect(r.json.data).toMatchObject({ outcome: 'cancel_requested', task: { id: running.id, state: 'running', cancel_requested: true } })
  })
})

describe('recflow tasks watch', () => {
  it('exits 0 with the task for a task that succeeded', async () => {
    const r = await cli('tasks', 'watch', String(succeeded.id), '--json')
    expect(r.code).toBe(0)
    expect(r.json.data).toMatchObject({ id: succeeded.id, state: 'succeeded' })
  })

  it('prints one line per change when piped', async () => {
    const r = await cli('tasks', 'watch', String(succeeded.id))
    expect(r.stdout.trim().split('\n')).toEqual([`task ${succeeded.id}  succeeded  100%`])
  })

  it('exits 5 for a task that failed at a provider, with the task\'s error', async () => {
    const r = await cli('tasks', 'watch', String(failedProvider.id), '--json')
    expect(r.code).toBe(5)
    expect(r.json.error).toMatchObject({ code: 'provider', message: `task ${failedProvider.id} failed: Zoom answered 503` })
  })

  it('exits 1 for a task that failed otherwise', async () => {
    expect((await cli('tasks', 'watch', String(failedInternal.id))).code).toBe(1)
  })

  it('exits 130 for a cancelled task', async () => {
    const r = await cli('tasks', 'watch', String(cancelled.id))
    expect(r.code).toBe(130)
    expect(r.stderr).toContain(`task ${cancelled.id} was cancelled`)
  })
})

describe('bad input changes nothing', () => {
  it.each([
    ['an unknown id', 3, 'not_found', ['tasks', 'show', '9999']],
    ['cancelling an unknown id', 3, 'not_found', ['tasks', 'cancel', '9999']],
    ['cancelling a finished task', 1, 'conflict', ['tasks', 'cancel', '__succeeded__']],
    ['a non-integer id', 2, 'usage', ['tasks', 'show', 'abc']],
    ['a non-integer id to cancel', 2, 'usage', ['tasks', 'cancel', '1.5']],
    ['an unknown state', 2, 'usage', ['tasks', 'list', '--state', 'done']],
  ] as const)('%s exits %i (%s)', async (_name, code, errorCode, args) => {
    const argv = args.map((a) => (a === '__succeeded__' ? String(succeeded.id) : a))
    const before = dbSnapshot(dbFile)
    const r = await cli(...argv, '--json')
    expect(r.code).toBe(code)
    expect(r.json).toMatchObject({ ok: false, error: { code: errorCode } })
    expect(dbSnapshot(dbFile)).toBe(before)
  })

  it('names the finished state when refusing to cancel', async () => {
    const r = await cli('tasks', 'cancel', String(succeeded.id))
    expect(r.stderr).toContain(`task ${succeeded.id} already finished (succeeded)`)
  })
})
