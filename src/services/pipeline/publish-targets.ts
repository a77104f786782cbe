import fs from 'node:fs'
import type { OutputTarget, Preset } from '../../db/index.js'
import { isRecflowError, RecflowError } from '../../domain/errors.js'
import { renderPresetMetadata, renderTemplateString, type Platform } from '../../domain/metadata/index.js'
import { effectivePresetMetadata, validatePresetInput, type LocalMetadata } from '../../domain/resources/index.js'
import { ProviderError, type PublisherConfigs, type VideoPublisher } from '../../providers/types.js'
import { whileHandling } from '../best-effort.js'
import { publishPlatform } from './publish-platform.js'
import type { TargetOutcome, TargetSelection } from './target-outcome.js'
import { persistDerivedStatus } from './recording-status.js'
import { byteProgress } from './upload-progress.js'
import type { StageContext } from './stage-types.js'
import { buildPublishRequest } from '../publish/publish-request.js'
import { publishRenderContext, templateMetadataConfig } from '../publish/render-context.js'

export type { TargetOutcome, TargetSelection } from './target-outcome.js'

const selects = (sel: TargetSelection | undefined, preset: Preset) =>
  (sel?.presetIds === undefined || sel.presetIds.includes(preset.id)) &&
  (sel?.platforms === undefined || (sel.platforms as string[]).includes(preset.platform))

const causeCode = (e: unknown): string | undefined => ((e as { cause?: { code?: unknown } } | null)?.cause?.code as string | undefined) ?? undefined

/** What the user can do about a folder that could not be written. */
function publishHint(e: unknown, destination: string, presetId: number): string {
  if (causeCode(e) === 'ENOSPC') return `free some space on the disk holding ${destination}, then run \`recflow run\` again`
  return `check that ${destination} is a writable folder (or change it with \`recflow presets edit ${presetId} --destination DIR\`), then run \`recflow run\` again`
}

/**
 * A target that failed fails the task too (and so the run): the recording stays flagged as failed at UPLOAD and
 * the next `recflow run` publishes it again. Undefined when every target is uploaded or left out.
 */
export function targetsFailure(recordingId: number, outcomes: readonly TargetOutcome[]): RecflowError | undefined {
  const failed = outcomes.filter((o) => o.status === 'FAILED')
  if (failed.length === 0) return undefined
  const reasons = failed.map((o) => o.reason ?? 'failed').join('; ')
  return new RecflowError('internal', `recording ${recordingId} could not be published: ${reasons}`, {
    hint: failed.find((o) => o.hint !== undefined)?.hint,
    details: { targets: failed },
  })
}

/** The presets a recording publishes to: its template's output_config, else the config's upload.preset_ids. */
export async function presetIdsFor(ctx: Pick<StageContext, 'scope' | 'recording' | 'config'>): Promise<number[]> {
  const template = ctx.recording.template_id === null ? undefined : await ctx.scope.templates.get(ctx.recording.template_id)
  const fromTemplate = (template?.output_config as { preset_ids?: number[] } | null)?.preset_ids ?? []
  return [...new Set([...fromTemplate, ...ctx.config.upload.preset_ids])]
}

const uploadFailure = (presetId: number | null, reason: string, hint: string): TargetOutcome => ({
  presetId,
  platform: 'unknown',
  status: 'FAILED',
  reason,
  hint,
  unrecorded: true,
})

/**
 * The files published next to the video. Captions (subtitles and the chapters track) come from the stages that
 * completed for this recording, never from a file an earlier, since disabled stage left behind; a preset with
 * `captions: false` leaves them all out.
 */
function sidecars(ctx: StageContext, meta: LocalMetadata) {
  const out: Array<{ path: string; suffix: string }> = []
  const add = (p: unknown, suffix: string) => {
    if (typeof p === 'string' && fs.existsSync(p)) out.push({ path: p, suffix })
  }
  if (meta.captions) {
    const subtitles = ctx.previous.GENERATE_SUBTITLES?.files as { srt?: string; vtt?: string } | undefined
    add(subtitles?.srt, '.srt')
    add(subtitles?.vtt, '.vtt')
    if (ctx.previous.EXTRACT_TOPICS) add(ctx.files.chapters, '.chapters.vtt')
  }
  if (meta.copy_transcript) add(ctx.files.transcript, '.transcript.json')
  add(ctx.previous.PROCESS?.poster_file, '.jpg')
  return out
}

/** The composition root's publisher for a platform (its provider module is loaded on first use). */
async function publisherFor<P extends keyof PublisherConfigs>(ctx: StageContext, platform: P, config: PublisherConfigs[P]): Promise<VideoPublisher> {
  const factory = ctx.deps.publishers[platform] as ((config: PublisherConfigs[P]) => Promise<VideoPublisher>) | undefined
  if (!factory) throw new ProviderError(platform, 'permanent', `no publisher for ${platform} in this build`)
  return factory(config)
}

/** The file a target publishes: the processed one, else the downloaded or synced original. */
const mediaFileOf = (ctx: StageContext): string =>
  String(ctx.previous.PROCESS?.processed_file ?? ctx.previous.DOWNLOAD?.source_file ?? ctx.recording.original_file)

/** Publishes to one local preset's folder and returns the target's new state; never throws for the target's own failure. */
async function publishLocal(ctx: StageContext, preset: Preset, target: OutputTarget, force: boolean): Promise<TargetOutcome> {
  const base = { presetId: preset.id, platform: preset.platform }
  if (target.status === 'UPLOADED' && !force) {
    const location = (target.target_meta as { path?: string } | null)?.path
    ctx.emit({ type: 'stage-finished', recordingId: ctx.recording.id, stage: 'UPLOAD', outcome: 'completed', message: location, target: preset.name, earlier: true })
    return { ...base, status: 'UPLOADED', location: (target.target_meta as { path?: string } | null)?.path }
  }
  const targets = ctx.scope.targets
  const stored = validatePresetInput({ name: preset.name, platform: preset.platform, preset_metadata: preset.preset_metadata })
  const metadata = effectivePresetMetadata('local', stored.preset_metadata as LocalMetadata, await templateMetadataConfig(ctx.scope, ctx.recording))
  const renderCtx = await publishRenderContext(ctx)
  const rendered = renderPresetMetadata('local' as Platform, metadata, null, renderCtx)
  const baseName = renderTemplateString(metadata.name_template, renderCtx, { mode: 'line', field: 'name_template' })
  const mediaFile = mediaFileOf(ctx)
  // The path this target reserved (a retry, a forced republish); rows written before reservations existed
  // carry it in target_meta only, and the reservation then checks that no other target took it since.
  const earlier = target.target_meta as { path?: string; files?: unknown } | null
  const previous = {
    path: target.published_path ?? earlier?.path,
    files: Array.isArray(earlier?.files) ? earlier.files.filter((f): f is string => typeof f === 'string') : undefined,
  }

  await targets.update(target.id, { status: 'UPLOADING', failed_reason: null })
  await persistDerivedStatus(ctx.scope, ctx.recording)
  ctx.emit({ type: 'stage-started', recordingId: ctx.recording.id, stage: 'UPLOAD', target: preset.name })
  try {
    const publisher = await publisherFor(ctx, 'local', { destination: metadata.destination })
    const onBytes = byteProgress(ctx, preset.name)
    const result = await publisher.publish(
      {
        mediaFile,
        sidecars: sidecars(ctx, metadata),
        baseName,
        previous,
        metadata: { ...rendered, recording_id: ctx.recording.id, start_time: ctx.recording.start_time, preset: preset.name },
      },
      {
        signal: ctx.signal,
        onProgress: (p, bytes) =>
          bytes ? onBytes(bytes.sent, bytes.total) : ctx.emit({ type: 'progress', recordingId: ctx.recording.id, stage: 'UPLOAD', percent: p, target: preset.name }),
        reserve: (p) => targets.reservePath(target.id, p),
      },
    )
    await targets.update(target.id, { status: 'UPLOADED', target_meta: { path: result.id, files: result.files }, uploaded_at: new Date() })
    ctx.emit({ type: 'stage-finished', recordingId: ctx.recording.id, stage: 'UPLOAD', outcome: 'completed', message: result.id, target: preset.name })
    return { ...base, status: 'UPLOADED', location: result.id }
  } catch (e) {
    if (ctx.signal.aborted) {
      await whileHandling(ctx.deps.logger, e, 'mark the target not uploaded', () => targets.update(target.id, { status: 'NOT_UPLOADED' }))
      // A cancel that lands while publishing counts the recording as cancelled, like one that lands in a stage.
      ctx.emit({ type: 'stage-cancelled', recordingId: ctx.recording.id, stage: 'UPLOAD', target: preset.name })
      throw e
    }
    const reason = e instanceof ProviderError || isRecflowError(e) ? e.message : `unexpected: ${(e as Error).message}`
    const hint = publishHint(e, metadata.destination, preset.id)
    await whileHandling(ctx.deps.logger, e, `mark target ${target.id} failed`, () => targets.update(target.id, { status: 'FAILED', failed_reason: reason }))
    ctx.emit({ type: 'stage-failed', recordingId: ctx.recording.id, stage: 'UPLOAD', message: reason, hint, target: preset.name })
    return { ...base, status: 'FAILED', reason, hint }
  }
}

/**
 * One output target per preset: folder presets copy the files; YouTube and VK presets upload through their
 * platform's uploader (publish-platform.ts), resumably and at most once per target. A platform this build has no
 * uploader for is left out (with a warning), so it never holds a recording back from READY.
 */
export async function publishTargets(
  ctx: StageContext,
  opts: {
    force: boolean
    templateId: number | null
    select?: TargetSelection
    /** The recording came to this run FAILED at UPLOAD and without a template (one removed while it was processed). */
    failedUploadWithoutTemplate?: boolean
  },
): Promise<TargetOutcome[]> {
  if (!ctx.config.upload.auto_upload) {
    ctx.emit({ type: 'stage-finished', recordingId: ctx.recording.id, stage: 'UPLOAD', outcome: 'skipped', message: 'upload.auto_upload is off: nothing published' })
    return []
  }
  const failed = (presetId: number | null, reason: string, hint: string) => {
    ctx.emit({ type: 'stage-failed', recordingId: ctx.recording.id, stage: 'UPLOAD', message: reason, hint })
    return uploadFailure(presetId, reason, hint)
  }
  // A template is bound only to a recording that has not started the pipeline: this one needs to start over.
  const rebind =
    `\`recflow recordings reset ${ctx.recording.id}\`, then let a template take it (the API's POST /api/v1/templates/ID/rematch, ` +
    'or a new template with auto_rematch); the next `recflow run` processes and publishes it'
  // The template the run started with is gone: its presets are unknown, so publishing nothing is a failure.
  if (opts.templateId !== null && (await ctx.scope.templates.get(opts.templateId)) === undefined) {
    return [failed(null, `template ${opts.templateId} was removed while the recording was processed: nothing published`, rebind)]
  }
  const presetIds = await presetIdsFor(ctx)
  // Retried by `recflow run` after that failure, it has no template and so no presets: still nothing published, and
  // still a failure (READY would say it is done).
  if (opts.failedUploadWithoutTemplate && ctx.recording.template_id === null && presetIds.length === 0) {
    return [failed(null, `recording ${ctx.recording.id} has no template (nor upload.preset_ids): nothing published`, rebind)]
  }
  const outcomes: TargetOutcome[] = []
  for (const presetId of presetIds) {
    const preset = await ctx.scope.presets.get(presetId)
    if (!preset) {
      const from = ctx.recording.template_id === null ? 'upload.preset_ids' : `template ${ctx.recording.template_id}`
      const hint =
        ctx.recording.template_id === null
          ? `take it out of upload.preset_ids with \`recflow config set\``
          : `fix the template with \`recflow templates edit ${ctx.recording.template_id} --preset ID\``
      outcomes.push(failed(presetId, `preset ${presetId} named by ${from} no longer exists`, `${hint}, then run \`recflow run\` again`))
      continue
    }
    if (!preset.is_active) {
      ctx.emit({ type: 'log', level: 'warn', recordingId: ctx.recording.id, message: `preset ${presetId} is inactive: left out` })
      outcomes.push({ presetId, platform: preset.platform, status: 'LEFT_OUT', reason: 'inactive' })
      continue
    }
    if (!selects(opts.select, preset)) continue
    if (preset.platform !== 'local' && ctx.deps.publishers[preset.platform] === undefined) {
      const reason = `this build cannot publish to ${preset.platform}; preset "${preset.name}" left out`
      ctx.emit({ type: 'log', level: 'warn', recordingId: ctx.recording.id, message: reason })
      outcomes.push({ presetId, platform: preset.platform, status: 'LEFT_OUT', reason })
      continue
    }
    const { target } = await ctx.scope.targets.ensure({ recording_id: ctx.recording.id, preset_id: preset.id, target_type: preset.platform })
    if (opts.select?.failedOnly && target.status !== 'FAILED') continue
    outcomes.push(
      preset.platform === 'local'
        ? await publishLocal(ctx, preset, target, opts.force)
        : await publishPlatform(ctx, { preset, target, mediaFile: mediaFileOf(ctx), request: () => buildPublishRequest(ctx, preset, ctx.deps.clock.now()) }),
    )
  }
  // No target row was touched (no presets, or all left out): the view's planned upload is done, with nothing to do.
  if (outcomes.every((o) => o.status === 'LEFT_OUT')) {
    const message = outcomes.length === 0 ? 'no output presets: nothing published' : 'every preset left out: nothing published'
    ctx.emit({ type: 'stage-finished', recordingId: ctx.recording.id, stage: 'UPLOAD', outcome: 'skipped', message })
  }
  return outcomes
}
