import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, expect } from 'vitest'
import type { DaemonServerOptions } from '../../daemon/route-context.js'
import { buildServer } from '../../daemon/server.js'
import type { App } from '../../src/app.js'
import { systemScope } from '../../src/db/index.js'
import { makeTempDir, removeDir } from '../fixtures/media/generate.js'
import { openTestApp } from './test-app.js'

export interface TestUser {
  id: number
  email: string
  token: string
  /** Headers with this user's bearer token (and JSON content type). */
  headers: Record<string, string>
}

export interface TestDaemon {
  readonly app: App
  readonly home: string
  readonly server: FastifyInstance
  /** http://127.0.0.1:PORT */
  readonly url: string
  /** A registered user (plan free unless said) with a fresh access token. */
  user(email: string, opts?: { role?: 'user' | 'admin'; plan?: string; permissions?: Record<string, boolean> }): Promise<TestUser>
  /** fetch against the daemon: `path` is absolute (`/api/v1/...`); a body object is sent as JSON. */
  fetch(path: string, init?: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>
}

export interface TestDaemonOptions {
  /** Server options on top of `{version: 'test'}` (e.g. authRateLimit). */
  server?: DaemonServerOptions
  /** Environment of the app (on top of openTestApp's); scrypt is cheap (N = 2^10) unless set here. */
  env?: Record<string, string>
}

/** The daemon's HTTP server on a temp home, listening on a free loopback port: real HTTP, the real services. */
export async function startTestDaemon(opts: TestDaemonOptions = {}): Promise<TestDaemon & { close(): Promise<void> }> {
  const home = makeTempDir()
  const app = await openTestApp(home, { RECFLOW_SCRYPT_LOG_N: '10', ...opts.env })
  const server = await buildServer(app, { version: 'test', ...opts.server })
  await server.listen({ host: '127.0.0.1', port: 0 })
  const address = server.server.address()
  if (address === null || typeof address === 'string') throw new Error('the test daemon has no TCP address')
  const url = `http://127.0.0.1:${address.port}`
  const tokens = await app.service('accessTokens')
  return {
    app,
    home,
    server,
    url,
    async user(email, opts = {}) {
      const system = systemScope(app.database.db)
      const created = await system.users.create({ email, role: opts.role ?? 'user', plan: opts.plan ?? 'free', ...(opts.permissions ? { permissions: opts.permissions } : {}) })
      const { access_token } = await tokens.issue({ id: created.id, role: created.role })
      return { id: created.id, email: created.email, token: access_token, headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' } }
    },
    fetch(path, init = {}) {
      const headers: Record<string, string> = { ...(init.headers ?? {}) }
      if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`
      let body: string | undefined
      if (init.body !== undefined) {
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body)
        headers['content-type'] ??= 'application/json'
      }
      return fetch(`${url}${path}`, { method: init.method ?? 'GET', headers, body })
    },
    async close() {
      await server.close()
      await app.close()
      removeDir(home)
    },
  }
}

/** One test daemon for a whole test file (started in beforeAll, closed in afterAll); options given as a function are read then (a fake's URLs). */
export function useTestDaemon(opts: TestDaemonOptions | (() => TestDaemonOptions) = {}): TestDaemon {
  let daemon: (TestDaemon & { close(): Promise<void> }) | undefined
  beforeAll(async () => {
    daemon = await startTestDaemon(typeof opts === 'function' ? opts() : opts)
  })
  afterAll(async () => {
    await daemon?.close()
  })
  const get = (): TestDaemon => {
    if (!daemon) throw new Error('the test daemon starts in beforeAll')
    return daemon
  }
  return {
    get app() { return get().app },
    get home() { return get().home },
    get server() { return get().server },
    get url() { return get().url },
    user: (...args) => get().user(...args),
    fetch: (...args) => get().fetch(...args),
  }
}

/** The JSON body of a response whose status must be `status` (the body is the failure message otherwise). */
export async function expectJson(res: Response, status: number): Promise<any> {
  const body = (await res.json()) as any
  expect(res.status, JSON.stringify(body)).toBe(status)
  return body
}
