import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { RecflowError } from '../../domain/errors.js'
import { withFileLock } from '../../platform/file-lock.js'
import { downloadResumable } from '../../platform/resumable-download.js'
import { accessToken } from '../credentials/oauth-tokens.js'
import { probeRecordingFile } from '../sync/inspect-file.js'
import { forgetDownloadToken, webhookDownloadToken } from '../zoom-webhooks/download-token.js'
import type { StageContext, StageOutcome } from './stage-types.js'

/*
 * The DOWNLOAD stage for a Zoom recording: the media file sync chose (source_metadata `media_file`, see
 * sync-zoom-source.ts) into the recording's folder as `source.<ext>`.
 *
 * The bytes go to `source.<ext>.<file key>.download` first (the key names Zoom's file id and size, so a partial
 * file is only ever resumed with the bytes of the same file), resumed with Range by the next attempt after a
 * cut, a cancel, a crash or a SIGKILL. It is deliberately not a `*.part`: the runner deletes those at the start of a run (an
 * orphaned ffmpeg of a killed run may still be writing one), while this file is written only by the recflow
 * process itself, in order, so after a kill it holds exactly the bytes received and the next run goes on from
 * there. A lock file beside it keeps two processes from appending at once. Once its size is Zoom's `file_size`
 * and ffprobe reads it as a recording with sound, it is renamed to `source.<ext>`, which becomes the recording's
 * original_file.
 */

const mediaFileSchema = z
  .object({
    id: z.string().min(1),
    fileType: z.string(),
    fileExtension: z.string(),
    sizeBytes: z.number().int().nonnegative().nullable(),
    downloadUrl: z.string().nullable(),
  })
  .passthrough()

const zoomMetadataSchema = z
  .object({
    kind: z.literal('zoom_meeting'),
    meeting_uuid: z.string(),
    media_file: mediaFileSchema.nullable(),
  })
  .passthrough()

export type ZoomMediaFile = z.infer<typeof mediaFileSchema>

/** The Zoom part of a recording's source metadata; undefined for a recording that does not come from Zoom. */
export function zoomMetadataOf(metadata: unknown): z.infer<typeof zoomMetadataSchema> | undefined {
  const parsed = zoomMetadataSchema.safeParse(metadata)
  return parsed.success ? parsed.data : undefined
}

/** `source.mp4` / `source.m4a` from Zoom's file_extension (or file_type when the extension is missing). */
export function zoomSourceName(file: Pick<ZoomMediaFile, 'fileExtension' | 'fileType'>): string {
  const ext = (/^[a-z0-9]{1,8}$/i.test(file.fileExtension) ? file.fileExtension : file.fileType === 'M4A' ? 'm4a' : 'mp4').toLowerCase()
  return `source.${ext}`
}

const megabytes = (bytes: number) => (bytes / 1_000_000).toFixed(1)

/** "12.3 of 98.7 MB" (and where a resumed download took up). */
export function downloadProgressMessage(bytes: number, total: number, resumedFrom: number): string {
  const resumed = resumedFrom > 0 ? `, resumed at ${megabytes(resumedFrom)} MB` : ''
  return `${megabytes(bytes)} of ${megabytes(total)} MB from Zoom${resumed}`
}

/** Runs the stage for a recording with Zoom source metadata; undefined for any other recording. */
export async function downloadFromZoom(ctx: StageContext): Promise<StageOutcome | undefined> {
  const rec = ctx.recording
  const meta = zoomMetadataOf((await ctx.scope.sourceMetadata.getByRecording(rec.id))?.metadata)
  if (meta === undefined) return undefined
  const file = meta.media_file
  if (file === null) {
    throw new RecflowError('validation', `Zoom lists no video or audio file for recording ${rec.id}`, {
      hint: 'run `recflow sync` to look at the meeting again',
    })
  }
  if (file.downloadUrl === null || file.sizeBytes === null || file.sizeBytes === 0) {
    throw new RecflowError('validation', `Zoom gave no download URL or size for the file of recording ${rec.id}`, {
      hint: 'Zoom may still be processing it: run `recflow sync` later, then run the recording again',
    })
  }
  const size = file.sizeBytes
  const target = path.join(ctx.files.dir, zoomSourceName(file))
  const done = await fs.stat(target).catch(() => undefined)
  if (ctx.dryRun) {
    // A plan needs the media; a dry run downloads nothing.
    if (done?.isFile() && done.size === size) return { status: 'COMPLETED', meta: { source_file: target, size_bytes: size }, message: 'downloaded in an earlier run' }
    throw new RecflowError('validation', `recording ${rec.id} is not downloaded from Zoom yet (${megabytes(size)} MB): a dry run downloads nothing`, {
      hint: `run \`recflow recordings run ${rec.id}\` to download and process it`,
    })
  }

  await fs.mkdir(ctx.files.dir, { recursive: true })
  let resumedFrom = 0
  const fetched = !(done?.isFile() && done.size === size)
  let info: { durationS: number }
  if (fetched) {
    const partial = `${target}.${crypto.createHash('sha256').update(`${file.id}:${size}`).digest('hex').slice(0, 12)}.download`
    await removeOtherPartials(ctx.files.dir, partial)
    // A holder that died (SIGKILL) is seen by its pid; a live one is never taken over, however long it downloads.
    info = await withFileLock(`${partial}.lock`, async () => {
      const result = await downloadResumable({
        url: file.downloadUrl!,
        expectedSize: size,
        partPath: partial,
        token: await zoomTokenGetter(ctx, meta.meeting_uuid),
        signal: ctx.signal,
        onProgress: throttledProgress(ctx),
        authHint: 'run `recflow auth zoom` (or `recflow credentials add zoom` for a Server-to-Server app), then run the recording again',
      }).catch((e: unknown) => {
        throw e instanceof RecflowError && e.code === 'not_found'
          ? new RecflowError('not_found', `Zoom no longer has the file of recording ${rec.id} (it may have been deleted or trashed)`, {
              hint: 'run `recflow sync` to see what Zoom still has',
              cause: e,
            })
          : e
      })
      resumedFrom = result.resumedFrom
      const probed = await assertPlayable(ctx, partial, true)
      await fs.rename(partial, target)
      // The meeting's webhook token has served its purpose (transcript and chat files are not downloaded).
      await forgetDownloadToken(ctx.deps, ctx.user, meta.meeting_uuid)
      return probed
    }, { timeoutMs: 2_000, staleMs: Number.POSITIVE_INFINITY })
  } else {
    info = await assertPlayable(ctx, target, false)
  }
  ctx.progress(100, { message: `${megabytes(size)} MB from Zoom` })
  return {
    status: 'COMPLETED',
    meta: {
      source_file: target,
      size_bytes: size,
      downloaded: true,
      zoom_file_id: file.id,
      ...(resumedFrom > 0 ? { resumed_from: resumedFrom } : {}),
      duration_s: info.durationS,
    },
    message: fetched ? `${megabytes(size)} MB from Zoom${resumedFrom > 0 ? ` (resumed at ${megabytes(resumedFrom)} MB)` : ''}` : 'downloaded in an earlier run',
  }
}

/** ffprobe: a file that is not a recording with sound is removed (else the next run would trust it) and fails the stage. */
async function assertPlayable(ctx: StageContext, file: string, removeIfBad: boolean): Promise<{ durationS: number }> {
  const verdict = await probeRecordingFile(file, () => ctx.deps.media.tools(), ctx.signal, { checkTruncation: false })
  if (verdict.kind === 'media') return verdict.info
  if (removeIfBad) await fs.rm(file, { force: true })
  const why = verdict.kind === 'gone' ? `${path.basename(file)} vanished` : verdict.reason
  throw new RecflowError('validation', `the file Zoom sent for recording ${ctx.recording.id} is not a playable recording: ${why}`, {
    hint: `check the meeting's recording in Zoom; \`recflow recordings run ${ctx.recording.id}\` downloads it again`,
  })
}

/**
 * The token for the download: the meeting's webhook download_token while one is kept (§A.6: it works as a Bearer
 * token for that meeting's files), else, and once the download host refused it, the source credential's OAuth
 * token (refreshed when the host refused a stored one; a webhook token's refusal costs that refresh).
 */
async function zoomTokenGetter(ctx: StageContext, meetingUuid: string): Promise<(o: { forceRefresh?: boolean }) => Promise<string>> {
  const source = ctx.recording.input_source_id === null ? undefined : await ctx.scope.sources.get(ctx.recording.input_source_id)
  const credentialId = source?.credential_id ?? null
  let webhookToken = await webhookDownloadToken(ctx.deps, ctx.user, meetingUuid)
  let usedWebhookToken = false
  return async ({ forceRefresh }) => {
    if (forceRefresh && usedWebhookToken) {
      // Refused: the credential's own token, as stored (it was not the one refused).
      webhookToken = undefined
      forceRefresh = false
    }
    if (webhookToken !== undefined) {
      usedWebhookToken = true
      return webhookToken
    }
    if (credentialId === null) {
      throw new RecflowError('auth', `the Zoom source of recording ${ctx.recording.id} has no credential to download with`, {
        hint: 'sign in with `recflow auth zoom`, then give the source the credential with `recflow sources edit`',
      })
    }
    return accessToken(ctx.deps, ctx.user, credentialId, 'zoom', { forceRefresh: forceRefresh === true, signal: ctx.signal })
  }
}

/** Partial downloads of a file Zoom no longer lists for the recording (a re-sync chose another one). */
async function removeOtherPartials(dir: string, keep: string): Promise<void> {
  const names = await fs.readdir(dir).catch(() => [] as string[])
  const stale = names.filter((n) => n.startsWith('source.') && n.endsWith('.download') && n !== path.basename(keep))
  await Promise.all(stale.map((n) => fs.rm(path.join(dir, n), { force: true })))
}

/** Progress events at most once per whole percent (a chunk arrives every few KB). */
function throttledProgress(ctx: StageContext) {
  let shown = -1
  let first: number | undefined
  return ({ bytes, total }: { bytes: number; total: number }) => {
    // The first report is the partial file's size before anything is received: where a resumed download took up.
    first ??= bytes
    const percent = Math.floor((bytes / total) * 100)
    if (percent === shown) return
    shown = percent
    ctx.progress(Math.min(99, percent), { message: downloadProgressMessage(bytes, total, first) })
  }
}
