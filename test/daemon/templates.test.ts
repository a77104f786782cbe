import { describe, expect, it } from 'vitest'
import { forUser } from '../../src/db/index.js'
import { expectJson as json, useTestDaemon } from '../support/daemon.js'

const daemon = useTestDaemon()

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
    expect(await json(await daemon.fetch(`/api/v1/templates/${created.id}`, { method: 'DELETE', token: me.token }), 200)).toEqual({ id: created.id, removed: true, detached: [] })
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

/*
 * GET /templates/{id}/stats, POST /templates/{id}/preview-rematch and /rematch, and POST /templates' auto_rematch.
 * Recordings are seeded through the user's scope (as a sync would leave them).
 */
async function seed(userId: number) {
  const scope = forUser(daemon.app.database.db, userId)
  const rec = (display_name: string, extra: Record<string, unknown> = {}) =>
    scope.recordings.create({ display_name, start_time: '2026-11-02T09:00:00Z', status: 'SKIPPED', ...extra })
  return { scope, rec }
}

describe('template stats and rematch', () => {
  it('preview-rematch shows the change, rematch writes it (SKIPPED -> INITIALIZED) in one go; stats count by status and the match', async () => {
    const me = await daemon.user('rematch@example.org')
    const { scope, rec } = await seed(me.id)
    const lecture = await rec('Lecture 1: limits')
    const other = await rec('Team sync')
    const tpl = await json(await daemon.fetch('/api/v1/templates', { method: 'POST', token: me.token, body: { name: 'Lectures', matching_rules: { keywords: ['Lecture'] }, auto_rematch: false } }), 201)
    // Started recordings keep their binding: this one is past the start of the pipeline.
    const started = await rec('Lecture 0: intro', { status: 'DOWNLOADED', template_id: tpl.id, is_mapped: true })
    const stale = await rec('Seminar 3', { status: 'INITIALIZED', template_id: tpl.id, is_mapped: true })

    const preview = await json(await daemon.fetch(`/api/v1/templates/${tpl.id}/preview-rematch`, { method: 'POST', token: me.token, body: {} }), 200)
    expect(preview).toMatchObject({ template: { id: tpl.id, name: 'Lectures' }, only_unmapped: false, considered: 3, applied: false })
    expect(preview.changes).toEqual([
      { recording_id: lecture.id, display_name: 'Lecture 1: limits', from_template_id: null, to_template_id: tpl.id, reason: 'keyword "Lecture"' },
      { recording_id: stale.id, display_name: 'Seminar 3', from_template_id: tpl.id, to_template_id: null, reason: null },
    ])
    expect((await scope.recordings.get(lecture.id))!.template_id).toBeNull()

    const onlyUnmapped = await json(await daemon.fetch(`/api/v1/templates/${tpl.id}/preview-rematch`, { method: 'POST', token: me.token, body: { only_unmapped: true } }), 200)
    expect(onlyUnmapped).toMatchObject({ considered: 2, changes: [{ recording_id: lecture.id }] })

    const applied = await json(await daemon.fetch(`/api/v1/templates/${tpl.id}/rematch`, { method: 'POST', token: me.token, body: {} }), 200)
    expect(applied).toMatchObject({ applied: true, changes: preview.changes })
    expect(await scope.recordings.get(lecture.id)).toMatchObject({ template_id: tpl.id, is_mapped: true, status: 'INITIALIZED' })
    expect(await scope.recordings.get(stale.id)).toMatchObject({ template_id: null, is_mapped: false, status: 'SKIPPED' })
    expect(await scope.recordings.get(started.id)).toMatchObject({ template_id: tpl.id, status: 'DOWNLOADED' })
    expect(await scope.recordings.get(other.id)).toMatchObject({ template_id: null, status: 'SKIPPED' })
    // Nothing left to change: a second rematch is a no-op.
    expect((await json(await daemon.fetch(`/api/v1/templates/${tpl.id}/rematch`, { method: 'POST', token: me.token }), 200)).changes).toEqual([])

    await scope.recordings.markFailed(started.id, { stage: 'PROCESS', reason: 'ffmpeg failed' })
    const stats = await json(await daemon.fetch(`/api/v1/templates/${tpl.id}/stats`, { token: me.token }), 200)
    expect(stats).toMatchObject({ template: { id: tpl.id }, total: 2, by_status: { DOWNLOADED: 1, INITIALIZED: 1 }, failed: 1, matched_count: 1 })
    expect(Date.parse(stats.last_matched_at)).not.toBeNaN()
    expect(Date.parse(stats.last_activity_at)).not.toBeNaN()
  })

  it('POST /templates takes the unmapped recordings it wins unless auto_rematch is false; an older template keeps its claim', async () => {
    const me = await daemon.user('auto-rematch@example.org')
    const { scope, rec } = await seed(me.id)
    const a = await rec('Physics lecture 4')
    const b = await rec('Physics lab')
    const off = await json(await daemon.fetch('/api/v1/templates', { method: 'POST', token: me.token, body: { name: 'Labs', matching_rules: { keywords: ['lab'] }, auto_rematch: false } }), 201)
    expect((await scope.recordings.get(b.id))!.template_id).toBeNull()
    const physics = await json(await daemon.fetch('/api/v1/templates', { method: 'POST', token: me.token, body: { name: 'Physics', matching_rules: { keywords: ['Physics'] } } }), 201)
    expect(await scope.recordings.get(a.id)).toMatchObject({ template_id: physics.id, status: 'INITIALIZED' })
    // "Physics lab" is won by the older Labs template: Physics' rematch leaves it for Labs' own.
    expect((await scope.recordings.get(b.id))!.template_id).toBeNull()
    const labs = await json(await daemon.fetch(`/api/v1/templates/${off.id}/rematch`, { method: 'POST', token: me.token, body: { only_unmapped: true } }), 200)
    expect(labs.changes.map((c: any) => c.recording_id)).toEqual([b.id])
    expect((await json(await daemon.fetch(`/api/v1/templates/${physics.id}/stats`, { token: me.token }), 200))).toMatchObject({ total: 1, by_status: { INITIALIZED: 1 }, failed: 0, matched_count: 1 })
  })

  it("another tenant's template is 404 and changes nothing; malformed bodies 400; no token 401", async () => {
    const owner = await daemon.user('rematch-owner@example.org')
    const other = await daemon.user('rematch-other@example.org')
    const { scope, rec } = await seed(owner.id)
    const tpl = await json(await daemon.fetch('/api/v1/templates', { method: 'POST', token: owner.token, body: { name: 'Talks', matching_rules: { keywords: ['Talk'] }, auto_rematch: false } }), 201)
    const talk = await rec('Talk 1')
    for (const [method, path] of [['GET', 'stats'], ['POST', 'rematch'], ['POST', 'preview-rematch']] as const) {
      expect((await daemon.fetch(`/api/v1/templates/${tpl.id}/${path}`, { method, token: other.token })).status, path).toBe(404)
      expect((await daemon.fetch(`/api/v1/templates/${tpl.id}/${path}`, { method })).status, path).toBe(401)
      expect((await daemon.fetch(`/api/v1/templates/abc/${path}`, { method, token: owner.token })).status, path).toBe(400)
    }
    // The other user's own (empty) world: rematching their template never reaches the owner's recordings.
    const theirs = await json(await daemon.fetch('/api/v1/templates', { method: 'POST', token: other.token, body: { name: 'Talks', matching_rules: { keywords: ['Talk'] } } }), 201)
    expect((await json(await daemon.fetch(`/api/v1/templates/${theirs.id}/rematch`, { method: 'POST', token: other.token }), 200)).considered).toBe(0)
    expect((await scope.recordings.get(talk.id))!.template_id).toBeNull()
    for (const body of [{ only_unmapped: 'yes' }, { only_unmapped: true, extra: 1 }, [true]]) {
      expect((await daemon.fetch(`/api/v1/templates/${tpl.id}/rematch`, { method: 'POST', token: owner.token, body })).status, JSON.stringify(body)).toBe(400)
      expect((await daemon.fetch(`/api/v1/templates/${tpl.id}/preview-rematch`, { method: 'POST', token: owner.token, body })).status, JSON.stringify(body)).toBe(400)
    }
    expect((await scope.recordings.get(talk.id))!.template_id).toBeNull()
  })
})
