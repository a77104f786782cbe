import { describe, expect, it } from 'vitest'
import { useTestDaemon, type TestUser } from '../support/daemon.js'

const daemon = useTestDaemon()

interface ConfigView {
  config: { processing: { padding_before: number; trim_mode: string; silence_threshold: number }; transcription: { concurrency: number } }
  stored: Record<string, unknown>
  sources: Record<string, string>
}

const get = async (u: TestUser) => {
  const res = await daemon.fetch('/api/v1/users/me/config', { token: u.token })
  expect(res.status).toBe(200)
  return (await res.json()) as ConfigView
}
const patch = (u: TestUser, body: unknown) => daemon.fetch('/api/v1/users/me/config', { method: 'PATCH', token: u.token, body })

describe('/users/me/config', () => {
  it('GET shows the defaults; PATCH deep-merges into the stored layer, null removes a key; reset goes back to defaults', async () => {
    const alice = await daemon.user('config-alice@example.com')
    const fresh = await get(alice)
    expect(fresh.stored).toEqual({})
    expect(fresh.config.processing.padding_before).toBe(5)
    expect(fresh.sources['processing.padding_before']).toBe('default')

    expect((await patch(alice, { processing: { padding_before: 2, trim_mode: 'pauses' } })).status).toBe(200)
    const res = await patch(alice, { processing: { silence_threshold: -30 }, transcription: { concurrency: 2 } })
    const merged = (await res.json()) as ConfigView
    expect(merged.stored).toEqual({ processing: { padding_before: 2, trim_mode: 'pauses', silence_threshold: -30 }, transcription: { concurrency: 2 } })
    expect(merged.config.processing).toMatchObject({ padding_before: 2, trim_mode: 'pauses', silence_threshold: -30 })
    expect(merged.sources['processing.padding_before']).toBe('user')
    // The CLI's service sees the same layer.
    expect(await (await daemon.app.service('config')).get({ id: alice.id, timezone: 'UTC' }, 'processing.trim_mode')).toMatchObject({ value: 'pauses', source: 'user' })

    const removed = (await (await patch(alice, { processing: { trim_mode: null }, transcription: null })).json()) as ConfigView
    expect(removed.stored).toEqual({ processing: { padding_before: 2, silence_threshold: -30 } })
    expect(removed.config.processing.trim_mode).toBe('edges')

    const other = await daemon.user('config-bob@example.com')
    expect((await get(other)).stored).toEqual({})

    const reset = await daemon.fetch('/api/v1/users/me/config/reset', { method: 'POST', token: alice.token })
    expect(reset.status).toBe(200)
    expect(((await reset.json()) as ConfigView).stored).toEqual({})
    expect((await get(alice)).config.processing.padding_before).toBe(5)
  })

  it('an invalid value is 422 naming each field, and nothing is stored; a malformed body is 400', async () => {
    const carol = await daemon.user('config-carol@example.com')
    await patch(carol, { processing: { padding_before: 1 } })
    const res = await patch(carol, { processing: { padding_before: -1, trim_mode: 'everything' }, nonsense: { a: 1 } })
    expect(res.status).toBe(422)
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    const problem = (await res.json()) as { code: string; fields: Array<{ path: string; message: string }> }
    expect(problem.code).toBe('validation')
    expect(problem.fields.map((f) => f.path)).toEqual(expect.arrayContaining(['processing.padding_before', 'processing.trim_mode']))
    expect((await get(carol)).stored).toEqual({ processing: { padding_before: 1 } })

    const deep = '{"processing":' + '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000) + '}'
    for (const [body, status] of [['{"processing":', 400], [[], 400], ['"text"', 400], [deep, 400], [{ processing: 'fast' }, 422]] as const) {
      const bad = await daemon.fetch('/api/v1/users/me/config', { method: 'PATCH', token: carol.token, body, headers: { 'content-type': 'application/json' } })
      expect({ body: String(body).slice(0, 40), status: bad.status }).toEqual({ body: String(body).slice(0, 40), status })
    }
  })

  it("a credential or preset id of another user is refused, and a missing token is 401", async () => {
    const dave = await daemon.user('config-dave@example.com')
    const res = await patch(dave, { transcription: { credential_id: 987654 } })
    expect([404, 422]).toContain(res.status)
    expect((await get(dave)).stored).toEqual({})
    for (const [method, url] of [['GET', '/api/v1/users/me/config'], ['PATCH', '/api/v1/users/me/config'], ['POST', '/api/v1/users/me/config/reset']] as const) {
      expect((await daemon.fetch(url, { method, body: method === 'PATCH' ? {} : undefined })).status).toBe(401)
    }
  })
})
