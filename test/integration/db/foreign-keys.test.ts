import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
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

const start = '2024-03-01T10:00:00Z'
const count = async (table: string) =>
  Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.database.db)).rows[0]?.n)

describe('composite foreign keys', () => {
  it('reject, at the SQL level, a child row that points at another user\'s parent', async () => {
    const bRecording = await b.recordings.create({ display_name: 'B', start_time: start })
    const now = new Date().toISOString()
    await expect(
      t.database.db
        .insertInto('processing_stages')
        .values({ user_id: a.userId, recording_id: bRecording.id, stage_type: 'DOWNLOAD', created_at: now, updated_at: now })
        .execute(),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })
  })

  it('answer not_found naming the id when a repository is given another user\'s parent id', async () => {
    const bRecording = await b.recordings.create({ display_name: 'B', start_time: start })
    await expect(a.stages.ensure(bRecording.id, 'DOWNLOAD')).rejects.toMatchObject({
      code: 'not_found',
      message: `recording ${bRecording.id} not found`,
    })
  })
})

describe('deleting a recording', () => {
  it('cascades to its stages, targets, source metadata, tasks and task events', async () => {
    const source = await a.sources.create({ name: 'folder', platform: 'local' })
    const preset = await a.presets.create({ name: 'yt', platform: 'youtube' })
    const rec = await a.recordings.create({ display_name: 'R', start_time: start, input_source_id: source.id })
    await a.stages.ensure(rec.id, 'DOWNLOAD')
    await a.targets.ensure({ recording_id: rec.id, preset_id: preset.id, target_type: 'youtube' })
    await a.sourceMetadata.set(rec.id, { input_source_id: source.id, metadata: { uuid: 'x' } })
    const { task } = await a.tasks.create({ type: 'pipeline', recording_id: rec.id })
    await a.taskEvents.append(task.id, { kind: 'progress', progress: 10 })

    expect(await a.recordings.remove(rec.id)).toBe(true)
    for (const table of ['processing_stages', 'output_targets', 'source_metadata', 'tasks', 'task_events']) {
      expect(await count(table), table).toBe(0)
    }
    expect(await a.sources.get(source.id)).toBeDefined()
    expect(await a.presets.get(preset.id)).toBeDefined()
  })
})

describe('deleting a template', () => {
  it('leaves its recordings unmapped instead of failing or deleting them', async () => {
    const template = await a.templates.create({ name: 'Lectures' })
    const rec = await a.recordings.create({ display_name: 'R', start_time: start })
    await a.recordings.setMapping(rec.id, template.id)

    expect(await a.templates.remove(template.id)).toBe(true)
    expect(await a.recordings.get(rec.id)).toMatchObject({ template_id: null, is_mapped: false })
  })
})

describe('deleting a credential', () => {
  it('refuses with conflict while a preset or a source uses it', async () => {
    const cred = await a.credentials.create({ platform: 'youtube', account_name: 'me', encrypted_data: 'x', key_id: 'k1' })
    await a.presets.create({ name: 'yt', platform: 'youtube', credential_id: cred.id })
    await a.sources.create({ name: 'zoom', platform: 'zoom', credential_id: cred.id })

    await expect(a.credentials.remove(cred.id)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/preset "yt".*source "zoom"/),
      hint: expect.stringMatching(/--force/),
    })
    expect(await a.credentials.get(cred.id)).toBeDefined()
  })

  it('detaches it from presets and sources when forced', async () => {
    const cred = await a.credentials.create({ platform: 'zoom', account_name: 'me', encrypted_data: 'x', key_id: 'k1' })
    const preset = await a.presets.create({ name: 'yt', platform: 'youtube', credential_id: cred.id })
    const source = await a.sources.create({ name: 'zoom', platform: 'zoom', credential_id: cred.id })

    expect(await a.credentials.remove(cred.id, { force: true })).toBe(true)
    expect((await a.presets.get(preset.id))?.credential_id).toBeNull()
    expect((await a.sources.get(source.id))?.credential_id).toBeNull()
    expect(await a.credentials.get(cred.id)).toBeUndefined()
  })
})

describe('deleting a source or a preset', () => {
  it('keeps the recordings and metadata of a deleted source, detached from it', async () => {
    const source = await a.sources.create({ name: 'zoom', platform: 'zoom' })
    const { recording } = await a.recordings.upsertFromSource({
      input_source_id: source.id,
      source_key: 'uuid-1',
      display_name: 'R',
      start_time: start,
    })
    await a.sourceMetadata.set(recording.id, { input_source_id: source.id, metadata: {} })

    expect(await a.sources.remove(source.id)).toBe(true)
    expect((await a.recordings.get(recording.id))?.input_source_id).toBeNull()
    expect((await a.sourceMetadata.getByRecording(recording.id))?.input_source_id).toBeNull()
  })

  it('keeps the output targets of a deleted preset as history', async () => {
    const preset = await a.presets.create({ name: 'vk', platform: 'vk' })
    const rec = await a.recordings.create({ display_name: 'R', start_time: start })
    const { target } = await a.targets.ensure({ recording_id: rec.id, preset_id: preset.id, target_type: 'vk' })

    expect(await a.presets.remove(preset.id)).toBe(true)
    expect((await a.targets.get(target.id))?.preset_id).toBeNull()
  })
})

describe('deleting a user', () => {
  it('removes everything the user owns and nothing of anyone else', async () => {
    for (const scope of [a, b]) {
      const cred = await scope.credentials.create({ platform: 'zoom', account_name: 'x', encrypted_data: 'x', key_id: 'k' })
      const source = await scope.sources.create({ name: 's', platform: 'zoom', credential_id: cred.id })
      const template = await scope.templates.create({ name: 't', matching_rules: { source_ids: [source.id] } })
      const rec = await scope.recordings.create({ display_name: 'R', start_time: start, template_id: template.id })
      await scope.stages.ensure(rec.id, 'PROCESS')
      await scope.automationJobs.create({ name: 'j', schedule: { cron: '0 * * * *' }, source_ids: [source.id] })
      await scope.tasks.create({ type: 'sync' })
    }
    const before = await count('recordings')

    expect(await systemScope(t.database.db).users.remove(a.userId)).toBe(true)
    expect(await count('recordings')).toBe(before - 1)
    for (const table of ['user_credentials', 'input_sources', 'recording_templates', 'processing_stages', 'automation_jobs', 'tasks', 'user_configs', 'user_subscriptions']) {
      const rows = await t.database.db.selectFrom(table as 'tasks').select('user_id').execute()
      expect(rows.map((r) => r.user_id), table).toEqual([b.userId])
    }
  })
})
