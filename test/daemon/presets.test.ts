import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { expectJson as json, useTestDaemon } from '../support/daemon.js'

const daemon = useTestDaemon()

describe('preset routes', () => {
  it('create, list with filters, get, patch, render a sample, delete', async () => {
    const me = await daemon.user('presets@example.org')
    const destination = path.join(daemon.home, 'published')
    const created = await json(
      await daemon.fetch('/api/v1/presets', { method: 'POST', token: me.token, body: { name: 'archive', platform: 'local', preset_metadata: { destination, title_template: '{display_name}' } } }),
      201,
    )
    expect(created).toMatchObject({ name: 'archive', platform: 'local', credential_id: null, is_active: true })
    expect(created).not.toHaveProperty('user_id')
    expect((await json(await daemon.fetch('/api/v1/presets?platform=local&active_only=true', { token: me.token }), 200)).items.map((p: any) => p.id)).toEqual([created.id])
    expect((await json(await daemon.fetch('/api/v1/presets?platform=youtube', { token: me.token }), 200)).items).toEqual([])
    const patched = await json(await daemon.fetch(`/api/v1/presets/${created.id}`, { method: 'PATCH', token: me.token, body: { description: 'copies' } }), 200)
    expect(patched.description).toBe('copies')
    expect((await json(await daemon.fetch(`/api/v1/presets/${created.id}`, { token: me.token }), 200)).description).toBe('copies')
    const rendered = await json(
      await daemon.fetch(`/api/v1/presets/${created.id}/render`, { method: 'POST', token: me.token, body: { sample: { display_name: 'Algebra 3' } } }),
      200,
    )
    expect(rendered).toMatchObject({ title: 'Algebra 3', sample: true, recording: null })
    expect(await json(await daemon.fetch(`/api/v1/presets/${created.id}`, { method: 'DELETE', token: me.token }), 200)).toMatchObject({ id: created.id, removed: true })
    expect((await daemon.fetch(`/api/v1/presets/${created.id}`, { token: me.token })).status).toBe(404)
  })

  it("another tenant's preset is 404 on every verb and stays unchanged; no token is 401", async () => {
    const owner = await daemon.user('preset-owner@example.org')
    const other = await daemon.user('preset-other@example.org')
    const { id } = await json(
      await daemon.fetch('/api/v1/presets', { method: 'POST', token: owner.token, body: { name: 'mine', platform: 'local', preset_metadata: { destination: daemon.home } } }),
      201,
    )
    expect((await daemon.fetch(`/api/v1/presets/${id}`, { token: other.token })).status).toBe(404)
    expect((await daemon.fetch(`/api/v1/presets/${id}`, { method: 'PATCH', token: other.token, body: { name: 'x' } })).status).toBe(404)
    expect((await daemon.fetch(`/api/v1/presets/${id}/render`, { method: 'POST', token: other.token, body: {} })).status).toBe(404)
    expect((await daemon.fetch(`/api/v1/presets/${id}`, { method: 'DELETE', token: other.token })).status).toBe(404)
    expect((await json(await daemon.fetch('/api/v1/presets', { token: other.token }), 200)).items).toEqual([])
    expect((await json(await daemon.fetch(`/api/v1/presets/${id}`, { token: owner.token }), 200)).name).toBe('mine')
    expect((await daemon.fetch('/api/v1/presets')).status).toBe(401)
    expect((await daemon.fetch(`/api/v1/presets/${id}`, { method: 'DELETE' })).status).toBe(401)
  })

  it('malformed input is 4xx, never 5xx', async () => {
    const me = await daemon.user('preset-bad@example.org')
    const bad: Array<[string, string, unknown]> = [
      ['POST', '/api/v1/presets', { name: 'x', platform: 'tiktok', preset_metadata: {} }],
      ['POST', '/api/v1/presets', { name: 'x', platform: 'local', credential_id: 4, preset_metadata: { destination: '/d' } }],
      ['POST', '/api/v1/presets', { name: 'x', platform: 'local', preset_metadata: {} }],
      ['POST', '/api/v1/presets', [1, 2]],
      ['POST', '/api/v1/presets', 'text'],
      ['PATCH', '/api/v1/presets/1', { platform: 5 }],
      ['GET', '/api/v1/presets/abc', undefined],
      ['GET', '/api/v1/presets/-1', undefined],
      ['GET', '/api/v1/presets?limit=0', undefined],
      ['GET', '/api/v1/presets?platform=zoom', undefined],
      ['POST', '/api/v1/presets/1/render', { recording_id: 'x' }],
      ['POST', '/api/v1/presets/1/render', { other: 1 }],
    ]
    for (const [method, url, body] of bad) {
      const res = await daemon.fetch(url, { method, token: me.token, body })
      expect(res.status, `${method} ${url}`).toBeGreaterThanOrEqual(400)
      expect(res.status, `${method} ${url}`).toBeLessThan(500)
      expect(res.headers.get('content-type')).toMatch(/problem\+json/)
    }
  })
})
