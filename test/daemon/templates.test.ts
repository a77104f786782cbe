import { describe, expect, it } from 'vitest'
import { useTestDaemon } from '../support/daemon.js'

const daemon = useTestDaemon()

const json = async (res: Response, status: number) => {
  const body = (await res.json()) as any
  expect(res.status, JSON.stringify(body)).toBe(status)
  return body
}

const lectures = { name: 'Lectures', matching_rules: { keywords: ['Lecture'] }, auto_rematch: false }

describe('template routes', () => {
  it('create, list, get, patch (validated), preview-match, delete', async () => {
    const me = await daemon.user('templates@example.org')
    const created = await json(await daemon.fetch('/api/v1/templates', { method: 'POST', token: me.token, body: lectures }), 201)
    expect(created).toMatchObject({ name: 'Lectures', is_draft: false, is_active: true })
    expect(created).not.toHaveProperty('user_id')
    expect((await json(await daemon.fetch('/api/v1/templates?include_drafts=false', { token: me.token }), 200)).items.map((t: any) => t.id)).toEqual([created.id])
    expect((await json(await daemon.fetch(`/api/v1/templates/${created.id}`, { method: 'PATCH', token: me.token, body: { description: 'weekly' } }), 200)).description).toBe('weekly')
    const refused = await json(await daemon.fetch(`/api/v1/templates/${created.id}`, { method: 'PATCH', token: me.token, body: { matching_rules: { patterns: ['('] } } }), 422)
    expect(refused.code).toBe('validation')
    expect((await json(await daemon.fetch(`/api/v1/templates/${created.id}`, { token: me.token }), 200)).matching_rules).toMatchObject({ keywords: ['Lecture'] })
    expect(await json(await daemon.fetch(`/api/v1/templates/${created.id}/preview-match`, { method: 'POST', token: me.token }), 200)).toMatchObject({
      template: { id: created.id },
      considered: 0,
      matches: [],
    })
    expect((await daemon.fetch('/api/v1/templates/from-recording/999', { method: 'POST', token: me.token, body: { name: 'x' } })).status).toBe(404)
    expect(await json(await daemon.fetch(`/api/v1/templates/${created.id}`, { method: 'DELETE', token: me.token }), 200)).toEqual({ id: created.id, removed: true })
    expect((await daemon.fetch(`/api/v1/templates/${created.id}`, { token: me.token })).status).toBe(404)
  })

  it("another tenant's template is 404 on every verb; writes without can_create_templates are 403; no token 401", async () => {
    const owner = await daemon.user('tpl-owner@example.org')
    const other = await daemon.user('tpl-other@example.org')
    const { id } = await json(await daemon.fetch('/api/v1/templates', { method: 'POST', token: owner.token, body: lectures }), 201)
    expect((await daemon.fetch(`/api/v1/templates/${id}`, { token: other.token })).status).toBe(404)
    expect((await daemon.fetch(`/api/v1/templates/${id}`, { method: 'PATCH', token: other.token, body: { name: 'x' } })).status).toBe(404)
    expect((await daemon.fetch(`/api/v1/templates/${id}/preview-match`, { method: 'POST', token: other.token })).status).toBe(404)
    expect((await daemon.fetch(`/api/v1/templates/${id}`, { method: 'DELETE', token: other.token })).status).toBe(404)
    expect((await json(await daemon.fetch('/api/v1/templates', { token: other.token }), 200)).items).toEqual([])
    expect((await json(await daemon.fetch(`/api/v1/templates/${id}`, { token: owner.token }), 200)).name).toBe('Lectures')

    const reader = await daemon.user('tpl-reader@example.org', { permissions: { can_create_templates: false } })
    expect((await json(await daemon.fetch('/api/v1/templates', { method: 'POST', token: reader.token, body: lectures }), 403)).code).toBe('forbidden')
    expect((await daemon.fetch(`/api/v1/templates/${id}`, { method: 'DELETE', token: reader.token })).status).toBe(403)
    expect((await daemon.fetch('/api/v1/templates/from-recording/1', { method: 'POST', token: reader.token, body: { name: 'x' } })).status).toBe(403)
    expect((await daemon.fetch('/api/v1/templates', { token: reader.token })).status).toBe(200)
    expect((await daemon.fetch('/api/v1/templates')).status).toBe(401)
  })

  it('malformed input is 4xx, never 5xx', async () => {
    const me = await daemon.user('tpl-bad@example.org')
    const bad: Array<[string, string, unknown]> = [
      ['POST', '/api/v1/templates', { name: 'x' }],
      ['POST', '/api/v1/templates', { name: 'x', matching_rules: 'all' }],
      ['POST', '/api/v1/templates', { name: 'x', matching_rules: { keywords: ['a'] }, processing_config: { nope: 1 } }],
      ['POST', '/api/v1/templates', [1]],
      ['PATCH', '/api/v1/templates/1', { name: 5 }],
      ['GET', '/api/v1/templates/0', undefined],
      ['GET', '/api/v1/templates?include_drafts=maybe', undefined],
      ['POST', '/api/v1/templates/from-recording/abc', { name: 'x' }],
      ['POST', '/api/v1/templates/from-recording/1', { name: '' }],
      ['POST', '/api/v1/templates/from-recording/1', { name: 'x', extra: true }],
    ]
    for (const [method, url, body] of bad) {
      const res = await daemon.fetch(url, { method, token: me.token, body })
      expect(res.status, `${method} ${url}`).toBeGreaterThanOrEqual(400)
      expect(res.status, `${method} ${url}`).toBeLessThan(500)
    }
  })
})
