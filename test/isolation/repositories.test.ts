import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { forUser, systemScope, type UserScope } from '../../src/db/scope.js'
import { tempDatabase, type TempDatabase } from '../integration/db/temp-db.js'
import { OWNED_TABLES, seedTenant, snapshot, type Tenant } from './seed.js'

/*
 * Tenant isolation: every method `forUser` exposes is called as user A with user B's ids. Nothing of B's may be
 * returned and B's stored rows must stay byte-for-byte the same. A repository method without a case here fails
 * the suite, so new methods cannot skip this check.
 */

interface Ctx {
  /** A's scope: the caller. */
  as: UserScope
  a: Tenant
  b: Tenant
}
type Case = (ctx: Ctx) => Promise<void>

const rejectsNotFound = (p: Promise<unknown>) => expect(p).rejects.toMatchObject({ code: 'not_found' })
const nothing = (value: unknown) => expect(value === undefined || value === false || value === 0).toBe(true)
const noItems = (page: { items: unknown[] }) => expect(page.items).toEqual([])
const mine = (ctx: Ctx, rows: Array<{ user_id: number }>) => {
  for (const row of rows) expect(row.user_id).toBe(ctx.a.userId)
}

const CASES: Record<string, Case> = {
  'profile.get': async ({ as, a }) => expect((await as.profile.get())?.id).toBe(a.userId),
  'profile.update': async ({ as, a }) => {
    const spoof = { full_name: 'A', id: 0, email: 'b@example.com' } as Parameters<UserScope['profile']['update']>[0]
    expect(await as.profile.update(spoof)).toMatchObject({ id: a.userId, email: 'a@example.com' })
  },

  'refreshTokens.get': async ({ as, b }) => nothing(await as.refreshTokens.get(b.refreshToken)),
  'refreshTokens.create': async (ctx) => mine(ctx, [await ctx.as.refreshTokens.create({ token_hash: 'a-new', family_id: ctx.b.tokenFamily, expires_at: '2099-01-01T00:00:00Z' })]),
  'refreshTokens.list': async (ctx) => {
    noItems(await ctx.as.refreshTokens.list({ family_id: ctx.b.tokenFamily }))
    mine(ctx, (await ctx.as.refreshTokens.list()).items)
  },
  'refreshTokens.revoke': async ({ as, a, b }) => {
    nothing(await as.refreshTokens.revoke(b.refreshToken))
    await rejectsNotFound(as.refreshTokens.revoke(a.refreshToken, b.refreshToken))
  },
  'refreshTokens.revokeFamily': async ({ as, b }) => expect(await as.refreshTokens.revokeFamily(b.tokenFamily)).toBeLessThanOrEqual(1),
  'refreshTokens.revokeAll': async ({ as }) => expect(typeof (await as.refreshTokens.revokeAll())).toBe('number'),
  'refreshTokens.remove': async ({ as, b }) => nothing(await as.refreshTokens.remove(b.refreshToken)),

  'credentials.get': async ({ as, b }) => nothing(await as.credentials.get(b.credential)),
  'credentials.list': async (ctx) => mine(ctx, (await ctx.as.credentials.list({ platform: ctx.b.account.platform })).items),
  'credentials.findByAccount': async ({ as, b }) => nothing(await as.credentials.findByAccount(b.account.platform, b.account.account_name)),
  'credentials.create': async (ctx) => mine(ctx, [await ctx.as.credentials.create({ ...ctx.b.account, encrypted_data: 'x', key_id: 'k' })]),
  'credentials.update': async ({ as, b }) => nothing(await as.credentials.update(b.credential, { status: 'revoked' })),
  'credentials.remove': async ({ as, b }) => nothing(await as.credentials.remove(b.credential, { force: true })),

  'configs.get': async ({ as }) => expect((await as.configs.get())?.config).toEqual({ n: 1 }),
  'configs.set': async (ctx) => mine(ctx, [await ctx.as.configs.set({ n: 1 })]),

  'subscription.get': async (ctx) => mine(ctx, [(await ctx.as.subscription.get())!]),
  'subscription.getWithPlan': async (ctx) => mine(ctx, [(await ctx.as.subscription.getWithPlan())!.subscription]),
  'subscription.update': async (ctx) => mine(ctx, [(await ctx.as.subscription.update({ custom_max_concurrent_tasks: null }))!]),

  'quota.getUsage': async ({ as, b }) => nothing(await as.quota.getUsage(b.usagePeriod)),
  'quota.listUsage': async (ctx) => mine(ctx, (await ctx.as.quota.listUsage()).items),
  'quota.addUsage': async (ctx) => mine(ctx, [await ctx.as.quota.addUsage(ctx.b.usagePeriod, { recordings: 0 })]),
  'quota.recordChange': async (ctx) => mine(ctx, [await ctx.as.quota.recordChange({ change_type: 'note', changed_by: ctx.b.userId })]),
  'quota.listChanges': async (ctx) => mine(ctx, (await ctx.as.quota.listChanges()).items),
  'quota.allUsage': async (ctx) => mine(ctx, await ctx.as.quota.allUsage()),
  'quota.storedBytes': async ({ as }) => expect(await as.quota.storedBytes()).toBe(6_000_000_000),
  'quota.isCounted': async ({ as, b }) => nothing(await as.quota.isCounted(b.usagePeriod, b.recording)),
  'quota.markCounted': async ({ as, b }) => rejectsNotFound(as.quota.markCounted(b.usagePeriod, b.recording)),
  'quota.unmarkCounted': async ({ as, b }) => nothing(await as.quota.unmarkCounted(b.usagePeriod, b.recording)),
  'quota.setRecordingBytes': async ({ as, b }) => {
    await rejectsNotFound(as.quota.setRecordingBytes(b.recording, 10))
    nothing(await as.quota.setRecordingBytes(b.recording, 0))
  },

  'sources.get': async ({ as, b }) => nothing(await as.sources.get(b.source)),
  'sources.list': async (ctx) => mine(ctx, (await ctx.as.sources.list({ platform: 'zoom' })).items),
  'sources.create': async ({ as, b }) => rejectsNotFound(as.sources.create({ name: 'x', platform: 'zoom', credential_id: b.credential })),
  'sources.update': async ({ as, a, b }) => {
    nothing(await as.sources.update(b.source, { name: 'stolen' }))
    await rejectsNotFound(as.sources.update(a.source, { credential_id: b.credential }))
  },
  'sources.markSynced': async ({ as, b }) => nothing(await as.sources.markSynced(b.source)),
  'sources.remove': async ({ as, b }) => nothing(await as.sources.remove(b.source)),

  'recordings.get': async ({ as, b }) => nothing(await as.recordings.get(b.recording)),
  'recordings.list': async (ctx) => {
    noItems(await ctx.as.recordings.list({ template_id: ctx.b.template }))
    noItems(await ctx.as.recordings.list({ source_id: ctx.b.source }))
    mine(ctx, (await ctx.as.recordings.list({ includeDeleted: true })).items)
  },
  'recordings.listJson': async (ctx) => {
    const ids = (json: { itemsJson: string }) => (JSON.parse(json.itemsJson) as Array<{ id: number }>).map((r) => r.id)
    expect(ids(await ctx.as.recordings.listJson({ template_id: ctx.b.template }))).toEqual([])
    expect(ids(await ctx.as.recordings.listJson({ source_id: ctx.b.source }))).toEqual([])
    expect(ids(await ctx.as.recordings.listJson({ includeDeleted: true }, { limit: 100 }))).toEqual((await ctx.as.recordings.list({ includeDeleted: true }, { limit: 100 })).items.map((r) => r.id))
  },
  'recordings.listVersion': async ({ as, a }) => {
    // A's own counter (its seeded recordings were written), whatever B has written.
    const own = await t.database.db.selectFrom('recording_list_versions').select('version').where('user_id', '=', a.userId).executeTakeFirstOrThrow()
    expect(await as.recordings.listVersion()).toBe(Number(own.version))
  },
  'recordings.create': async ({ as, b }) => {
    await rejectsNotFound(as.recordings.create({ display_name: 'x', start_time: '2024-01-01T00:00:00Z', template_id: b.template }))
    await rejectsNotFound(as.recordings.create({ display_name: 'x', start_time: '2024-01-01T00:00:00Z', input_source_id: b.source }))
  },
  'recordings.update': async ({ as, a, b }) => {
    nothing(await as.recordings.update(b.recording, { display_name: 'stolen' }))
    await rejectsNotFound(as.recordings.update(a.recording, { template_id: b.template }))
    const spoof = { user_id: b.userId } as Parameters<UserScope['recordings']['update']>[1]
    expect((await as.recordings.update(a.recording, spoof))?.user_id).toBe(a.userId)
  },
  'recordings.remove': async ({ as, b }) => nothing(await as.recordings.remove(b.recording)),
  'recordings.allFromSource': async ({ as, b }) => expect(await as.recordings.allFromSource(b.source)).toEqual([]),
  'recordings.upsertFromSource': async ({ as, b }) =>
    rejectsNotFound(
      as.recordings.upsertFromSource({ input_source_id: b.source, source_key: b.sourceKey, display_name: 'x', start_time: '2024-01-01T00:00:00Z' }),
    ),
  'recordings.setStatus': async ({ as, b }) => nothing(await as.recordings.setStatus(b.recording, 'EXPIRED')),
  'recordings.markFailed': async ({ as, b }) => nothing(await as.recordings.markFailed(b.recording, { stage: 'PROCESS', reason: 'x' })),
  'recordings.clearFailure': async ({ as, b }) => nothing(await as.recordings.clearFailure(b.recording)),
  'recordings.setMapping': async ({ as, a, b }) => {
    nothing(await as.recordings.setMapping(b.recording, null))
    await rejectsNotFound(as.recordings.setMapping(a.recording, b.template))
  },
  'recordings.markDeleted': async ({ as, b }) => nothing(await as.recordings.markDeleted(b.recording)),
  'recordings.restore': async ({ as, b }) => nothing(await as.recordings.restore(b.recording)),

  'sourceMetadata.get': async ({ as, b }) => nothing(await as.sourceMetadata.get(b.sourceMetadata)),
  'sourceMetadata.getByRecording': async ({ as, b }) => nothing(await as.sourceMetadata.getByRecording(b.recording)),
  'sourceMetadata.list': async ({ as, b }) => {
    noItems(await as.sourceMetadata.list({ recording_id: b.recording }))
    noItems(await as.sourceMetadata.list({ input_source_id: b.source }))
  },
  'sourceMetadata.allForSource': async ({ as, b }) => expect(await as.sourceMetadata.allForSource(b.source)).toEqual([]),
  'sourceMetadata.set': async ({ as, a, b }) => {
    await rejectsNotFound(as.sourceMetadata.set(b.recording, { metadata: {} }))
    await rejectsNotFound(as.sourceMetadata.set(a.recording, { input_source_id: b.source, metadata: {} }))
  },
  'sourceMetadata.remove': async ({ as, b }) => nothing(await as.sourceMetadata.remove(b.sourceMetadata)),

  'templates.get': async ({ as, b }) => nothing(await as.templates.get(b.template)),
  'templates.list': async (ctx) => mine(ctx, (await ctx.as.templates.list({ includeDrafts: true })).items),
  'templates.create': async ({ as, b }) => {
    await rejectsNotFound(as.templates.create({ name: 'x', output_config: { preset_ids: [b.preset] } }))
    await rejectsNotFound(as.templates.create({ name: 'x', matching_rules: { source_ids: [b.source] } }))
  },
  'templates.update': async ({ as, a, b }) => {
    nothing(await as.templates.update(b.template, { name: 'stolen' }))
    await rejectsNotFound(as.templates.update(a.template, { output_config: { preset_ids: [b.preset] } }))
  },
  'templates.markUsed': async ({ as, b }) => nothing(await as.templates.markUsed(b.template)),
  'templates.recordingStats': async ({ as, b }) => expect(await as.templates.recordingStats(b.template)).toEqual([]),
  'templates.remove': async ({ as, b }) => nothing(await as.templates.remove(b.template)),

  'presets.get': async ({ as, b }) => nothing(await as.presets.get(b.preset)),
  'presets.list': async (ctx) => mine(ctx, (await ctx.as.presets.list()).items),
  'presets.create': async ({ as, b }) => rejectsNotFound(as.presets.create({ name: 'x', platform: 'vk', credential_id: b.credential })),
  'presets.update': async ({ as, a, b }) => {
    nothing(await as.presets.update(b.preset, { name: 'stolen' }))
    await rejectsNotFound(as.presets.update(a.preset, { credential_id: b.credential }))
  },
  'presets.remove': async ({ as, b }) => nothing(await as.presets.remove(b.preset)),

  'targets.get': async ({ as, b }) => nothing(await as.targets.get(b.target)),
  'targets.list': async ({ as, b }) => {
    noItems(await as.targets.list({ recording_id: b.recording }))
    noItems(await as.targets.list({ preset_id: b.preset }))
  },
  'targets.create': async ({ as, a, b }) => {
    await rejectsNotFound(as.targets.create({ recording_id: b.recording, target_type: 'youtube' }))
    await rejectsNotFound(as.targets.create({ recording_id: a.recording, preset_id: b.preset, target_type: 'youtube' }))
  },
  'targets.ensure': async ({ as, a, b }) => {
    await rejectsNotFound(as.targets.ensure({ recording_id: b.recording, preset_id: b.preset, target_type: 'youtube' }))
    await rejectsNotFound(as.targets.ensure({ recording_id: a.recording, preset_id: b.preset, target_type: 'youtube' }))
  },
  'targets.update': async ({ as, b }) => nothing(await as.targets.update(b.target, { status: 'FAILED' })),
  'targets.remove': async ({ as, b }) => nothing(await as.targets.remove(b.target)),
  'targets.reservePath': async ({ as, b }) => nothing(await as.targets.reservePath(b.target, '/tmp/taken-by-a.mp4')),

  'stages.get': async ({ as, b }) => nothing(await as.stages.get(b.stage)),
  'stages.list': async ({ as, b }) => noItems(await as.stages.list({ recording_id: b.recording })),
  'stages.create': async ({ as, b }) => rejectsNotFound(as.stages.create({ recording_id: b.recording, stage_type: 'PROCESS' })),
  'stages.ensure': async ({ as, b }) => rejectsNotFound(as.stages.ensure(b.recording, 'DOWNLOAD')),
  'stages.update': async ({ as, b }) => nothing(await as.stages.update(b.stage, { status: 'FAILED' })),
  'stages.remove': async ({ as, b }) => nothing(await as.stages.remove(b.stage)),

  'topicSets.get': async ({ as, b }) => nothing(await as.topicSets.get(b.topicSet)),
  'topicSets.listForRecording': async ({ as, b }) => expect(await as.topicSets.listForRecording(b.recording)).toEqual([]),
  'topicSets.active': async ({ as, b }) => nothing(await as.topicSets.active(b.recording)),
  'topicSets.addActive': async ({ as, b }) =>
    rejectsNotFound(as.topicSets.addActive({ recording_id: b.recording, main_topic: 'x', summary: 'y', topics: [], provider: 'p', model: 'm', granularity: 'long' })),
  'topicSets.activate': async ({ as, b }) => nothing(await as.topicSets.activate(b.recording, 1)),
  'topicSets.remove': async ({ as, b }) => nothing(await as.topicSets.remove(b.topicSet)),

  'automationJobs.get': async ({ as, b }) => nothing(await as.automationJobs.get(b.job)),
  'automationJobs.list': async (ctx) => mine(ctx, (await ctx.as.automationJobs.list()).items),
  'automationJobs.create': async ({ as, b }) => {
    await rejectsNotFound(as.automationJobs.create({ name: 'x', schedule: {}, source_ids: [b.source] }))
    await rejectsNotFound(as.automationJobs.create({ name: 'x', schedule: {}, template_ids: [b.template] }))
  },
  'automationJobs.update': async ({ as, a, b }) => {
    nothing(await as.automationJobs.update(b.job, { is_active: false }))
    await rejectsNotFound(as.automationJobs.update(a.job, { template_ids: [b.template] }))
  },
  'automationJobs.advanceNextRun': async ({ as, b }) => {
    // B's own next run time: only the owner check can stop the compare-and-set.
    const theirs = await scopeOf(b).automationJobs.get(b.job)
    expect(await as.automationJobs.advanceNextRun(b.job, theirs?.next_run_at ?? '2026-01-01T00:00:00.000Z', null)).toBe(false)
  },
  'automationJobs.countActive': async ({ as }) => expect(await as.automationJobs.countActive()).toBe(1),
  'automationJobs.remove': async ({ as, b }) => nothing(await as.automationJobs.remove(b.job)),

  'jobRuns.get': async ({ as, b }) => nothing(await as.jobRuns.get(b.jobRun)),
  'jobRuns.list': async ({ as, b }) => noItems(await as.jobRuns.list({ job_id: b.job })),
  'jobRuns.create': async ({ as, b }) => rejectsNotFound(as.jobRuns.create({ job_id: b.job, status: 'running' })),
  'jobRuns.update': async ({ as, b }) => nothing(await as.jobRuns.update(b.jobRun, { status: 'failed' })),
  'jobRuns.remove': async ({ as, b }) => nothing(await as.jobRuns.remove(b.jobRun)),

  'tasks.get': async ({ as, b }) => nothing(await as.tasks.get(b.task)),
  'tasks.list': async ({ as, b }) => noItems(await as.tasks.list({ recording_id: b.recording })),
  'tasks.create': async (ctx) => {
    await rejectsNotFound(ctx.as.tasks.create({ type: 'pipeline', recording_id: ctx.b.recording }))
    const same = await ctx.as.tasks.create({ type: 'pipeline', dedupe_key: ctx.b.taskDedupeKey })
    expect(same.created).toBe(true)
    mine(ctx, [same.task])
  },
  'tasks.reportProgress': async ({ as, b }) => nothing(await as.tasks.reportProgress(b.task, { progress: 99 })),
  'tasks.requestCancel': async ({ as, b }) => nothing(await as.tasks.requestCancel(b.task)),
  'tasks.countRunning': async ({ as }) => expect(await as.tasks.countRunning()).toBe(0),
  'tasks.remove': async ({ as, b }) => nothing(await as.tasks.remove(b.task)),

  'taskEvents.append': async ({ as, b }) => rejectsNotFound(as.taskEvents.append(b.task, { kind: 'progress' })),
  'taskEvents.list': async ({ as, b }) => expect(await as.taskEvents.list(b.task)).toEqual([]),
  'taskEvents.latest': async ({ as, b }) => expect(await as.taskEvents.latest(b.task, 50)).toEqual([]),

  transaction: async ({ as, b }) => {
    const seen = await as.transaction(async (tx) => [await tx.recordings.get(b.recording), await tx.tasks.get(b.task)])
    expect(seen).toEqual([undefined, undefined])
  },
}

/** `repo.method` for every repository method of a scope, plus its own methods (transaction). */
function methodsOf(scope: UserScope): string[] {
  const names: string[] = []
  for (const [key, value] of Object.entries(scope)) {
    if (typeof value === 'function') names.push(key)
    else if (typeof value === 'object' && value !== null) {
      for (const [method, fn] of Object.entries(value)) if (typeof fn === 'function') names.push(`${key}.${method}`)
    }
  }
  return names.sort()
}

let seeded: TempDatabase
let t: TempDatabase
let a: Tenant
let b: Tenant

// Seeded once, then copied for every case, so no case sees what another case created.
beforeAll(async () => {
  seeded = await tempDatabase()
  a = await seedTenant(seeded.database.db, 'a@example.com', 1)
  b = await seedTenant(seeded.database.db, 'b@example.com', 2)
  // B's task is running (claimed first by priority), A's stays pending.
  const claimed = await systemScope(seeded.database.db).tasks.claimNext({ owner: 'worker', leaseMs: 60_000 })
  expect(claimed?.id).toBe(b.task)
  await seeded.database.close() // checkpoints the WAL into the main file
})
afterAll(() => seeded.cleanup())
beforeEach(async () => {
  t = await tempDatabase({ copyOf: seeded.file })
})
afterEach(() => t.cleanup())

const scopeOf = (tenant: Tenant) => forUser(t.database.db, tenant.userId)

describe('tenant isolation of forUser repositories', () => {
  it('has an isolation case for every repository method the scope exposes', () => {
    expect(Object.keys(CASES).sort()).toEqual(methodsOf(scopeOf(a)))
  })

  it('seeds user B with a row in every owned table, so a leak would show', async () => {
    const rows = await snapshot(t.database.db, b.userId)
    for (const table of ['users', ...OWNED_TABLES]) expect(JSON.parse(rows[table]!), table).not.toHaveLength(0)
  })

  it.each(Object.keys(CASES).sort())('%s as user A with user B\'s ids returns nothing and changes nothing of B', async (name) => {
    const before = await snapshot(t.database.db, b.userId)
    await CASES[name]!({ as: scopeOf(a), a, b })
    expect(await snapshot(t.database.db, b.userId)).toEqual(before)
  })
})
