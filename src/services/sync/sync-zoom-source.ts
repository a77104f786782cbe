import type { NewRecording, Recording, Source, UserScope } from '../../db/index.js'
import { RecflowError } from '../../domain/errors.js'
import type { MatchableRecording, TemplateMatch } from '../../domain/matching/index.js'
import { formatZodError, zoomSourceConfigSchema, zoomSourceUsers } from '../../domain/resources/index.js'
import { chooseZoomFiles, type ZoomFileChoice } from '../../domain/zoom/index.js'
import type { RecordingSource, SourceMeeting, SourceRecordingFile } from '../../providers/types.js'
import { throwIfCancelled } from './cancellation.js'
import { INTAKE_STAGE } from './ingest-file.js'
import { SYNC_CHUNK } from './sync-local-source.js'
import { emptyCounts, type SourceSyncSummary } from './summary.js'

/**
 * One Zoom source: every meeting with cloud recordings its users have in the range, page by page (300 a page),
 * against the recordings already known from it (keyed by meeting UUID, so a re-sync never duplicates; the chosen
 * file's id and size are the fingerprint). A meeting becomes one recording: its best media file (see
 * domain/zoom/choose-files.ts), Zoom's transcript and chat files kept beside it, everything Zoom said about the
 * meeting in source_metadata. A meeting whose files Zoom is still processing is recorded as PENDING_SOURCE; a
 * later sync asks Zoom for it by UUID (whatever the listing range) and matches it once its files are ready.
 *
 * Range: `from`/`to` of the config; without `from`, 30 days before the first sync and 7 days before the last one
 * after that (a meeting appears in the listing only after it ended); without `to`, today (UTC).
 *
 * Writes: each page's new and changed meetings in transactions of SYNC_CHUNK; unchanged ones write nothing, so a re-sync
 * with nothing new is one listing and one comparison per meeting.
 */
export interface ZoomSyncContext {
  scope: UserScope
  /** The user's templates compiled, loaded the first time a meeting needs matching. */
  matcher: () => Promise<(recording: MatchableRecording) => TemplateMatch | null>
  now: () => Date
  signal?: AbortSignal
  warn: (message: string, recordingId?: number) => void
  emitProgress: (summary: SourceSyncSummary, total: number) => void
  /** The client for this source's credential. */
  client: RecordingSource
  /** A range asked for with this sync (POST /sources/{id}/sync): wins over the source config's from/to. */
  range?: { from?: string; to?: string }
}

/** source_metadata.metadata of a Zoom recording. `meeting` is the meeting object as Zoom listed it. */
export interface ZoomRecordingMetadata {
  kind: 'zoom_meeting'
  /** The Zoom user whose listing holds it (`me`, an id or an email, as configured). */
  zoom_user: string
  meeting_uuid: string
  /** The file the recording is made from (null while pending or when the meeting has no media). */
  media_file: SourceRecordingFile | null
  /** Transcript, chat and closed-caption files kept beside it. */
  extra_files: SourceRecordingFile[]
  /** Set while Zoom still processes the meeting's files. */
  pending?: { since: string; files: string[] }
  meeting: Record<string, unknown>
  synced_at: string
}

const DAY_MS = 86_400_000
const FIRST_SYNC_DAYS = 30
const RESYNC_OVERLAP_DAYS = 7

export function zoomSyncRange(config: { from?: string; to?: string }, lastSyncedAt: string | null, now: Date): { from: string; to: string } {
  const ymd = (d: Date) => d.toISOString().slice(0, 10)
  const to = config.to ?? ymd(now)
  const from =
    config.from ??
    ymd(new Date((lastSyncedAt === null ? now.getTime() - FIRST_SYNC_DAYS * DAY_MS : Date.parse(lastSyncedAt) - RESYNC_OVERLAP_DAYS * DAY_MS)))
  return { from: from > to ? to : from, to }
}

export async function syncZoomSource(ctx: ZoomSyncContext, source: Source, only?: { meetingUuid: string }): Promise<SourceSyncSummary> {
  const parsed = zoomSourceConfigSchema.safeParse(source.config)
  if (!parsed.success) {
    throw new RecflowError('validation', `source "${source.name}" has an invalid config: ${formatZodError(parsed.error)}`, {
      hint: `fix it with \`recflow sources edit ${source.id}\``,
    })
  }
  const config = parsed.data
  const range = zoomSyncRange({ ...config, ...ctx.range }, source.last_synced_at, ctx.now())
  const minDurationS = (config.min_duration_minutes ?? 0) * 60

  const known = new Map<string, Recording>()
  for (const r of await ctx.scope.recordings.allFromSource(source.id)) {
    if (r.source_key !== null) known.set(r.source_key, r)
  }
  const summary: SourceSyncSummary = { sourceId: source.id, name: source.name, platform: 'zoom', status: 'synced', ...emptyCounts() }
  const touched = new Set<number>()
  const seen = new Set<string>()
  let reported = 0
  const emit = () => ctx.emitProgress({ ...summary }, summary.found)

  let match: ((recording: MatchableRecording) => TemplateMatch | null) | undefined
  const handle = async (user: string, meetings: SourceMeeting[], listed = true) => {
    // Only a meeting that is new or changed is matched, so a re-sync with nothing new never compiles the templates.
    if (match === undefined && meetings.some((m) => known.get(m.uuid)?.source_fingerprint !== fingerprintOf(chooseZoomFiles(m.files)))) {
      match = await ctx.matcher()
    }
    const matchNow = match ?? (() => null)
    const writes: Array<(tx: UserScope) => Promise<void>> = []
    for (const meeting of meetings) {
      if (seen.has(meeting.uuid)) continue // listed again after a page token expired, or by two users
      seen.add(meeting.uuid)
      if (listed) summary.found++
      if (meeting.durationMinutes !== null && meeting.durationMinutes * 60 < minDurationS) continue
      const write = plan(ctx, matchNow, source, user, meeting, known.get(meeting.uuid), summary, touched)
      if (write) writes.push(write)
    }
    // Chunks of SYNC_CHUNK writes per transaction, as the local sync does: a chunk's objects die young.
    for (let at = 0; at < writes.length; at += SYNC_CHUNK) {
      const chunk = writes.slice(at, at + SYNC_CHUNK)
      await ctx.scope.transaction(async (tx) => {
        for (const w of chunk) await w(tx)
      })
    }
    if (summary.found - reported >= PROGRESS_STEP) {
      reported = summary.found
      emit()
    }
  }

  emit()
  if (only !== undefined) {
    // One meeting (a `recording.completed` webhook): asked for by UUID, whatever the range. The source is not
    // marked synced: the next listing's range is counted from the last full sync, so nothing falls between.
    throwIfCancelled(ctx.signal)
    const meeting = await ctx.client.meeting(only.meetingUuid, { signal: ctx.signal })
    if (meeting === null) ctx.warn(`${source.name}: Zoom has no recording of meeting ${only.meetingUuid} (any more)`)
    else {
      const stored = known.get(meeting.uuid)
      const storedUser = stored ? ((await ctx.scope.sourceMetadata.getByRecording(stored.id))?.metadata as Partial<ZoomRecordingMetadata> | undefined)?.zoom_user : undefined
      await handle(storedUser ?? zoomSourceUsers(config)[0] ?? 'me', [meeting])
    }
    summary.recordings = [...touched].sort((a, b) => a - b)
    emit()
    return summary
  }
  for (const user of zoomSourceUsers(config)) {
    for await (const page of ctx.client.listMeetings({ userId: user, from: range.from, to: range.to }, { signal: ctx.signal })) {
      throwIfCancelled(ctx.signal)
      await handle(user, page)
    }
  }

  // Meetings still pending that the listing did not show again (outside the range now): asked for one by one.
  for (const [uuid, recording] of known) {
    if (recording.status !== 'PENDING_SOURCE' || seen.has(uuid) || recording.deleted_at !== null) continue
    throwIfCancelled(ctx.signal)
    const meeting = await ctx.client.meeting(uuid, { signal: ctx.signal })
    if (meeting === null) {
      ctx.warn(`${source.name}: Zoom no longer has the recording of "${recording.display_name}" (${uuid})`, recording.id)
      continue
    }
    const stored = await ctx.scope.sourceMetadata.getByRecording(recording.id)
    const user = (stored?.metadata as Partial<ZoomRecordingMetadata> | undefined)?.zoom_user ?? zoomSourceUsers(config)[0] ?? 'me'
    await handle(user, [meeting], false)
  }

  await ctx.scope.sources.markSynced(source.id, ctx.now())
  summary.recordings = [...touched].sort((a, b) => a - b)
  emit()
  return summary
}

/** Meetings between two progress events. */
const PROGRESS_STEP = 300

/** What identifies a meeting's state: the chosen file (id and size), or that it is pending or has no media. */
function fingerprintOf(choice: ZoomFileChoice<SourceRecordingFile>): string {
  if (choice.kind === 'chosen') return `zoom:${choice.media.id}:${choice.media.sizeBytes ?? ''}`
  return choice.kind === 'pending' ? 'zoom:pending' : 'zoom:none'
}

/** What the sync writes for one listed meeting (nothing for an unchanged one), counting it in the summary. */
function plan(
  ctx: ZoomSyncContext,
  matchTitle: (recording: MatchableRecording) => TemplateMatch | null,
  source: Source,
  user: string,
  meeting: SourceMeeting,
  recording: Recording | undefined,
  summary: SourceSyncSummary,
  touched: Set<number>,
): ((tx: UserScope) => Promise<void>) | undefined {
  const choice = chooseZoomFiles(meeting.files)
  const now = ctx.now()
  const fingerprint = fingerprintOf(choice)

  if (recording !== undefined) {
    // Deleted by the user, or nothing new: no write at all.
    if (recording.deleted_at !== null || recording.source_fingerprint === fingerprint) {
      summary.unchanged++
      if (recording.status === 'PENDING_SOURCE' && recording.deleted_at === null) summary.pending++
      return undefined
    }
    if (recording.status !== 'PENDING_SOURCE' && recording.status !== 'INITIALIZED' && recording.status !== 'SKIPPED') {
      const message = `the Zoom recording of "${recording.display_name}" changed after recording ${recording.id} reached ${recording.status}; recflow did not reprocess it`
      ctx.warn(message, recording.id)
      summary.changed++
      summary.changedAfterProcessing.push({ recordingId: recording.id, status: recording.status, message })
      return undefined
    }
  }

  const fields = recordingFields(meeting, choice, fingerprint)
  const metadata = metadataOf(user, meeting, choice, now, recording)
  const matchable = { display_name: fields.display_name, input_source_id: source.id }
  const match = choice.kind === 'chosen' ? matchTitle(matchable) : null
  const status = choice.kind === 'pending' ? 'PENDING_SOURCE' : match ? 'INITIALIZED' : 'SKIPPED'
  const failure = choice.kind === 'none' ? 'Zoom lists no video or audio file for this meeting (only chat, transcript or other files)' : undefined

  if (recording === undefined) {
    return async (tx) => {
      const upserted = await tx.recordings.upsertFromSource({
        ...fields,
        input_source_id: source.id,
        source_key: meeting.uuid,
        status,
        is_mapped: match !== null,
        template_id: match?.templateId ?? null,
      })
      if (!upserted.created) {
        summary.unchanged++ // another sync of this source got there first
        return
      }
      let created = upserted.recording
      if (failure !== undefined) created = (await tx.recordings.markFailed(created.id, { stage: INTAKE_STAGE, reason: failure, at: now })) ?? created
      if (match) await tx.templates.markUsed(match.templateId, now)
      await tx.sourceMetadata.set(created.id, { input_source_id: source.id, metadata })
      summary.created++
      touched.add(created.id)
      if (failure !== undefined) {
        summary.failed++
        ctx.warn(`${source.name}: "${fields.display_name}": ${failure}`, created.id)
      } else if (status === 'PENDING_SOURCE') summary.pending++
      else if (match) summary.matched++
      else summary.skipped++
    }
  }

  // A known meeting whose files changed while nothing was built on them: pending -> ready, or a new best file.
  const wasPending = recording.status === 'PENDING_SOURCE'
  // A recording already matched (or deliberately bound) keeps its template; a pending or unmatched one is matched now.
  const keepMapping = recording.template_id !== null
  return async (tx) => {
    const patch: Partial<NewRecording> = { ...fields }
    if (!keepMapping) Object.assign(patch, { status, is_mapped: match !== null, template_id: match?.templateId ?? null })
    else if (wasPending) patch.status = 'INITIALIZED'
    let updated = (await tx.recordings.update(recording.id, patch)) ?? recording
    if (failure !== undefined) updated = (await tx.recordings.markFailed(recording.id, { stage: INTAKE_STAGE, reason: failure, at: now })) ?? updated
    else if (recording.failed) updated = (await tx.recordings.clearFailure(recording.id)) ?? updated
    if (match && !keepMapping) await tx.templates.markUsed(match.templateId, now)
    await tx.sourceMetadata.set(recording.id, { input_source_id: source.id, metadata })
    summary.changed++
    touched.add(updated.id)
    if (wasPending && status !== 'PENDING_SOURCE') summary.ready++
  }
}

function recordingFields(meeting: SourceMeeting, choice: ZoomFileChoice<SourceRecordingFile>, fingerprint: string) {
  const media = choice.kind === 'chosen' ? choice.media : undefined
  const span = media && media.recordingStart && media.recordingEnd ? (Date.parse(media.recordingEnd) - Date.parse(media.recordingStart)) / 1000 : NaN
  const start = Date.parse(meeting.startTime)
  return {
    display_name: meeting.topic.trim() || `Zoom meeting ${meeting.meetingId ?? meeting.uuid}`,
    start_time: Number.isNaN(start) ? new Date(0).toISOString() : new Date(start).toISOString(),
    duration: Number.isFinite(span) && span > 0 ? span : meeting.durationMinutes !== null ? meeting.durationMinutes * 60 : null,
    size_bytes: media?.sizeBytes ?? null,
    source_fingerprint: fingerprint,
  }
}

function metadataOf(
  user: string,
  meeting: SourceMeeting,
  choice: ZoomFileChoice<SourceRecordingFile>,
  now: Date,
  recording: Recording | undefined,
): ZoomRecordingMetadata {
  return {
    kind: 'zoom_meeting',
    zoom_user: user,
    meeting_uuid: meeting.uuid,
    media_file: choice.kind === 'chosen' ? choice.media : null,
    extra_files: choice.kind === 'chosen' ? choice.extras : [],
    ...(choice.kind === 'pending'
      ? { pending: { since: recording?.status === 'PENDING_SOURCE' ? recording.created_at : now.toISOString(), files: choice.processing.map((f) => f.id) } }
      : {}),
    meeting: meeting.raw,
    synced_at: now.toISOString(),
  }
}
