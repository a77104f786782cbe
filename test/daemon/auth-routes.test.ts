import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildServer } from '../../daemon/server.js'
import { openDatabase } from '../../src/db/connection.js'
import { systemScope } from '../../src/db/index.js'
import { useTestDaemon } from '../support/daemon.js'

// Cheap scrypt (the test daemon's N = 2^10) and a login limit high enough for this file; the limit itself is
// tested on a second server over the same app.
const daemon = useTestDaemon({ server: { authRateLimit: { max: 1000 } } })

const PASSWORD = 'correct horse 1'
let n = 0
const post = (p: string, body: unknown, token?: string) => daemon.fetch(`/api/v1${p}`, { method: 'POST', body, token })
const problemOf = async (res: Response) => {
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  return (await res.json()) as { status: number; code: string; detail: string }
}

async function signUp(password = PASSWORD) {
  n += 1
  const email = `user${n}@example.com`
  const res = await post('/auth/register', { email: email.toUpperCase(), password, full_name: `User ${n}` })
  expect(res.status).toBe(201)
  return { email, profile: (await res.json()) as { id: number; email: string } }
}
async function login(email: string, password = PASSWORD) {
  const res = await post('/auth/login', { email, password })
  expect(res.status).toBe(200)
  return (await res.json()) as { access_token: string; refresh_token: string; token_type: string; expires_in: number }
}

describe('auth routes', () => {
  it('registers (201, profile without secrets), refuses duplicates, weak passwords and malformed bodies', async () => {
    const { email, profile } = await signUp()
    expect(profile).toMatchObject({ email, role: 'user', timezone: 'UTC', is_active: true, last_login_at: null })
    expect(Object.keys(profile).sort()).toEqual(['created_at', 'email', 'full_name', 'id', 'is_active', 'last_login_at', 'permissions', 'role', 'timezone'])
    expect(fs.existsSync(path.join(daemon.app.env.mediaDir, `user_${profile.id}`))).toBe(true)

    expect((await problemOf(await post('/auth/register', { email, password: PASSWORD }))).code).toBe('conflict')
    const weak = await problemOf(await post('/auth/register', { email: 'weak@example.com', password: 'aaaaaaaaaaaa' }))
    expect([weak.status, weak.code]).toEqual([422, 'validation'])
    expect(weak.detail).toMatch(/at least two of/)
    for (const body of [{ password: 'hunter2-hunter2' }, { email: 'x@example.com', password: 'hunter2-hunter2', role: 'admin' }, { email: 'nope', password: 'hunter2-hunter2' }, 'not json']) {
      const res = await post('/auth/register', body)
      expect(res.status).toBe(400)
      expect(JSON.stringify(await problemOf(res))).not.toContain('hunter2')
    }
  })

  it('logs in; the access token opens /users/me; an unknown email reads like a wrong password', async () => {
    const { email, profile } = await signUp()
    const pair = await login(email)
    expect(pair).toMatchObject({ token_type: 'bearer', expires_in: 1800 })
    const me = await daemon.fetch('/api/v1/users/me', { token: pair.access_token })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ id: profile.id, email, last_login_at: expect.any(String) })

    const wrong = await problemOf(await post('/auth/login', { email, password: 'wrong password 1' }))
    const unknown = await problemOf(await post('/auth/login', { email: 'nobody@example.com', password: PASSWORD }))
    expect([wrong.status, wrong.detail]).toEqual([401, unknown.detail])
    expect((await daemon.fetch('/api/v1/users/me')).status).toBe(401)
  })

  it('rotates refresh tokens; a reused one revokes its family; logout and logout-all end sessions', async () => {
    const { email } = await signUp()
    const first = await login(email)
    const other = await login(email)
    const refreshed = await post('/auth/refresh', { refresh_token: first.refresh_token })
    expect(refreshed.status).toBe(200)
    const second = (await refreshed.json()) as { refresh_token: string; access_token: string }
    expect(second.refresh_token).not.toBe(first.refresh_token)

    const reuse = await problemOf(await post('/auth/refresh', { refresh_token: first.refresh_token }))
    expect([reuse.status, reuse.code]).toEqual([401, 'auth'])
    expect((await post('/auth/refresh', { refresh_token: second.refresh_token })).status).toBe(401) // the family is gone
    expect((await post('/auth/refresh', { refresh_token: '' })).status).toBe(400)

    const third = await login(email)
    expect(await (await post('/auth/logout', { refresh_token: third.refresh_token })).json()).toEqual({ revoked: true })
    expect((await post('/auth/refresh', { refresh_token: third.refresh_token })).status).toBe(401)

    const fourth = await login(email)
    expect((await post('/auth/logout-all', undefined)).status).toBe(401)
    const all = await post('/auth/logout-all', undefined, fourth.access_token)
    expect(await all.json()).toEqual({ revoked: 2 }) // `other` and `fourth`
    for (const t of [other, fourth]) expect((await post('/auth/refresh', { refresh_token: t.refresh_token })).status).toBe(401)
  })
})

describe('/users/me', () => {
  it('patches the profile, changes the password (sessions end) and deletes the account with its media', async () => {
    const { email, profile } = await signUp()
    const pair = await login(email)
    const auth = { token: pair.access_token }
    const patched = await daemon.fetch('/api/v1/users/me', { ...auth, method: 'PATCH', body: { timezone: 'Europe/Berlin', full_name: 'Renamed' } })
    expect(await patched.json()).toMatchObject({ timezone: 'Europe/Berlin', full_name: 'Renamed' })
    expect((await daemon.fetch('/api/v1/users/me', { ...auth, method: 'PATCH', body: { timezone: 'Mars/Base' } })).status).toBe(400)
    expect((await daemon.fetch('/api/v1/users/me', { ...auth, method: 'PATCH', body: { role: 'admin' } })).status).toBe(400)

    const wrong = await post('/users/me/password', { current_password: 'wrong password 1', new_password: 'brand new pass 9' }, pair.access_token)
    expect(wrong.status).toBe(401)
    const changed = await post('/users/me/password', { current_password: PASSWORD, new_password: 'brand new pass 9' }, pair.access_token)
    expect(await changed.json()).toEqual({ revoked: 1 })
    expect((await post('/auth/refresh', { refresh_token: pair.refresh_token })).status).toBe(401)
    const again = await login(email, 'brand new pass 9')

    const media = path.join(daemon.app.env.mediaDir, `user_${profile.id}`, 'rec_1')
    fs.mkdirSync(media, { recursive: true })
    fs.writeFileSync(path.join(media, 'source.mp4'), 'x')
    const del = (body: unknown) => daemon.fetch('/api/v1/users/me', { token: again.access_token, method: 'DELETE', body })
    expect((await del({ password: 'brand new pass 9', confirmation: 'yes' })).status).toBe(400)
    expect((await del({ password: PASSWORD, confirmation: 'DELETE' })).status).toBe(401)
    const deleted = await del({ password: 'brand new pass 9', confirmation: 'DELETE' })
    expect(await deleted.json()).toEqual({ deleted: true, media_removed: true })
    expect(fs.existsSync(path.dirname(media))).toBe(false)
    // The access token is still within its 30 minutes, but the account is gone: 401 at once.
    expect((await daemon.fetch('/api/v1/users/me', { token: again.access_token })).status).toBe(401)
    expect((await post('/auth/login', { email, password: 'brand new pass 9' })).status).toBe(401)
  })

  it('a user changed by another process (the CLI on the same file) is read again at the next request', async () => {
    // The daemon keeps callers while the database is unchanged; a commit on another connection must count.
    const user = await daemon.user('changed-elsewhere@example.com')
    const me = () => daemon.fetch('/api/v1/users/me', { token: user.token })
    const templates = () => daemon.fetch('/api/v1/templates', { token: user.token, method: 'POST', body: { name: 'x' } })
    expect((await me()).status).toBe(200)
    const cli = await openDatabase(daemon.app.env.dbPath)
    try {
      await systemScope(cli.db).users.update(user.id, { permissions: { can_create_templates: false } })
      const denied = await problemOf(await templates())
      expect([denied.status, denied.detail]).toEqual([403, 'your account lacks the permission can_create_templates'])
      await systemScope(cli.db).users.update(user.id, { is_active: false })
      expect((await me()).status).toBe(401)
      await systemScope(cli.db).users.update(user.id, { is_active: true })
      expect((await me()).status).toBe(200)
    } finally {
      await cli.close()
    }
  })

  it('is in the OpenAPI document, with the auth routes public', async () => {
    const doc = (await (await daemon.fetch('/openapi.json')).json()) as { paths: Record<string, Record<string, { security?: unknown[] }>> }
    for (const p of ['register', 'login', 'refresh', 'logout']) expect(doc.paths[`/api/v1/auth/${p}`]?.post?.security).toEqual([])
    expect(doc.paths['/api/v1/auth/logout-all']?.post?.security).toBeUndefined()
    expect(Object.keys(doc.paths['/api/v1/users/me'] ?? {}).sort()).toEqual(['delete', 'get', 'patch'])
  })
})

describe('rate limits on the auth routes', () => {
  it('answers 429 problem+json with Retry-After once an IP used up its logins', async () => {
    const { email } = await signUp()
    const strict = await buildServer(daemon.app, { version: 'test', authRateLimit: { max: 3, timeWindowMs: 60_000 } })
    try {
      const inject = () => strict.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'wrong password 1' } })
      const statuses = []
      for (let i = 0; i < 4; i++) statuses.push((await inject()).statusCode)
      expect(statuses).toEqual([401, 401, 401, 429])
      const limited = await inject()
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(limited.json()).toMatchObject({ status: 429, code: 'rate_limited' })
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
      // Refresh has its own, larger allowance (6 x max): not yet limited.
      expect((await strict.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: 'nope' } })).statusCode).toBe(401)
    } finally {
      await strict.close()
    }
  })
})
