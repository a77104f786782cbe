import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { forUser } from '../../../src/db/index.js'
import { useTestApp } from '../../support/test-app.js'

const t = useTestApp()

const user = () => t.app.localUser
const folderPreset = async (name: string) =>
  (await t.app.service('presets')).create(user(), { name, platform: 'local', preset_metadata: { destination: path.join(t.home, 'out') } })

describe('removing a preset that is in use', () => {
  it('is refused with the list of users, and nothing changes', async () => {
    const preset = await folderPreset('Archive A')
    const template = await (await t.app.service('templates')).create(user(), {
      name: 'Math',
      matching_rules: { keywords: ['Math'] },
      output_config: { preset_ids: [preset.id] },
    })
    const error = await (await t.app.service('presets')).remove(user(), preset.id).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'conflict' })
    expect((error as Error).message).toContain(`template ${template.id} "Math" (output_config.preset_ids)`)
    expect((error as { hint: string }).hint).toContain(`recflow presets remove ${preset.id} --force`)
    expect(await (await t.app.service('presets')).get(user(), preset.id)).toBeDefined()
  })

  it('with force, is removed and taken out of templates, recording overrides and the config', async () => {
    const keep = await folderPreset('Archive keep')
    const gone = await folderPreset('Archive gone')
    const template = await (await t.app.service('templates')).create(user(), {
      name: 'Physics',
      matching_rules: { keywords: ['Physics'] },
      output_config: { preset_ids: [keep.id, gone.id] },
      processing_config: { upload: { preset_ids: [gone.id] } },
    })
    const scope = forUser(t.app.database.db, user().id)
    const rec = await scope.recordings.create({
      display_name: 'Physics 1',
      start_time: '2026-03-02T09:00:00Z',
      status: 'INITIALIZED',
      processing_config_override: { upload: { preset_ids: [gone.id] } },
    })
    await scope.configs.set({ upload: { preset_ids: [gone.id, keep.id] } })

    const refused = await (await t.app.service('presets')).remove(user(), gone.id).catch((e: Error) => e.message)
    expect(refused).toMatch(new RegExp(`recording ${rec.id} "Physics 1".*your config \\(upload.preset_ids\\)`))

    const result = await (await t.app.service('presets')).remove(user(), gone.id, { force: true })
    expect(result.detached).toEqual([{ id: template.id, name: 'Physics' }])
    expect(await scope.presets.get(gone.id)).toBeUndefined()
    const after = (await scope.templates.get(template.id))!
    expect(after.output_config).toEqual({ preset_ids: [keep.id] })
    expect(after.processing_config).toEqual({ upload: { preset_ids: [] } })
    expect((await scope.recordings.get(rec.id))!.processing_config_override).toEqual({ upload: { preset_ids: [] } })
    expect((await scope.configs.get())!.config).toEqual({ upload: { preset_ids: [keep.id] } })
    await scope.configs.set({})
  })

  it('an unused preset is removed without force', async () => {
    const preset = await folderPreset('Unused')
    expect(await (await t.app.service('presets')).remove(user(), preset.id)).toEqual({ id: preset.id, removed: true, detached: [] })
  })
})

describe('removing a source that is in use', () => {
  const addSource = async (name: string) =>
    // Each on its own folder: two sources on one folder are refused.
    (await t.app.service('sources')).create(user(), { name, platform: 'local', config: { path: fs.mkdtempSync(path.join(t.home, 'source-')) } })

  it('is refused while a template or a recording uses it; with force, recordings stay and a template losing its only source becomes a draft', async () => {
    const only = await addSource('Only source')
    const other = await addSource('Other source')
    const narrow = await (await t.app.service('templates')).create(user(), {
      name: 'Narrow',
      matching_rules: { keywords: ['Chem'], source_ids: [only.id] },
      is_draft: false,
    })
    const wide = await (await t.app.service('templates')).create(user(), {
      name: 'Wide',
      matching_rules: { keywords: ['Bio'], source_ids: [only.id, other.id] },
      is_draft: false,
    })
    const scope = forUser(t.app.database.db, user().id)
    const rec = await scope.recordings.create({
      display_name: 'Chem 1',
      start_time: '2026-03-02T09:00:00Z',
      status: 'INITIALIZED',
      input_source_id: only.id,
      source_key: 'chem-1',
    })

    const error = await (await t.app.service('sources')).remove(user(), only.id).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'conflict' })
    expect((error as Error).message).toContain(`template ${narrow.id} "Narrow" (matching_rules.source_ids)`)
    expect((error as Error).message).toContain(`recording ${rec.id} "Chem 1"`)
    expect(await scope.sources.get(only.id)).toBeDefined()

    const result = await (await t.app.service('sources')).remove(user(), only.id, { force: true })
    expect(result.detached).toEqual([
      { id: narrow.id, name: 'Narrow', madeDraft: true },
      { id: wide.id, name: 'Wide' },
    ])
    const narrowAfter = (await scope.templates.get(narrow.id))!
    expect(narrowAfter.matching_rules).toMatchObject({ source_ids: [] })
    expect(narrowAfter.is_draft).toBe(true)
    expect((await scope.templates.get(wide.id))!.matching_rules).toMatchObject({ source_ids: [other.id] })
    expect((await scope.recordings.get(rec.id))!.input_source_id).toBeNull()
  })
})

describe('removing a source an automation job syncs', () => {
  it('is refused naming the job; with force it is taken out of the job, and a job left with nothing to sync is disabled', async () => {
    const folder = () => fs.mkdtempSync(path.join(t.home, 'source-'))
    const sources = await t.app.service('sources')
    const gone = await sources.create(user(), { name: 'Job gone', platform: 'local', config: { path: folder() } })
    const kept = await sources.create(user(), { name: 'Job kept', platform: 'local', config: { path: folder() } })
    const jobs = await t.app.service('jobs')
    const daily = { type: 'time_of_day', time: '02:00' }
    const only = await jobs.add(user(), { name: 'Only gone', source_ids: [gone.id], schedule: daily })
    const both = await jobs.add(user(), { name: 'Both', source_ids: [gone.id, kept.id], schedule: daily })

    const error = await sources.remove(user(), gone.id).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'conflict', hint: expect.stringContaining('to remove it and take it out of those jobs') })
    expect((error as Error).message).toContain(`job ${only.id} "Only gone", job ${both.id} "Both"`)

    const result = await sources.remove(user(), gone.id, { force: true })
    expect(result.detached).toEqual([
      { kind: 'job', id: only.id, name: 'Only gone', madeInactive: true },
      { kind: 'job', id: both.id, name: 'Both' },
    ])
    const scope = forUser(t.app.database.db, user().id)
    expect(await scope.automationJobs.get(only.id)).toMatchObject({ source_ids: [], is_active: false, next_run_at: null })
    expect(await scope.automationJobs.get(both.id)).toMatchObject({ source_ids: [kept.id], is_active: true })
    // Enabled again with nothing to sync is refused, not widened to every source.
    await expect(jobs.enable(user(), only.id)).rejects.toMatchObject({ message: 'a job needs at least one source or template' })
  })
})

describe('removing a template an automation job names', () => {
  it('is refused naming the job; with force it is taken out, and a job left with no template is disabled, not widened', async () => {
    const source = await (await t.app.service('sources')).create(user(), { name: 'Tpl jobs', platform: 'local', config: { path: fs.mkdtempSync(path.join(t.home, 'source-')) } })
    const templates = await t.app.service('templates')
    const gone = await templates.create(user(), { name: 'Gone', matching_rules: { keywords: ['Gone'] } })
    const kept = await templates.create(user(), { name: 'Kept', matching_rules: { keywords: ['Kept'] } })
    const jobs = await t.app.service('jobs')
    const daily = { type: 'time_of_day', time: '02:00' }
    const only = await jobs.add(user(), { name: 'Only Gone', source_ids: [source.id], template_ids: [gone.id], schedule: daily })
    const both = await jobs.add(user(), { name: 'Gone and Kept', template_ids: [gone.id, kept.id], schedule: daily })

    const error = await templates.remove(user(), gone.id).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'conflict', hint: expect.stringContaining(`recflow templates remove ${gone.id} --force\` to remove it and take it out of those jobs`) })
    expect((error as Error).message).toBe(`template ${gone.id} is still used by job ${only.id} "Only Gone", job ${both.id} "Gone and Kept"`)
    expect(await templates.get(user(), gone.id)).toBeDefined()

    const result = await templates.remove(user(), gone.id, { force: true })
    expect(result.detached).toEqual([
      { kind: 'job', id: only.id, name: 'Only Gone', madeInactive: true },
      { kind: 'job', id: both.id, name: 'Gone and Kept' },
    ])
    const scope = forUser(t.app.database.db, user().id)
    // Left with its source and no template, the job would process every matched recording of it: disabled instead.
    expect(await scope.automationJobs.get(only.id)).toMatchObject({ source_ids: [source.id], template_ids: [], is_active: false })
    expect(await scope.automationJobs.get(both.id)).toMatchObject({ template_ids: [kept.id], is_active: true })
    expect(await templates.remove(user(), kept.id, { force: true })).toMatchObject({ detached: [{ kind: 'job', id: both.id, madeInactive: true }] })
  })
})

describe('templates edit on a template with a dangling reference', () => {
  it('reports the missing preset, still accepts other changes, and lets you replace the list', async () => {
    const gone = await folderPreset('Soon gone')
    const replacement = await folderPreset('Replacement')
    const template = await (await t.app.service('templates')).create(user(), {
      name: 'History',
      matching_rules: { keywords: ['History'] },
      output_config: { preset_ids: [gone.id] },
    })
    await (await t.app.service('presets')).remove(user(), gone.id, { force: false }).catch(() => undefined)
    // A preset removed before removal was checked (older versions) leaves the reference dangling.
    await forUser(t.app.database.db, user().id).presets.remove(gone.id)

    const shown = await (await t.app.service('templates')).show(user(), template.id)
    expect(shown.problems).toEqual([expect.stringContaining(`preset ${gone.id} no longer exists`)])
    expect(shown.problems![0]).toContain(`recflow templates edit ${template.id} --preset ID`)

    const renamed = await (await t.app.service('templates')).update(user(), template.id, { name: 'History II' })
    expect(renamed.name).toBe('History II')
    expect(renamed.problems).toEqual([expect.stringContaining(`preset ${gone.id} no longer exists`)])

    const fixed = await (await t.app.service('templates')).update(user(), template.id, { output_config: { preset_ids: [replacement.id] } })
    expect(fixed.problems).toBeUndefined()
    expect(fixed.output_config).toEqual({ preset_ids: [replacement.id] })
  })

  it('still refuses a new id that does not exist', async () => {
    const template = await (await t.app.service('templates')).create(user(), { name: 'Art', matching_rules: { keywords: ['Art'] } })
    await expect((await t.app.service('templates')).update(user(), template.id, { output_config: { preset_ids: [9999] } })).rejects.toMatchObject({
      code: 'not_found',
    })
  })
})
