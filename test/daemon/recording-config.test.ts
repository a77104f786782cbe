import { describe, expect, it } from 'vitest'
import { forUser } from '../../src/db/index.js'
import { useTestDaemon } from '../support/daemon.js'

const daemon = useTestDaemon()

type ConfigBody = { recording_id: number; template_id: number | null; config: Record<string, Record<string, unknown>>; sources: Record<string, string>; override: Record<string, unknown> | null }

async function body<T>(res: Response, status: number): Promise<T> {
  expect(res.status, await res.clone().text()).toBe(status)
  return (await res.json()) as T
}

describe('daemon /recordings/{id}/config', () => {
  it('resolves default < user < template < recording with the layer of each value; PUT stores the override (validated), DELETE drops it', async () => {
    const ann = await daemon.user('ann@example.com')
    const s = forUser(daemon.app.database.db, ann.id)
    await s.configs.set({ processing: { silence_threshold: -35 }, topics: { granularity: 'short' } })
    const tpl = await s.templates.create({ name: 'Lectures', matching_rules: { exact_matches: ['Algebra'] }, processing_config: { processing: { padding_before: 2 }, topics: { granularity: 'medium' } } })
    const rec = await s.recordings.create({ display_name: 'Algebra', start_time: '2026-05-01T08:00:00Z', template_id: tpl.id, is_mapped: true })
    const url = `/api/v1/recordings/${rec.id}/config`

    const before = await body<ConfigBody>(await daemon.fetch(url, { token: ann.token }), 200)
    expect(before).toMatchObject({ recording_id: rec.id, template_id: tpl.id, override: null })
    expect(before.config.processing).toMatchObject({ silence_threshold: -35, padding_before: 2, padding_after: 5 })
    expect(before.config.topics!.granularity).toBe('medium')
    expect([before.sources['processing.silence_threshold'], before.sources['processing.padding_before'], before.sources['processing.padding_after'], before.sources['topics.granularity']]).toEqual(['user', 'template', 'default', 'template'])

    const put = await body<ConfigBody>(await daemon.fetch(url, { method: 'PUT', token: ann.token, body: { topics: { granularity: 'long' }, processing: { trim_mode: 'pauses' } } }), 200)
    expect(put.override).toEqual({ topics: { granularity: 'long' }, processing: { trim_mode: 'pauses' } })
    expect([put.config.topics!.granularity, put.sources['topics.granularity'], put.sources['processing.trim_mode'], put.sources['processing.padding_before']]).toEqual(['long', 'recording', 'recording', 'template'])
    expect((await s.recordings.get(rec.id))!.processing_config_override).toEqual(put.override)
    // GET reads what PUT stored.
    expect(await body<ConfigBody>(await daemon.fetch(url, { token: ann.token }), 200)).toEqual(put)

    // Refused with 422 (the schema, a template string, a preset that is not yours); the stored layer is unchanged.
    const refusals: Array<[unknown, number]> = [
      [{ processing: { silence_threshold: 'loud' } }, 422],
      [{ processing: { nonsense: 1 } }, 422],
      [{ metadata: { title_template: '{no_such_variable}' } }, 422],
      [{ upload: { preset_ids: [999999] } }, 404],
    ]
    for (const [bad, status] of refusals) {
      const res = await daemon.fetch(url, { method: 'PUT', token: ann.token, body: bad })
      expect(res.status, JSON.stringify(bad)).toBe(status)
      expect(res.headers.get('content-type')).toMatch(/problem\+json/)
    }
    for (const bad of ['[1,2]', '"text"', '{not json']) {
      expect((await daemon.fetch(url, { method: 'PUT', token: ann.token, body: bad })).status, bad).toBe(400)
    }
    expect((await s.recordings.get(rec.id))!.processing_config_override).toEqual(put.override)

    const dropped = await body<ConfigBody>(await daemon.fetch(url, { method: 'DELETE', token: ann.token }), 200)
    expect(dropped).toEqual(before)
    expect((await s.recordings.get(rec.id))!.processing_config_override).toBeNull()
  })

  it("save-as-template makes a template of the override (can_create_templates); another tenant's recording is 404 on every verb", async () => {
    const ben = await daemon.user('ben@example.com')
    const mallory = await daemon.user('mallory@example.com')
    const reader = await daemon.user('reader@example.com', { permissions: { can_create_templates: false } })
    const s = forUser(daemon.app.database.db, ben.id)
    const rec = await s.recordings.create({ display_name: 'Physics 7', start_time: '2026-05-02T08:00:00Z' })
    const url = `/api/v1/recordings/${rec.id}/config`
    await body(await daemon.fetch(url, { method: 'PUT', token: ben.token, body: { processing: { padding_after: 1 } } }), 200)

    const tpl = await body<{ id: number; name: string; processing_config: unknown; matching_rules: unknown }>(
      await daemon.fetch(`${url}/save-as-template`, { method: 'POST', token: ben.token, body: { name: 'Physics', match_pattern: '^Physics' } }),
      201,
    )
    expect(tpl).toMatchObject({ name: 'Physics', processing_config: { processing: { padding_after: 1 } }, matching_rules: { patterns: ['^Physics'] } })
    expect((await s.templates.get(tpl.id))?.name).toBe('Physics')
    expect((await daemon.fetch(`${url}/save-as-template`, { method: 'POST', token: ben.token, body: { name: 'x', extra: 1 } })).status).toBe(400)

    for (const [method, path, payload] of [['GET', url], ['PUT', url, { processing: { padding_after: 9 } }], ['DELETE', url], ['POST', `${url}/save-as-template`, { name: 'Stolen' }]] as const) {
      expect((await daemon.fetch(path, { method, token: mallory.token, body: payload })).status, `${method} ${path}`).toBe(404)
    }
    expect((await s.recordings.get(rec.id))!.processing_config_override).toEqual({ processing: { padding_after: 1 } })
    const readerRec = await forUser(daemon.app.database.db, reader.id).recordings.create({ display_name: 'Mine', start_time: '2026-05-03T08:00:00Z' })
    expect((await daemon.fetch(`/api/v1/recordings/${readerRec.id}/config/save-as-template`, { method: 'POST', token: reader.token, body: { name: 'Mine' } })).status).toBe(403)
    expect((await daemon.fetch(url)).status).toBe(401)
    expect((await daemon.fetch('/api/v1/recordings/abc/config', { token: ben.token })).status).toBe(400)
  })
})
