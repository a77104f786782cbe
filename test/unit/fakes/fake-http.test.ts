import { afterEach, describe, expect, it } from 'vitest'
import { authorizationKey, jsonResponse, startFakeServer, type FakeServer } from '../../fakes/fake-http.js'

describe('fake HTTP server base', () => {
  let server: FakeServer | undefined
  afterEach(async () => server?.close())

  it('routes, logs requests, parses multipart and serves injected faults once, in order', async () => {
    server = await startFakeServer([
      { method: 'POST', path: '/v1/echo', handler: async (req) => jsonResponse(200, { key: authorizationKey(req), file: ((await req.form()).get('file') as File).name }) },
    ])
    const form = () => {
      const f = new FormData()
      f.set('file', new Blob([Buffer.from('abc')]), 'a.ogg')
      return f
    }
    server.inject('POST /v1/echo', jsonResponse(429, { error: { message: 'slow down' } }, { 'retry-after': '1' }), { drop: true })
    const first = await fetch(`${server.url}/v1/echo`, { method: 'POST', body: form(), headers: { authorization: 'Bearer k1' } })
    expect(first.status).toBe(429)
    expect(first.headers.get('retry-after')).toBe('1')
    await expect(fetch(`${server.url}/v1/echo`, { method: 'POST', body: form() })).rejects.toThrow()
    const ok = await fetch(`${server.url}/v1/echo`, { method: 'POST', body: form(), headers: { authorization: 'Bearer k1' } })
    expect(await ok.json()).toEqual({ key: 'k1', file: 'a.ogg' })
    expect((await fetch(`${server.url}/nope`)).status).toBe(404)
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/echo', 'POST /v1/echo', 'POST /v1/echo', 'GET /nope'])
  })

  it('counts the most requests open at once, a fault answered while another request is open included', async () => {
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    server = await startFakeServer([
      {
        method: 'GET',
        path: '/slow',
        handler: async () => {
          await held
          return jsonResponse(200, {})
        },
      },
    ])
    expect((await fetch(`${server.url}/nope`)).status).toBe(404)
    expect((await fetch(`${server.url}/nope`)).status).toBe(404)
    expect(server.peakInFlight()).toBe(1)
    server.inject('GET /slow', { delayMs: 0 }, jsonResponse(402, {}))
    const first = fetch(`${server.url}/slow`)
    while (server.requests.length < 3) await new Promise((r) => setTimeout(r, 5))
    expect((await fetch(`${server.url}/slow`)).status).toBe(402)
    release()
    expect((await first).status).toBe(200)
    expect(server.peakInFlight()).toBe(2)
  })
})
