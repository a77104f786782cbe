import path from 'node:path'
import type { RE2JS } from 're2js'
import type { NewRecording, Recording, RecordingStatus, UserScope } from '../../db/index.js'
import type { MatchableRecording, TemplateMatch } from '../../domain/matching/index.js'
import type { MediaTools } from '../../media/index.js'
import { chooseStartTime, displayNameFromFileName, readNamePattern } from './file-naming.js'
import { formatFingerprint, parseFingerprint, sameContent, sameStat } from './fingerprint.js'
import { baseMetadata, fileMetadata, inspectFile, inspectReading, readFingerprint, type Inspection, type LocalFileMetadata } from './inspect-file.js'

/**
 * Turning one file into a recording (new) or bringing a recording up to date with its file (known). Shared by
 * source sync and single-file import. Each is two steps: `prepare…` does the file IO and ffprobe and returns the
 * writes to make; the caller applies them inside a transaction, never held across IO (an import: one per file;
 * a sync: one per chunk of files, see sync-local-source.ts).
 *
 * A file that is not a usable recording still gets its row, marked failed at stage DOWNLOAD (the stage that
 * takes a file in; retrying it re-reads the file) with the reason, status SKIPPED and no template, so no
 * template's usage counts it and nothing downstream picks it up. When the file is fixed (its fingerprint
 * changes and it probes fine), the failure is cleared and it is matched then.
 */

/** The failure stage recorded for files that cannot be taken in. */
export const INTAKE_STAGE = 'DOWNLOAD'

/** Statuses in which a changed file is simply re-read; later ones have work built on the old file. */
const REFRESHABLE: readonly RecordingStatus[] = ['INITIALIZED', 'SKIPPED']

export interface IngestContext {
  scope: UserScope
  tools: () => Promise<MediaTools>
  match: (recording: MatchableRecording) => TemplateMatch | null
  timezone: string
  now: () => Date
  signal?: AbortSignal
  warn: (message: string, recordingId?: number) => void
  /** Leave ffprobe for the recording's first processing when the file's signature is a known container. */
  deferProbe?: boolean
}

/** A file read and judged: either nothing to write, or the writes to apply inside the caller's transaction. */
export type PreparedIngest = { outcome: IngestOutcome } | { apply: (tx: UserScope) => Promise<IngestOutcome> }

/** Applies one prepared file in its own short transaction (an import; a sync batches them). */
export function commitIngest(scope: UserScope, prepared: PreparedIngest): Promise<IngestOutcome> {
  return 'outcome' in prepared ? Promise.resolve(prepared.outcome) : scope.transaction(prepared.apply)
}

export interface FileRef {
  /** The exact path to read. */
  path: string
  size: number
  mtimeMs: number
  inputSourceId: number | null
  /** Identity within the source: relative path for a source, the absolute path for an import. */
  sourceKey: string
  namePattern?: RE2JS
}

export type IngestOutcome =
  | { kind: 'created'; recording: Recording; match: TemplateMatch | null; failure?: string }
  | { kind: 'unchanged'; recording: Recording }
  | { kind: 'changed'; recording: Recording; match: TemplateMatch | null; failure?: string }
  /** The file changed but the recording is past INITIALIZED/SKIPPED: left as it is, with a warning. */
  | { kind: 'changed-after-processing'; recording: Recording; message: string }
  | { kind: 'gone' }

interface Described {
  display_name: string
  start_time: string
  start_time_from: string
}

function describe(ctx: IngestContext, file: FileRef, inspection: Inspection, displayName?: string): Described {
  const fileName = path.basename(file.path)
  const reading = file.namePattern ? readNamePattern(file.namePattern, fileName, ctx.timezone) : {}
  if (reading.problem) ctx.warn(`${reading.problem}; using the file's own time instead`)
  const start = chooseStartTime({
    creationTime: inspection.kind === 'media' ? inspection.info.startTime : undefined,
    fromName: reading.startTime,
    mtimeMs: file.mtimeMs,
  })
  return {
    display_name: displayName ?? reading.title ?? displayNameFromFileName(fileName),
    start_time: start.startTime,
    start_time_from: start.from,
  }
}

/** Fields that come from the file itself (written on create and when a changed file is re-read). */
function fileFields(file: FileRef, inspection: Exclude<Inspection, { kind: 'gone' }>): Partial<NewRecording> {
  return {
    original_file: file.path,
    size_bytes: inspection.fingerprint?.size ?? file.size,
    duration: inspection.kind === 'media' ? inspection.info.durationS : null,
    source_fingerprint: inspection.fingerprint ? formatFingerprint(inspection.fingerprint) : null,
  }
}

export async function ingestNewFile(ctx: IngestContext, file: FileRef, opts: { displayName?: string } = {}): Promise<IngestOutcome> {
  return commitIngest(ctx.scope, await prepareNewFile(ctx, file, opts))
}

export async function prepareNewFile(ctx: IngestContext, file: FileRef, opts: { displayName?: string } = {}): Promise<PreparedIngest> {
  const inspection = await inspectFile(file.path, ctx.tools, ctx.signal, { deferProbe: ctx.deferProbe })
  if (inspection.kind === 'gone') return { outcome: inspection }
  const described = describe(ctx, file, inspection, opts.displayName)
  const match = inspection.kind !== 'unusable' ? ctx.match({ display_name: described.display_name, input_source_id: file.inputSourceId }) : null
  const now = ctx.now()
  const fields: NewRecording = {
    ...fileFields(file, inspection),
    input_source_id: file.inputSourceId,
    source_key: file.sourceKey,
    display_name: described.display_name,
    start_time: described.start_time,
    status: match ? 'INITIALIZED' : 'SKIPPED',
    is_mapped: match !== null,
    template_id: match?.templateId ?? null,
  }
  const metadata = fileMetadata(file, inspection, { start_time_from: described.start_time_from })
  const apply = async (tx: UserScope): Promise<IngestOutcome> => {
    let recording: Recording
    if (file.inputSourceId !== null) {
      const upserted = await tx.recordings.upsertFromSource({ ...fields, input_source_id: file.inputSourceId, source_key: file.sourceKey })
      // Another sync of the same source got there first; its row stands.
      if (!upserted.created) return { kind: 'unchanged', recording: upserted.recording }
      recording = upserted.recording
    } else {
      recording = await tx.recordings.create(fields)
    }
    const failure = inspection.kind === 'unusable' ? inspection.reason : undefined
    if (failure !== undefined) {
      recording = (await tx.recordings.markFailed(recording.id, { stage: INTAKE_STAGE, reason: failure, at: now })) ?? recording
    }
    if (match) await tx.templates.markUsed(match.templateId, now)
    await tx.sourceMetadata.set(recording.id, { input_source_id: file.inputSourceId, metadata })
    return { kind: 'created', recording, match, ...(failure !== undefined ? { failure } : {}) }
  }
  return { apply }
}

/**
 * Compares a known recording's file with what was stored. Same size and mtime: nothing is read. Otherwise the
 * first and last MiB are hashed: same bytes (only the mtime moved) updates the stored fingerprint quietly;
 * different bytes re-read the file while the recording is INITIALIZED/SKIPPED, and only warn after that.
 */
export async function refreshKnownFile(
  ctx: IngestContext,
  recording: Recording,
  file: FileRef,
  stored: LocalFileMetadata | undefined,
): Promise<IngestOutcome> {
  return commitIngest(ctx.scope, await prepareKnownFile(ctx, recording, file, stored))
}

export async function prepareKnownFile(
  ctx: IngestContext,
  recording: Recording,
  file: FileRef,
  stored: LocalFileMetadata | undefined,
): Promise<PreparedIngest> {
  const previous = parseFingerprint(recording.source_fingerprint)
  if (sameStat(previous, file)) return { outcome: { kind: 'unchanged', recording } }
  const read = await readFingerprint(file.path)
  if (read.kind === 'gone') return { outcome: read }
  // Unreadable before and still unreadable: nothing new to say.
  if (read.kind === 'unreadable' && previous === undefined) return { outcome: { kind: 'unchanged', recording } }
  if (read.kind === 'read' && sameContent(previous, read.fingerprint)) {
    const fingerprint = formatFingerprint(read.fingerprint)
    return {
      apply: async (tx) => ({ kind: 'unchanged', recording: (await tx.recordings.update(recording.id, { source_fingerprint: fingerprint })) ?? recording }),
    }
  }

  const now = ctx.now()
  if (!REFRESHABLE.includes(recording.status)) {
    const message =
      `${path.basename(file.path)} changed after recording ${recording.id} reached ${recording.status}; ` +
      'recflow did not reprocess it (run the pipeline again with --force to use the new file)'
    ctx.warn(message, recording.id)
    const size = read.kind === 'read' ? read.fingerprint.size : file.size
    const metadata = { ...(stored ?? baseMetadata(file)), changed_after_processing: { at: now.toISOString(), size } }
    return {
      apply: async (tx) => {
        await tx.sourceMetadata.set(recording.id, { input_source_id: recording.input_source_id, metadata })
        return { kind: 'changed-after-processing', recording, message }
      },
    }
  }

  const inspection: Inspection =
    read.kind === 'read'
      ? await inspectReading(file.path, read, ctx.tools, ctx.signal, ctx.deferProbe === true)
      : { kind: 'unusable', reason: read.reason }
  if (inspection.kind === 'gone') return { outcome: inspection }
  const described = describe(ctx, file, inspection, recording.display_name)
  // A recording that failed on arrival was never matched; now that its file works (or may), it is.
  const match =
    inspection.kind !== 'unusable' && recording.failed && recording.template_id === null
      ? ctx.match({ display_name: recording.display_name, input_source_id: recording.input_source_id })
      : null
  // Everything the metadata says is about the file, so a re-read replaces it whole.
  const metadata = fileMetadata(file, inspection, { start_time_from: described.start_time_from })

  const apply = async (tx: UserScope): Promise<IngestOutcome> => {
    const patch: Partial<NewRecording> = { ...fileFields(file, inspection), start_time: described.start_time }
    if (match) Object.assign(patch, { template_id: match.templateId, is_mapped: true, status: 'INITIALIZED' })
    let updated = (await tx.recordings.update(recording.id, patch)) ?? recording
    const failure = inspection.kind === 'unusable' ? inspection.reason : undefined
    if (failure !== undefined) {
      updated = (await tx.recordings.markFailed(recording.id, { stage: INTAKE_STAGE, reason: failure, at: now })) ?? updated
    } else if (recording.failed) {
      updated = (await tx.recordings.clearFailure(recording.id)) ?? updated
    }
    if (match) await tx.templates.markUsed(match.templateId, now)
    await tx.sourceMetadata.set(recording.id, { input_source_id: recording.input_source_id, metadata })
    return { kind: 'changed', recording: updated, match, ...(failure !== undefined ? { failure } : {}) }
  }
  return { apply }
}
