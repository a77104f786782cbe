import fs from 'node:fs'
import path from 'node:path'
import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { accessTokensWithSecret } from '../../src/services/access-tokens.js'
import { useTestDaemon } from '../support/daemon.js'

const daemon = useTestDaemon()

const problemOf = async (res: Response) => {
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  return (await res.json()) as { status: number; code: string; detail: string; hint?: string }
}

describe('daemon server skeleton', () => {
  it('/health answers without a token: status, version, db and queue', async () => {
    const res = await daemon.fetch('/health')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok', version: 'test', db: 'ok', queue: { pending: 0, running: 0 } })
  })

  it('/openapi.json is OpenAPI 3.1 and lists the API routes with a bearer scheme; /docs serves Swagger UI', async () => {
    const doc = (await (await daemon.fetch('/openapi.json')).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> }
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/sources', '/api/v1/sources/{id}', '/health']))
    expect(Object.keys(doc.paths['/api/v1/sources/{id}'] ?? {})).toEqual(expect.arrayContaining(['get', 'patch', 'delete']))
    const ui = await daemon.fetch('/docs/')
    expect(ui.status).toBe(200)
    expect(await ui.text()).toContain('swagger')
  })

  it('a private route without a token, with another scheme or a garbage token is 401 problem+json', async () => {
    for (const headers of [{}, { authorization: 'Basic dTpw' }, { authorization: 'Bearer not.a.jwt' }] as Array<Record<string, string>>) {
      const res = await daemon.fetch('/api/v1/sources', { headers })
      expect(res.status).toBe(401)
      const body = await problemOf(res)
      expect(body.code).toBe('auth')
      expect(body.hint).toMatch(/auth\/login|Authorization/)
    }
  })

  it('tampered, alg:none, wrong-secret and expired tokens are refused', async () => {
    const alice = await daemon.user('alice@example.com')
    const [head, payload, sig] = alice.token.split('.') as [string, string, string]
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: '999', role: 'admin' })).toString('base64url')
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')
    const past = Math.floor(Date.now() / 1000) - 3600
    const secret = new TextEncoder().encode('x'.repeat(32))
    const otherSecret = await new SignJWT({ role: 'user' }).setProtectedHeader({ alg: 'HS256' }).setSubject(String(alice.id)).setIssuer('recflow').setAudience('recflow-api').setExpirationTime('10m').sign(secret)
    for (const token of [`${head}.${forged}.${sig}`, `${none}.${payload}.`, otherSecret]) {
      const res = await daemon.fetch('/api/v1/sources', { token })
      expect(res.status).toBe(401)
    }
    let now = new Date(past * 1000)
    const signer = accessTokensWithSecret(Buffer.from('y'.repeat(32)), () => now)
    const old = await signer.issue({ id: alice.id, role: 'user' })
    await expect(signer.verify(old.access_token)).resolves.toEqual({ userId: alice.id, role: 'user' })
    now = new Date()
    await expect(signer.verify(old.access_token)).rejects.toThrow(/expired/)
    expect((await daemon.fetch('/api/v1/sources', { token: alice.token })).status).toBe(200)
  })

  it("another tenant's source is 404 for every verb and is left unchanged", async () => {
    const owner = await daemon.user('owner@example.com')
    const other = await daemon.user('other@example.com')
    const folder = path.join(daemon.home, 'lectures')
    fs.mkdirSync(folder, { recursive: true })
    const created = await daemon.fetch('/api/v1/sources', { method: 'POST', token: owner.token, body: { name: 'lectures', platform: 'local', config: { path: folder } } })
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: number }
    expect((await daemon.fetch(`/api/v1/sources/${id}`, { token: other.token })).status).toBe(404)
    expect((await daemon.fetch(`/api/v1/sources/${id}`, { method: 'PATCH', token: other.token, body: { name: 'x' } })).status).toBe(404)
    expect((await daemon.fetch(`/api/v1/sources/${id}`, { method: 'DELETE', token: other.token })).status).toBe(404)
    const otherList = (await (await daemon.fetch('/api/v1/sources', { token: other.token })).json()) as { items: unknown[] }
    expect(otherList.items).toEqual([])
    const mine = (await (await daemon.fetch(`/api/v1/sources/${id}`, { token: owner.token })).json()) as { name: string; user_id?: number }
    expect(mine.name).toBe('lectures')
    expect(mine).not.toHaveProperty('user_id')
  })

  it('malformed input is a 4xx problem, never a 5xx', async () => {
    const u = await daemon.user('fuzz@example.com')
    const cases: Array<[string, { method?: string; body?: unknown; headers?: Record<string, string> }, number]> = [
      ['/api/v1/sources/abc', {}, 400],
      ['/api/v1/sources/-1', {}, 400],
      ['/api/v1/sources/99999999999999999999', {}, 400],
      ['/api/v1/sources/%FF', {}, 400],
      [`/api/v1/sources/${'9'.repeat(300)}`, {}, 414],
      ['/api/v1/sources?limit=0', {}, 400],
      ['/api/v1/sources?limit=abc', {}, 400],
      ['/api/v1/sources?cursor=garbage', {}, 400],
      ['/api/v1/sources?active_only=maybe', {}, 400],
      ['/api/v1/sources', { method: 'POST', body: '{"name":', headers: { 'content-type': 'application/json' } }, 400],
      ['/api/v1/sources', { method: 'POST', body: [] }, 400],
      ['/api/v1/sources', { method: 'POST', body: { name: 'x', platform: 'ftp' } }, 422],
      ['/api/v1/sources', { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024), headers: { 'content-type': 'application/json' } }, 413],
      ['/api/v1/nothing-here', {}, 404],
    ]
    for (const [url, init, status] of cases) {
      const res = await daemon.fetch(url, { ...init, token: u.token })
      expect({ url, status: res.status }).toEqual({ url, status })
      expect((await problemOf(res)).status).toBe(status)
    }
  })

  it('/metrics counts requests by route pattern and status, and reports the queue', async () => {
    await daemon.fetch('/api/v1/sources/12345')
    const text = await (await daemon.fetch('/metrics')).text()
    expect(text).toMatch(/recflow_http_requests_total\{method="GET",route="\/api\/v1\/sources\/:id",status="401"\} \d+/)
    expect(text).toContain('recflow_http_request_duration_seconds_bucket{method="GET",route="/health",le="0.025"}')
    expect(text).toMatch(/recflow_tasks\{state="pending"\} 0/)
    expect(text).toContain('recflow_queue_oldest_wait_seconds 0')
    expect(text).not.toContain('12345')
  })

  it('any JSON body nested deeper than 32 levels is a 400 problem before a route runs; 32 levels pass the parser', async () => {
    const me = await daemon.user('deep@example.com')
    const nest = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)
    for (const [path, body] of [['/api/v1/sources', `{"name":"x","platform":"local","config":${nest(50_000)}}`], ['/api/v1/presets', `{"name":"x","platform":"local","preset_metadata":${nest(40)}}`]] as const) {
      const res = await daemon.fetch(path, { method: 'POST', token: me.token, body, headers: { 'content-type': 'application/json' } })
      expect(res.status, path).toBe(400)
      expect(res.headers.get('content-type')).toMatch(/problem\+json/)
      expect(((await res.json()) as { detail: string }).detail).toMatch(/more than 32 levels/)
    }
    // 31 objects inside `config` (32 levels with the body) reach the route, which judges the config on its own terms.
    const ok = await daemon.fetch('/api/v1/sources', { method: 'POST', token: me.token, body: `{"name":"x","platform":"local","config":${nest(31)}}`, headers: { 'content-type': 'application/json' } })
    expect(JSON.stringify(await ok.json())).not.toMatch(/levels/)
    expect(ok.status).toBeGreaterThanOrEqual(400)
    expect(ok.status).toBeLessThan(500)
  })
})
