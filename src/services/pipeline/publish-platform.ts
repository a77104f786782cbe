import type { OutputTarget, Preset } from '../../db/index.js'
import { isRecflowError } from '../../domain/errors.js'
import type { PlatformPublishRequest } from '../../domain/publish/requests.js'
import { ProviderError, type PlatformUploader, type UploadCheckpoint, type UploaderConfig } from '../../providers/types.js'
import { accessToken } from '../credentials/oauth-tokens.js'
import { whileHandling } from '../best-effort.js'
import { persistDerivedStatus } from './recording-status.js'
import type { StageContext } from './stage-types.js'
import { platformMeta, withCheckpoint, type PlatformTargetMeta } from './target-checkpoint.js'
import type { TargetOutcome } from './target-outcome.js'
import { byteProgress } from './upload-progress.js'

type PlatformName = PlatformPublishRequest['platform']

const PLATFORM_LABEL: Record<PlatformName, string> = { youtube: 'YouTube', vk: 'VK' }

/** What one target's upload needs, built by the caller (the request the preset renders for this recording). */
export interface PlatformJob {
  preset: Preset
  target: OutputTarget
  mediaFile: string
  /** Built lazily: a target already uploaded, or one whose credential is out of quota, renders nothing. */
  request: () => Promise<{ request: PlatformPublishRequest; warnings: string[] }>
}

const chunkBytesOf = (ctx: StageContext): number => Math.round(ctx.config.upload.youtube_chunk_mib * 1024 * 1024)

/** The composition root's uploader for a platform, with the preset's credential behind its token getter. */
async function uploaderFor(ctx: StageContext, platform: PlatformName, credentialId: number): Promise<PlatformUploader<PlatformPublishRequest>> {
  const factory = ctx.deps.publishers[platform] as ((c: UploaderConfig) => Promise<PlatformUploader<PlatformPublishRequest>>) | undefined
  if (!factory) throw new ProviderError(platform, 'permanent', `no ${PLATFORM_LABEL[platform]} uploader in this build`)
  return factory({
    credentialId,
    chunkBytes: platform === 'youtube' ? chunkBytesOf(ctx) : undefined,
    accessToken: ({ forceRefresh }) => accessToken(ctx.deps, ctx.user, credentialId, platform, { forceRefresh, signal: ctx.signal }),
  })
}

/** "until 2026-03-02 08:00 UTC": when a credential's quota comes back. */
const untilText = (at: Date) => `until ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`

/**
 * Publishes one YouTube or VK preset's target: NOT_UPLOADED|FAILED → UPLOADING → UPLOADED | FAILED. Every
 * checkpoint the uploader reports is in target_meta before its next request (the video id the moment the platform
 * returns it), and a retry hands it back, so a crash resumes from the committed byte and a known video is never
 * uploaded again. A target already UPLOADED is never sent again, forced or not. Never throws for the target's own
 * failure (a cancel does throw).
 */
export async function publishPlatform(ctx: StageContext, job: PlatformJob): Promise<TargetOutcome> {
  const { preset, target } = job
  const platform = preset.platform as PlatformName
  const base = { presetId: preset.id, platform }
  const targets = ctx.scope.targets
  let meta = platformMeta(target)
  if (target.status === 'UPLOADED') {
    ctx.emit({ type: 'stage-finished', recordingId: ctx.recording.id, stage: 'UPLOAD', outcome: 'completed', message: meta.url, target: preset.name, earlier: true })
    return { ...base, status: 'UPLOADED', location: meta.url, videoId: meta.video_id }
  }
  const fail = async (reason: string, hint: string | undefined, cause?: unknown): Promise<TargetOutcome> => {
    await whileHandling(ctx.deps.logger, cause ?? reason, `mark target ${target.id} failed`, () => targets.update(target.id, { status: 'FAILED', failed_reason: reason }))
    ctx.emit({ type: 'stage-failed', recordingId: ctx.recording.id, stage: 'UPLOAD', message: reason, hint, target: preset.name })
    return { ...base, status: 'FAILED', reason, hint }
  }
  const credentialId = preset.credential_id
  if (credentialId === null) {
    return fail(`preset "${preset.name}" has no ${PLATFORM_LABEL[platform]} sign-in`, `sign in with \`recflow auth ${platform}\`, then \`recflow presets edit ${preset.id} --credential ID\``)
  }
  const blocked = await quotaBlockedUntil(ctx, credentialId)
  if (blocked) {
    return fail(`${PLATFORM_LABEL[platform]} quota exhausted ${untilText(blocked)}`, `run \`recflow recordings retry-upload ${ctx.recording.id}\` after that time`)
  }

  await targets.update(target.id, { status: 'UPLOADING', failed_reason: null })
  await persistDerivedStatus(ctx.scope, ctx.recording)
  ctx.emit({ type: 'stage-started', recordingId: ctx.recording.id, stage: 'UPLOAD', target: preset.name })
  try {
    const { request, warnings: renderWarnings } = await job.request()
    const uploader = await uploaderFor(ctx, platform, credentialId)
    const onCheckpoint = async (checkpoint: UploadCheckpoint) => {
      meta = withCheckpoint(meta, checkpoint)
      await targets.update(target.id, { target_meta: meta })
    }
    const result = await uploader.upload(
      { mediaFile: job.mediaFile, request, checkpoint: meta.checkpoint },
      { signal: ctx.signal, onCheckpoint, onBytes: byteProgress(ctx, preset.name, meta.checkpoint.committedBytes ?? 0) },
    )
    const warnings = [...renderWarnings, ...result.warnings]
    const done: PlatformTargetMeta = { ...withCheckpoint(meta, result.checkpoint), video_id: result.videoId, url: result.url, warnings }
    await targets.update(target.id, { status: 'UPLOADED', target_meta: done, uploaded_at: ctx.deps.clock.now() })
    for (const w of warnings) ctx.emit({ type: 'log', level: 'warn', recordingId: ctx.recording.id, message: `${preset.name}: ${w}` })
    ctx.emit({ type: 'stage-finished', recordingId: ctx.recording.id, stage: 'UPLOAD', outcome: 'completed', message: result.url, target: preset.name })
    return { ...base, status: 'UPLOADED', location: result.url, videoId: result.videoId }
  } catch (e) {
    if (ctx.signal.aborted) {
      // The checkpoint stays: the next run resumes from the committed byte.
      await whileHandling(ctx.deps.logger, e, 'mark the target not uploaded', () => targets.update(target.id, { status: 'NOT_UPLOADED' }))
      ctx.emit({ type: 'stage-cancelled', recordingId: ctx.recording.id, stage: 'UPLOAD', target: preset.name })
      throw e
    }
    if (e instanceof ProviderError && e.kind === 'quota' && platform === 'youtube') {
      const until = new Date(ctx.deps.clock.now().getTime() + (e.retryAfterMs ?? 24 * 3600_000))
      await whileHandling(ctx.deps.logger, e, `record the quota stop of credential ${credentialId}`, () =>
        ctx.scope.credentials.update(credentialId, { quota_blocked_until: until }),
      )
      return fail(`YouTube quota exhausted ${untilText(until)}: ${e.message}`, `run \`recflow recordings retry-upload ${ctx.recording.id}\` after that time`, e)
    }
    const reason = e instanceof ProviderError || isRecflowError(e) ? e.message : `unexpected: ${(e as Error).message}`
    const hint = (e as { hint?: string }).hint ?? `run \`recflow recordings retry-upload ${ctx.recording.id} --platform ${platform}\``
    return fail(reason, hint, e)
  }
}

/** The time a credential's YouTube quota comes back, when that is still ahead. */
async function quotaBlockedUntil(ctx: StageContext, credentialId: number): Promise<Date | undefined> {
  const row = await ctx.scope.credentials.get(credentialId)
  const at = row?.quota_blocked_until ? new Date(row.quota_blocked_until) : undefined
  return at && at.getTime() > ctx.deps.clock.now().getTime() ? at : undefined
}
