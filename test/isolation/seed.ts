import type { Kysely } from 'kysely'
import type { DB, TableName } from '../../src/db/schema.js'
import { forUser, systemScope } from '../../src/db/scope.js'

/** One of everything a user can own, with the ids a test needs to aim at it. */
export interface Tenant {
  userId: number
  credential: number
  account: { platform: string; account_name: string }
  source: number
  sourceKey: string
  template: number
  preset: number
  recording: number
  sourceMetadata: number
  target: number
  stage: number
  topicSet: number
  job: number
  jobRun: number
  task: number
  taskDedupeKey: string
  taskEvent: number
  refreshToken: number
  tokenFamily: string
  quotaChange: number
  usagePeriod: string
}

export async function seedTenant(db: Kysely<DB>, email: string, n: number): Promise<Tenant> {
  const user = await systemScope(db).users.create({ email, plan: 'pro' })
  const s = forUser(db, user.id)
  const account = { platform: 'zoom', account_name: `${email}-zoom` }
  const credential = await s.credentials.create({ ...account, encrypted_data: `secret-${n}`, key_id: 'k1' })
  const source = await s.sources.create({ name: `source-${n}`, platform: 'zoom', credential_id: credential.id, config: { n } })
  const preset = await s.presets.create({ name: `preset-${n}`, platform: 'youtube', credential_id: credential.id })
  const template = await s.templates.create({
    name: `template-${n}`,
    matching_rules: { source_ids: [source.id], title: `Lecture ${n}` },
    output_config: { preset_ids: [preset.id] },
  })
  const sourceKey = `uuid-${n}`
  const { recording } = await s.recordings.upsertFromSource({
    input_source_id: source.id,
    source_key: sourceKey,
    display_name: `Lecture ${n}`,
    start_time: `2024-0${n}-01T10:00:00Z`,
    size_bytes: 6_000_000_000 + n,
    template_id: template.id,
    is_mapped: true,
  })
  const metadata = await s.sourceMetadata.set(recording.id, { input_source_id: source.id, metadata: { n } })
  const { target } = await s.targets.ensure({ recording_id: recording.id, preset_id: preset.id, target_type: 'youtube' })
  const stage = await s.stages.ensure(recording.id, 'DOWNLOAD')
  const topicSet = await s.topicSets.addActive({
    recording_id: recording.id,
    main_topic: `Topic ${n}`,
    summary: `Summary ${n}`,
    topics: [{ title: `Start ${n}`, start: 0 }],
    provider: 'deepseek',
    model: 'deepseek-v4-flash',
    granularity: 'long',
  })
  const job = await s.automationJobs.create({
    name: `job-${n}`,
    schedule: { cron: '0 * * * *' },
    source_ids: [source.id],
    template_ids: [template.id],
  })
  const jobRun = await s.jobRuns.create({ job_id: job.id, status: 'running' })
  const taskDedupeKey = `dedupe-${n}`
  const { task } = await s.tasks.create({
    type: 'pipeline',
    recording_id: recording.id,
    dedupe_key: taskDedupeKey,
    priority: n,
    payload: { n },
  })
  const event = await s.taskEvents.append(task.id, { kind: 'progress', progress: 5 })
  const tokenFamily = `family-${n}`
  const token = await s.refreshTokens.create({ token_hash: `hash-${n}`, family_id: tokenFamily, expires_at: '2099-01-01T00:00:00Z' })
  const quotaChange = await s.quota.recordChange({ change_type: 'plan', new_value: { plan: 'pro' } })
  const usagePeriod = `20240${n}`
  await s.quota.addUsage(usagePeriod, { recordings: 1, storage_bytes: 6_000_000_000 })
  await s.quota.markCounted(usagePeriod, recording.id, 50)
  await s.quota.setRecordingBytes(recording.id, 6_000_000_000)
  await s.configs.set({ n })

  return {
    userId: user.id,
    credential: credential.id,
    account,
    source: source.id,
    sourceKey,
    template: template.id,
    preset: preset.id,
    recording: recording.id,
    sourceMetadata: metadata.id,
    target: target.id,
    stage: stage.id,
    topicSet: topicSet.id,
    job: job.id,
    jobRun: jobRun.id,
    task: task.id,
    taskDedupeKey,
    taskEvent: event.id,
    refreshToken: token.id,
    tokenFamily,
    quotaChange: quotaChange.id,
    usagePeriod,
  }
}

export const OWNED_TABLES: readonly Exclude<TableName, 'users' | 'subscription_plans'>[] = [
  'refresh_tokens',
  'user_credentials',
  'user_configs',
  'user_subscriptions',
  'quota_usage',
  'quota_change_history',
  'quota_counted_recordings',
  'quota_recording_storage',
  'input_sources',
  'recordings',
  'source_metadata',
  'recording_templates',
  'output_presets',
  'output_targets',
  'processing_stages',
  'topic_sets',
  'automation_jobs',
  'automation_job_runs',
  'tasks',
  'task_events',
]

/** Every stored row of the user, serialized exactly as stored, table by table. */
export async function snapshot(db: Kysely<DB>, userId: number): Promise<Record<string, string>> {
  const out: Record<string, string> = {
    users: JSON.stringify(await db.selectFrom('users').selectAll().where('id', '=', userId).execute()),
  }
  for (const table of OWNED_TABLES) {
    const rows = await db.selectFrom(table).selectAll().where('user_id', '=', userId).orderBy('id').execute()
    out[table] = JSON.stringify(rows)
  }
  return out
}
