import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { assertOwned } from '../../../src/db/assert-owned.js'
import { forUser, systemScope, type UserScope } from '../../../src/db/scope.js'
import { tempDatabase, type TempDatabase } from './temp-db.js'

let t: TempDatabase
let a: UserScope
let b: UserScope

beforeEach(async () => {
  t = await tempDatabase()
  const users = systemScope(t.database.db).users
  a = forUser(t.database.db, (await users.create({ email: 'a@example.com' })).id)
  b = forUser(t.database.db, (await users.create({ email: 'b@example.com' })).id)
})
afterEach(() => t.cleanup())

const credential = (scope: UserScope) =>
  scope.credentials.create({ platform: 'youtube', account_name: 'acc', encrypted_data: 'c', key_id: 'k' })

describe('references to other owned rows', () => {
  it('accept the user\'s own rows', async () => {
    const cred = await credential(a)
    const preset = await a.presets.create({ name: 'p', platform: 'youtube', credential_id: cred.id })
    const source = await a.sources.create({ name: 's', platform: 'zoom', credential_id: cred.id })
    const template = await a.templates.create({
      name: 't',
      matching_rules: { source_ids: [source.id], patterns: ['Lecture*'] },
      output_config: { preset_ids: [preset.id] },
    })
    const job = await a.automationJobs.create({ name: 'j', schedule: {}, source_ids: [source.id], template_ids: [template.id] })
    expect(job.source_ids).toEqual([source.id])
    expect(template.output_config).toEqual({ preset_ids: [preset.id] })
  })

  it('answer not_found naming another user\'s credential, for presets and sources', async () => {
    const foreign = await credential(b)
    const message = `credential ${foreign.id} not found`
    await expect(a.presets.create({ name: 'p', platform: 'youtube', credential_id: foreign.id })).rejects.toMatchObject({ code: 'not_found', message })
    await expect(a.sources.create({ name: 's', platform: 'zoom', credential_id: foreign.id })).rejects.toMatchObject({ code: 'not_found', message })
    const own = await a.presets.create({ name: 'p2', platform: 'vk' })
    await expect(a.presets.update(own.id, { credential_id: foreign.id })).rejects.toMatchObject({ code: 'not_found', message })
    expect((await a.presets.get(own.id))?.credential_id).toBeNull()
  })

  it('answer not_found for a template pointing at another user\'s preset or source', async () => {
    const foreignPreset = await b.presets.create({ name: 'p', platform: 'youtube' })
    const foreignSource = await b.sources.create({ name: 's', platform: 'zoom' })
    const ownPreset = await a.presets.create({ name: 'p', platform: 'youtube' })
    await expect(
      a.templates.create({ name: 't', output_config: { preset_ids: [ownPreset.id, foreignPreset.id] } }),
    ).rejects.toMatchObject({ code: 'not_found', message: `preset ${foreignPreset.id} not found` })
    await expect(
      a.templates.create({ name: 't', matching_rules: { source_ids: [foreignSource.id] } }),
    ).rejects.toMatchObject({ code: 'not_found', message: `source ${foreignSource.id} not found` })
    expect((await a.templates.list({ includeDrafts: true })).items).toEqual([])
  })

  it('answer not_found for an automation job with another user\'s sources or templates', async () => {
    const foreignTemplate = await b.templates.create({ name: 't' })
    const foreignSource = await b.sources.create({ name: 's', platform: 'zoom' })
    await expect(a.automationJobs.create({ name: 'j', schedule: {}, template_ids: [foreignTemplate.id] })).rejects.toMatchObject({
      code: 'not_found',
      message: `template ${foreignTemplate.id} not found`,
    })
    await expect(a.automationJobs.create({ name: 'j', schedule: {}, source_ids: [foreignSource.id] })).rejects.toMatchObject({
      code: 'not_found',
      message: `source ${foreignSource.id} not found`,
    })
  })

  it('give a missing id the same answer as another user\'s id', async () => {
    const foreign = await credential(b)
    const missing = foreign.id + 1000
    await expect(assertOwned(t.database.db, a.userId, 'user_credentials', [missing])).rejects.toMatchObject({
      code: 'not_found',
      message: `credential ${missing} not found`,
    })
  })

  it('reject id lists that are not arrays of ids, so a malformed reference cannot skip the check', async () => {
    await expect(a.templates.create({ name: 't', output_config: { preset_ids: ['1'] } })).rejects.toMatchObject({ code: 'validation' })
    await expect(a.templates.create({ name: 't', matching_rules: { source_ids: 3 } })).rejects.toMatchObject({ code: 'validation' })
    await expect(a.automationJobs.create({ name: 'j', schedule: {}, source_ids: [0] })).rejects.toMatchObject({ code: 'validation' })
  })
})

describe('templates', () => {
  it('list in creation order, hiding drafts unless included and inactive ones when asked', async () => {
    await a.templates.create({ name: 'first' })
    await a.templates.create({ name: 'draft', is_draft: true })
    await a.templates.create({ name: 'inactive', is_active: false })
    await a.templates.create({ name: 'last' })
    const names = async (filters: Parameters<UserScope['templates']['list']>[0]) =>
      (await a.templates.list(filters)).items.map((x) => x.name)
    expect(await names({})).toEqual(['first', 'inactive', 'last'])
    expect(await names({ includeDrafts: true })).toEqual(['first', 'draft', 'inactive', 'last'])
    expect(await names({ activeOnly: true })).toEqual(['first', 'last'])
  })

  it('pages through templates created in the same millisecond in id order', async () => {
    const created = []
    for (let i = 0; i < 5; i++) created.push(await a.templates.create({ name: `t${i}` }))
    await t.database.db.updateTable('recording_templates').set({ created_at: '2024-01-01T00:00:00.000Z' }).execute()
    const first = await a.templates.list({}, { limit: 3 })
    const second = await a.templates.list({}, { limit: 3, cursor: first.nextCursor })
    expect([...first.items, ...second.items].map((x) => x.id)).toEqual(created.map((x) => x.id))
    expect(second.nextCursor).toBeNull()
  })

  it('count every match, also when marked concurrently', async () => {
    const template = await a.templates.create({ name: 't' })
    await Promise.all([1, 2, 3].map(() => a.templates.markUsed(template.id, '2024-05-01T00:00:00Z')))
    expect(await a.templates.get(template.id)).toMatchObject({ used_count: 3, last_used_at: '2024-05-01T00:00:00.000Z' })
  })

  it('answer conflict for a second template with the same name', async () => {
    await a.templates.create({ name: 'same' })
    await expect(a.templates.create({ name: 'same' })).rejects.toMatchObject({
      code: 'conflict',
      message: 'a template with this name already exists',
    })
    await expect(b.templates.create({ name: 'same' })).resolves.toMatchObject({ name: 'same' })
  })
})
