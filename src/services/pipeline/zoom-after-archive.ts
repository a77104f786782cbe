import fs from 'node:fs/promises'
import { isRecflowError } from '../../domain/errors.js'
import { decideZoomTrash, zoomAfterArchiveSchema, type TrashDecision } from '../../domain/zoom/after-archive.js'
import { zoomMeetingUuidOf, zoomTrashRecordOf, ZOOM_TRASH_KEY, type ZoomTrashRecord } from '../../domain/zoom/trash-record.js'
import { ProviderError } from '../../providers/types.js'
import { listAll } from '../paging.js'
import { presetIdsFor } from './publish-targets.js'
import type { StageContext } from './stage-types.js'

/** What a run did about the Zoom cloud copy (in the run's result): trashed, waiting (why), failed (why). */
export type ZoomTrashOutcome =
  | { action: 'trashed' | 'gone'; meetingUuid: string; at: string }
  | { action: 'wait'; reason: string }
  | { action: 'failed'; reason: string; hint?: string }

type Metadata = Record<string, unknown>

const NOTHING = {
  sourcePlatform: null,
  meetingUuid: null,
  trashedAt: null,
  downloadStatus: null,
  localSizeBytes: null,
  expectedSizeBytes: null,
  presetIds: [],
  targets: [],
} as const

async function sizeOf(file: unknown): Promise<number | null> {
  if (typeof file !== 'string' || file === '') return null
  const stat = await fs.stat(file).catch(() => undefined)
  return stat?.isFile() ? stat.size : null
}

/** The facts the decision needs, read fresh (targets and stages as the run left them, the file as it is now). */
async function decide(ctx: StageContext): Promise<{ decision: TrashDecision; metadata: Metadata | null }> {
  const { scope, recording: rec } = ctx
  const template = rec.template_id === null ? undefined : await scope.templates.get(rec.template_id)
  const policy = zoomAfterArchiveSchema.safeParse((template?.output_config as Metadata | null)?.zoom_after_archive)
  // The common case (keep) costs one read.
  if (!policy.success || policy.data === 'keep') return { decision: decideZoomTrash({ ...NOTHING, policy: 'keep' }), metadata: null }
  const source = rec.input_source_id === null ? undefined : await scope.sources.get(rec.input_source_id)
  const row = await scope.sourceMetadata.getByRecording(rec.id)
  const metadata = (row?.metadata ?? null) as Metadata | null
  const stages = await listAll((page) => scope.stages.list({ recording_id: rec.id }, page))
  const download = stages.find((s) => s.stage_type === 'DOWNLOAD')
  const downloadMeta = (download?.stage_meta ?? {}) as Metadata
  const targets = await listAll((page) => scope.targets.list({ recording_id: rec.id }, page))
  const expected = typeof downloadMeta.size_bytes === 'number' ? downloadMeta.size_bytes : rec.size_bytes
  const decision = decideZoomTrash({
    policy: policy.data,
    sourcePlatform: source?.platform ?? null,
    meetingUuid: zoomMeetingUuidOf(metadata),
    trashedAt: zoomTrashRecordOf(metadata)?.at ?? null,
    downloadStatus: download?.status ?? null,
    localSizeBytes: await sizeOf(downloadMeta.source_file ?? rec.original_file),
    expectedSizeBytes: expected ?? null,
    presetIds: await presetIdsFor(ctx),
    targets: targets.map((t) => ({ presetId: t.preset_id, status: t.status })),
  })
  return { decision, metadata }
}

/**
 * After a run: a Zoom recording whose template says `zoom_after_archive: trash` goes to Zoom's trash once its
 * local copy is verified and every preset published (decideZoomTrash). Never a permanent delete. The move is
 * recorded in source_metadata (ZOOM_TRASH_KEY) and shown by `recordings show`; a recording already moved is not
 * asked about again. A failure (token, network) does not fail the run, whose work is done: it is reported and the
 * next run of the recording tries again. Undefined when there is nothing to do (the policy is keep).
 */
export async function zoomAfterArchive(ctx: StageContext): Promise<ZoomTrashOutcome | undefined> {
  const { decision, metadata } = await decide(ctx)
  const rec = ctx.recording
  if (decision.action === 'none') return undefined
  if (decision.action === 'wait') {
    ctx.emit({ type: 'log', level: 'info', recordingId: rec.id, message: `Zoom cloud recording kept for now: ${decision.reason}` })
    return { action: 'wait', reason: decision.reason }
  }
  const source = (await ctx.scope.sources.get(rec.input_source_id!))!
  try {
    if (source.credential_id === null) {
      throw new ProviderError('zoom', 'auth', `source "${source.name}" has no Zoom credential`, {
        hint: `give it one: \`recflow sources edit ${source.id} --credential ID\``,
      })
    }
    const credentialId = source.credential_id
    const { accessToken } = await import('../credentials/oauth-tokens.js')
    const client = await ctx.deps.sources.zoom({
      credentialId,
      accessToken: ({ forceRefresh }) => accessToken(ctx.deps, ctx.user, credentialId, 'zoom', { forceRefresh, signal: ctx.signal }),
    })
    const result = await client.trashMeeting(decision.meetingUuid, { signal: ctx.signal })
    const record: ZoomTrashRecord = { result, action: 'trash', meeting_uuid: decision.meetingUuid, at: ctx.deps.clock.now().toISOString() }
    await ctx.scope.sourceMetadata.set(rec.id, { input_source_id: rec.input_source_id, metadata: { ...(metadata ?? {}), [ZOOM_TRASH_KEY]: record } })
    ctx.deps.logger.info('moved a Zoom cloud recording to the trash', { recording_id: rec.id, result })
    ctx.emit({
      type: 'log',
      level: 'info',
      recordingId: rec.id,
      message: result === 'trashed' ? "Zoom cloud recording moved to Zoom's trash (recoverable there for 30 days)" : 'Zoom cloud recording already gone from Zoom',
    })
    return { action: result, meetingUuid: decision.meetingUuid, at: record.at }
  } catch (e) {
    if (ctx.signal.aborted) throw e
    if (!(e instanceof ProviderError) && !isRecflowError(e)) throw e
    const hint = e.hint
    ctx.emit({ type: 'log', level: 'warn', recordingId: rec.id, message: `Zoom cloud recording not moved to the trash: ${e.message}${hint ? ` (${hint})` : ''}` })
    return { action: 'failed', reason: e.message, ...(hint ? { hint } : {}) }
  }
}
