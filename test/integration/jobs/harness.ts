import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { z } from 'zod'
import { openDatabase, type Database } from '../../../src/db/connection.js'
import { forUser, systemScope, type SystemScope, type UserScope } from '../../../src/db/scope.js'
import type { Task } from '../../../src/db/index.js'
import { enqueue, type EnqueueInput } from '../../../src/jobs/queue.js'
import { taskRegistry, type Handler, type TaskRegistry } from '../../../src/jobs/task-types.js'
import { createApp, type App } from '../../../src/app.js'
import type { Clock } from '../../../src/platform/clock.js'
import { loadRuntimeEnv } from '../../../src/platform/config.js'

/** A clock running with real time plus an offset the test moves forward (leases, run_at, backoff). */
export class ManualClock implements Clock {
  offsetMs = 0
  now(): Date {
    return new Date(Date.now() + this.offsetMs)
  }
  advance(ms: number): void {
    this.offsetMs += ms
  }
}

export const testPayload = z.strictObject({ n: z.number().int().optional(), label: z.string().optional() })
export const testSchemas = { test: testPayload }
export type TestPayload = z.output<typeof testPayload>

export const testRegistry = (handler: Handler<TestPayload>): TaskRegistry => taskRegistry(testSchemas, { test: handler })

export interface Harness {
  dir: string
  file: string
  database: Database
  sys: SystemScope
  free: UserScope
  pro: UserScope
  /** The whole app on another connection to the same file (as `recflow tasks cancel` in another process). */
  openApp(): Promise<App>
  enqueueTest(user: UserScope, input?: Partial<EnqueueInput<'test', TestPayload>>): Promise<Task>
  task(id: number): Promise<Task>
  cleanup(): Promise<void>
}

export async function harness(): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-'))
  const file = path.join(dir, 'recflow.db')
  const database = await openDatabase(file)
  const sys = systemScope(database.db)
  const free = forUser(database.db, (await sys.users.create({ email: 'free@example.com', plan: 'free' })).id)
  const pro = forUser(database.db, (await sys.users.create({ email: 'pro@example.com', plan: 'pro' })).id)
  const extra: Array<{ close(): Promise<void> }> = []
  return {
    dir,
    file,
    database,
    sys,
    free,
    pro,
    async openApp() {
      const app = await createApp(loadRuntimeEnv({ RECFLOW_HOME: dir, RECFLOW_DB: file, RECFLOW_SECRET_STORE: 'file', PATH: '' }))
      extra.push(app)
      return app
    },
    async enqueueTest(user, input = {}) {
      const { task } = await enqueue(database.db, user.userId, { type: 'test', payload: {}, ...input }, testSchemas)
      return task
    },
    async task(id) {
      const task = await sys.tasks.get(id)
      if (task === undefined) throw new Error(`task ${id} vanished`)
      return task
    },
    async cleanup() {
      for (const d of extra) await d.close()
      await database.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function deferred<T = void>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Polls until `check` returns something other than undefined/false; fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** Resolves when the signal aborts, rejecting with its reason (what a well-behaved handler does). */
export const untilAborted = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason)
    signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
