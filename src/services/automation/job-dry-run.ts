import path from 'node:path'
import type { AutomationJob, Source, Template, UserScope } from '../../db/index.js'
import { compileNamePattern, formatZodError, localSourceConfigSchema } from '../../domain/resources/index.js'
import type { RunControl } from '../../domain/events.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { listAll } from '../paging.js'
import { displayNameFromFileName, readNamePattern } from '../sync/file-naming.js'
import { loadMatcher } from '../sync/load-matcher.js'
import { listFolder } from '../sync/scan-folder.js'
import { jobOptions } from './job-input.js'
import { startSummary, type JobDryRun, type JobRunPlan, type PlannedRecording, type PlannedSource } from './job-summary.js'
import { belongsToJob, jobSourceIds } from './job-sources.js'
import { estimateCostUsd } from '../../domain/transcript/build-transcript.js'
import { youtubeUnits, type EstimateTarget } from './job-estimate.js'
import { transcriptionEstimator } from './job-transcription-estimate.js'

interface PlanContext {
  scope: UserScope
  job: AutomationJob
  user: UserRef
  templates: Map<number, Template>
  match: Awaited<ReturnType<typeof loadMatcher>>
  transcription: ReturnType<typeof transcriptionEstimator>
  targets: (template: Template) => Promise<Array<PlannedRecording['publishTo'][number] & EstimateTarget>>
  signal?: AbortSignal
}

/**
 * What a run of the job would do, read only: the job's sources are listed (never synced), each file not known
 * yet is named and matched as a sync would, and the ones its templates match are what would be processed and
 * published, with the transcription minutes and the YouTube quota units that costs. Writes nothing.
 */
export async function planJobRun(deps: ServiceDeps, user: UserRef, job: AutomationJob, control: RunControl & { scheduledFor: Date | null }): Promise<JobDryRun> {
  const scope = deps.scopes.forUser(user.id)
  const { upload } = jobOptions(job)
  const startedAt = deps.clock.now()
  const sourceIds = await jobSourceIds(scope, job)
  const sources = sourceIds.length > 0 ? await existing(scope, sourceIds) : await listAll((page) => scope.sources.list({ activeOnly: true }, page))
  const templates = new Map((await listAll((page) => scope.templates.list({ activeOnly: true }, page))).map((t) => [t.id, t]))
  const presets = new Map<number, Awaited<ReturnType<UserScope['presets']['get']>>>()
  const ctx: PlanContext = {
    scope,
    job,
    user,
    templates,
    match: await loadMatcher(scope),
    transcription: transcriptionEstimator(deps, scope),
    signal: control.signal,
    targets: async (template) => {
      if (!upload) return []
      const ids = ((template.output_config as { preset_ids?: number[] } | null)?.preset_ids ?? []) as number[]
      const out = []
      for (const id of ids) {
        if (!presets.has(id)) presets.set(id, await scope.presets.get(id))
        const preset = presets.get(id)
        if (preset) out.push({ presetId: id, name: preset.name, platform: preset.platform, metadata: (preset.preset_metadata ?? {}) as EstimateTarget['metadata'] })
      }
      return out
    },
  }
  const planned: PlannedSource[] = []
  const recordings: PlannedRecording[] = []
  let youtubeQuotaUnits = 0
  for (const source of sources) {
    const { summary, items } = await planSource(ctx, source)
    planned.push(summary)
    for (const item of items) {
      recordings.push(item.recording)
      if (item.recording.processed) youtubeQuotaUnits += youtubeUnits(item.targets, { transcribed: item.recording.transcribed })
    }
  }
  const processed = recordings.filter((r) => r.processed)
  const transcribed = processed.filter((r) => r.transcribed)
  const costs = transcribed.map((r) => r.transcriptionCostUsd).filter((c): c is number => c !== null)
  const seconds = transcribed.reduce((sum, r) => sum + (r.durationS ?? 0), 0)
  const plan: JobRunPlan = {
    sources: planned,
    recordings,
    estimate: {
      transcriptionMinutes: Math.round((seconds / 60) * 10) / 10,
      unknownDurations: transcribed.filter((r) => r.durationS === null).length,
      unpriced: transcribed.filter((r) => r.pricePerMinuteUsd === null).length,
      transcriptionCostUsd: transcribed.length === 0 ? 0 : costs.length === 0 ? null : Math.round(costs.reduce((a, b) => a + b, 0) * 1e6) / 1e6,
      youtubeQuotaUnits,
    },
  }
  return {
    ...startSummary(job, { runId: null, dryRun: true, scheduledFor: control.scheduledFor, startedAt, sourceIds }),
    finishedAt: deps.clock.now().toISOString(),
    synced: recordings.length,
    matched: processed.length,
    plan,
  }
}

async function existing(scope: UserScope, ids: number[]): Promise<Source[]> {
  const out: Source[] = []
  for (const id of ids) {
    const source = await scope.sources.get(id)
    if (source) out.push(source)
  }
  return out
}

async function planSource(
  ctx: PlanContext,
  source: Source,
): Promise<{ summary: PlannedSource; items: Array<{ recording: PlannedRecording; targets: EstimateTarget[] }> }> {
  const summary: PlannedSource = { sourceId: source.id, name: source.name, platform: source.platform, found: 0 }
  if (source.platform !== 'local') return { summary: { ...summary, note: 'a Zoom source is listed when the job runs (its listing needs the network)' }, items: [] }
  const config = localSourceConfigSchema.safeParse(source.config)
  if (!config.success) return { summary: { ...summary, note: `invalid config: ${formatZodError(config.error)}` }, items: [] }
  const { path: root, glob, recursive, name_pattern } = config.data
  let files
  try {
    files = await listFolder(root, { glob, recursive, signal: ctx.signal, onSkip: () => undefined })
  } catch (e) {
    return { summary: { ...summary, note: `cannot list ${root}: ${(e as Error).message}` }, items: [] }
  }
  const known = new Set((await ctx.scope.recordings.allFromSource(source.id)).map((r) => r.source_key))
  const namePattern = name_pattern === undefined ? undefined : compileNamePattern(name_pattern)
  const items = []
  for (const file of files) {
    if (known.has(file.relPath)) continue
    const fileName = path.basename(file.path)
    const title = namePattern ? readNamePattern(namePattern, fileName, ctx.user.timezone).title : undefined
    const displayName = title ?? displayNameFromFileName(fileName)
    const match = ctx.match({ display_name: displayName, input_source_id: source.id })
    const template = match ? ctx.templates.get(match.templateId) : undefined
    const processed = match !== null && belongsToJob(ctx.job, { is_mapped: true, template_id: match.templateId })
    const targets = template && processed ? await ctx.targets(template) : []
    const cost = template && processed ? await transcriptionCost(ctx, template, file.path) : NOT_TRANSCRIBED
    items.push({
      recording: {
        sourceId: source.id,
        file: file.relPath,
        sizeBytes: file.size,
        displayName,
        templateId: match?.templateId ?? null,
        templateName: template?.name ?? null,
        processed,
        publishTo: targets.map(({ presetId, name, platform }) => ({ presetId, name, platform })),
        ...cost,
      },
      targets,
    })
  }
  return { summary: { ...summary, found: files.length }, items }
}

const NOT_TRANSCRIBED = { durationS: null, transcribed: false, pricePerMinuteUsd: null, transcriptionCostUsd: null }

/** A file that would be processed: its length (ffprobe, read only) and what transcribing it would cost. */
async function transcriptionCost(ctx: PlanContext, template: Template, file: string) {
  const { transcribed, pricePerMinuteUsd } = await ctx.transcription.forTemplate(template)
  const durationS = await ctx.transcription.durationS(file, ctx.signal)
  if (!transcribed) return { durationS, transcribed, pricePerMinuteUsd, transcriptionCostUsd: 0 }
  const transcriptionCostUsd = durationS === null ? null : estimateCostUsd(durationS, pricePerMinuteUsd)
  return { durationS, transcribed, pricePerMinuteUsd, transcriptionCostUsd }
}
