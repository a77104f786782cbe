import path from 'node:path'
import type { ProcessingStage, Recording, UserScope } from '../../db/index.js'
import { resolveConfig, validatePartialConfig, validateStoredUserConfig, type PartialConfig } from '../../domain/config/index.js'
import { RecflowError, isRecflowError, notFound, usageError } from '../../domain/errors.js'
import { STAGE_TYPES, type StageType } from '../../domain/status/index.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { noopSink, type PipelineStage, type RunControl } from '../../domain/events.js'
import { listAll } from '../paging.js'
import { publishTargets, targetsFailure, type TargetOutcome, type TargetSelection } from './publish-targets.js'
import { whileHandling } from '../best-effort.js'
import { measureRecordingStorage } from '../quota/storage.js'
import { persistDerivedStatus } from './recording-status.js'
import { recordingFiles, removeLeftoverParts } from './recording-files.js'
import { downloadStage } from './stage-download.js'
import { processStage } from './stage-process.js'
import { subtitlesStage } from './stage-subtitles.js'
import { topicsStage } from './stage-topics.js'
import { transcribeStage } from './stage-transcribe.js'
import { zoomAfterArchive, type ZoomTrashOutcome } from './zoom-after-archive.js'
import type { StageContext, StageHandlers, StageOutcome } from './stage-types.js'

const HANDLERS: StageHandlers = {
  DOWNLOAD: downloadStage,
  PROCESS: processStage,
  TRANSCRIBE: transcribeStage,
  EXTRACT_TOPICS: topicsStage,
  GENERATE_SUBTITLES: subtitlesStage,
}

export interface PipelineOptions {
  recordingId: number
  /** Redo these stages even when COMPLETED (every later stage reruns too: it depends on them). 'UPLOAD' republishes. */
  force?: Array<StageType | 'UPLOAD'>
  /** Plan only: run the checks and the trim plan, write nothing (no files, no rows). */
  dryRun?: boolean
  /** The highest config layer, for this run only. */
  runOverride?: PartialConfig | null
  /** Stop after this stage: the later stages and the uploads wait for the next run. */
  stopAfter?: StageType
  /** Publish only these targets (all when absent). */
  targets?: TargetSelection
}

export interface StageReport {
  stage: StageType
  outcome: 'completed' | 'skipped' | 'resumed' | 'planned'
  message?: string
}

export interface PipelineResult {
  recordingId: number
  displayName: string
  status: string
  failed: boolean
  dryRun: boolean
  stages: StageReport[]
  targets: TargetOutcome[]
  /** The Zoom cloud copy (templates with `zoom_after_archive: trash` only): moved to Zoom's trash, waiting, or failed. */
  zoomTrash?: ZoomTrashOutcome
}

function resolveRunConfig(rec: Recording, userConfig: unknown, templateConfig: unknown, runOverride: PartialConfig | null | undefined) {
  return resolveConfig([
    { name: 'user', config: validateStoredUserConfig(userConfig) },
    { name: 'template', config: validatePartialConfig(templateConfig ?? {}, 'template processing_config') },
    { name: 'recording', config: validatePartialConfig(rec.processing_config_override ?? {}, 'recording override') },
    { name: 'run', config: runOverride ?? null },
  ]).config
}

/**
 * A stage's completion (or skip), the recording's processed_file and its derived status, in one transaction: a
 * crash between them can never leave a COMPLETED stage with a stale status or no processed file.
 */
function recordStageOutcome(scope: UserScope, rec: Recording, rowId: number, stage: StageType, outcome: StageOutcome): Promise<Recording> {
  return scope.transaction(async (tx) => {
    if (outcome.status === 'COMPLETED') {
      await tx.stages.update(rowId, { status: 'COMPLETED', stage_meta: outcome.meta, completed_at: new Date() })
    } else {
      await tx.stages.update(rowId, { status: 'SKIPPED', skip_reason: outcome.reason, stage_meta: null, completed_at: new Date() })
    }
    let current = rec
    if (stage === 'PROCESS' && outcome.status === 'COMPLETED' && typeof outcome.meta.processed_file === 'string') {
      current = (await tx.recordings.update(rec.id, { processed_file: outcome.meta.processed_file })) ?? current
    }
    // A downloaded file (Zoom) becomes the recording's original file, with its exact size and duration.
    if (stage === 'DOWNLOAD' && outcome.status === 'COMPLETED' && outcome.meta.downloaded === true && typeof outcome.meta.source_file === 'string') {
      const patch = {
        original_file: outcome.meta.source_file,
        ...(typeof outcome.meta.size_bytes === 'number' ? { size_bytes: outcome.meta.size_bytes } : {}),
        ...(typeof outcome.meta.duration_s === 'number' ? { duration: outcome.meta.duration_s } : {}),
      }
      current = (await tx.recordings.update(rec.id, patch)) ?? current
    }
    return (await persistDerivedStatus(tx, current)) ?? current
  })
}

/**
 * A stage (re)started: IN_PROGRESS, its previous outputs no longer recorded, and the derived status, in one
 * write. PROCESS removes the previous processed media before writing the new one (see OutputSet), so the
 * recording's processed_file is cleared here first: a re-trim that fails, is cancelled or is killed leaves a
 * recording that says it has no processed media, and the next run makes it again.
 */
function recordStageStart(scope: UserScope, rec: Recording, row: Pick<ProcessingStage, 'id' | 'attempts'>, stage: StageType): Promise<Recording> {
  return scope.transaction(async (tx) => {
    await tx.stages.update(row.id, {
      status: 'IN_PROGRESS', stage_meta: null, started_at: new Date(), completed_at: null, failed_reason: null, skip_reason: null, attempts: row.attempts + 1,
    })
    const current = stage === 'PROCESS' && rec.processed_file !== null ? ((await tx.recordings.update(rec.id, { processed_file: null })) ?? rec) : rec
    return (await persistDerivedStatus(tx, current)) ?? current
  })
}

/** Storage follows the stage's writes (the user's quota); a failed measurement is logged, never the stage's failure. */
async function measureStorage(deps: ServiceDeps, user: UserRef, recordingId: number): Promise<void> {
  try {
    await measureRecordingStorage(deps, user, recordingId)
  } catch (e) {
    deps.logger.warn('could not measure the media of a recording for the storage quota', { recordingId, error: (e as Error).message })
  }
}

/**
 * Runs a recording through download -> process -> transcribe -> topics -> subtitles -> upload. Each stage is
 * idempotent: a COMPLETED (or SKIPPED) stage is not redone unless forced, so a run resumes from the first
 * unfinished stage, after a crash too. Stage rows and the recording status are written at every transition, in
 * short writes: no transaction is held across ffmpeg or file IO.
 */
export async function runPipeline(deps: ServiceDeps, user: UserRef, opts: PipelineOptions, control: RunControl = {}): Promise<PipelineResult> {
  const scope = deps.scopes.forUser(user.id)
  const emit = control.onEvent ?? noopSink
  const signal = control.signal ?? new AbortController().signal
  const dryRun = opts.dryRun === true
  let rec = await scope.recordings.get(opts.recordingId)
  if (!rec) throw notFound('recording', opts.recordingId, 'run `recflow recordings list` to see recording ids')
  if (rec.status === 'EXPIRED') throw usageError(`recording ${rec.id} has expired: its media was cleaned up`)
  if (rec.status === 'PENDING_SOURCE') {
    throw new RecflowError('conflict', `recording ${rec.id} is not ready at its source yet (Zoom is still processing its files)`, {
      hint: 'run `recflow sync` later: it picks the recording up once its files are ready',
    })
  }
  const unknownForce = (opts.force ?? []).filter((s) => s !== 'UPLOAD' && !STAGE_TYPES.includes(s))
  if (unknownForce.length > 0) throw usageError(`unknown stage ${unknownForce.join(', ')}`, `stages: ${STAGE_TYPES.join(', ')}, UPLOAD`)

  const template = rec.template_id === null ? undefined : await scope.templates.get(rec.template_id)
  // Read before any stage runs (a stage's start clears the failure): see publishTargets.
  const failedUploadWithoutTemplate = rec.failed && rec.failed_stage === 'UPLOAD' && rec.template_id === null
  const config = resolveRunConfig(rec, (await scope.configs.get())?.config, template?.processing_config, opts.runOverride)
  let files = recordingFiles(deps.env.mediaDir, user.id, rec.id, path.extname(rec.original_file ?? '.mp4'))
  const firstForced = STAGE_TYPES.findIndex((s) => opts.force?.includes(s))
  emit({ type: 'recording', recordingId: rec.id, displayName: rec.display_name, status: rec.status })

  // The queue runs one pipeline task per recording at a time, so a `.part` here is a killed attempt's leftover.
  if (!dryRun) await removeLeftoverParts(files.dir)
  const existing = dryRun ? await listAll((page) => scope.stages.list({ recording_id: rec!.id }, page)) : []
  const previous: StageContext['previous'] = {}
  const reports: StageReport[] = []
  // A cancel that lands between two stages is shown on the stage it stopped, so the run counts it as cancelled.
  const cancelledBefore = (stage: PipelineStage): never => {
    emit({ type: 'stage-cancelled', recordingId: rec!.id, stage })
    throw new RecflowError('cancelled', 'cancelled')
  }
  for (const [index, stage] of STAGE_TYPES.entries()) {
    if (signal.aborted) cancelledBefore(stage)
    // A dry run writes nothing, not even the stage rows: it reads what exists.
    const row: Pick<ProcessingStage, 'id' | 'status' | 'stage_meta' | 'attempts'> = dryRun
      ? (existing.find((s) => s.stage_type === stage) ?? { id: 0, status: 'PENDING', stage_meta: null, attempts: 0 })
      : await scope.stages.ensure(rec.id, stage)
    const forced = firstForced !== -1 && index >= firstForced
    if ((row.status === 'COMPLETED' || row.status === 'SKIPPED') && !forced) {
      if (row.status === 'COMPLETED') previous[stage] = (row.stage_meta ?? {}) as Record<string, unknown>
      reports.push({ stage, outcome: 'resumed' })
      emit({ type: 'stage-finished', recordingId: rec.id, stage, outcome: row.status === 'COMPLETED' ? 'completed' : 'skipped', message: 'done in an earlier run', earlier: true })
      continue
    }
    const ctx: StageContext = {
      deps, user, scope, recording: rec, config, files, previous, dryRun, signal,
      emit,
      progress: (percent, o = {}) => emit({ type: 'progress', recordingId: rec!.id, stage, percent, ...o }),
    }
    emit({ type: 'stage-started', recordingId: rec.id, stage })
    if (!dryRun) rec = await recordStageStart(scope, rec, row, stage)
    try {
      // Cancelled by a listener of stage-started, or while the start was recorded: the stage goes back to PENDING.
      if (signal.aborted) throw new RecflowError('cancelled', 'cancelled')
      const outcome = await HANDLERS[stage](ctx)
      if (!dryRun) rec = await recordStageOutcome(scope, rec, row.id, stage, outcome)
      if (!dryRun) await measureStorage(deps, user, rec.id)
      // A download names the original file only now (Zoom: source.m4a for an audio-only meeting): later outputs follow its extension.
      if (stage === 'DOWNLOAD' && rec.original_file !== null) files = recordingFiles(deps.env.mediaDir, user.id, rec.id, path.extname(rec.original_file))
      if (outcome.status === 'COMPLETED') {
        previous[stage] = outcome.meta
        reports.push({ stage, outcome: dryRun ? 'planned' : 'completed', message: outcome.message })
        emit({ type: 'stage-finished', recordingId: rec.id, stage, outcome: 'completed', message: outcome.message })
      } else {
        reports.push({ stage, outcome: 'skipped', message: outcome.reason })
        emit({ type: 'stage-finished', recordingId: rec.id, stage, outcome: 'skipped', message: outcome.reason })
      }
    } catch (e) {
      const cancelled = signal.aborted || (isRecflowError(e) && e.code === 'cancelled')
      const message = e instanceof Error ? e.message : String(e)
      if (!dryRun) {
        // A cancelled stage is not a failed one: it goes back to PENDING and the next run starts it afresh.
        // Should this write fail too (a full disk), it is logged: the stage's own error is the one that surfaces.
        await whileHandling(deps.logger, e, `record the ${cancelled ? 'cancellation' : 'failure'} of ${stage} for recording ${rec.id}`, () =>
          scope.transaction(async (tx) => {
            await tx.stages.update(row.id, cancelled ? { status: 'PENDING', started_at: null } : { status: 'FAILED', failed_reason: message })
            await persistDerivedStatus(tx, rec!, cancelled ? undefined : { stage, reason: message })
          }),
        )
        await measureStorage(deps, user, rec.id)
      }
      emit(cancelled ? { type: 'stage-cancelled', recordingId: rec.id, stage } : { type: 'stage-failed', recordingId: rec.id, stage, message, hint: isRecflowError(e) ? e.hint : undefined })
      if (cancelled && !(isRecflowError(e) && e.code === 'cancelled')) throw new RecflowError('cancelled', 'cancelled', { cause: e })
      throw e
    }
    if (stage === opts.stopAfter) {
      return { recordingId: rec.id, displayName: rec.display_name, status: rec.status, failed: rec.failed, dryRun, stages: reports, targets: [] }
    }
  }

  const ctx: StageContext = {
    deps, user, scope, recording: rec, config, files, previous, dryRun, signal, emit,
    progress: () => {},
  }
  if (signal.aborted && !dryRun) cancelledBefore('UPLOAD')
  const targets = dryRun
    ? []
    : await publishTargets(ctx, { force: opts.force?.includes('UPLOAD') === true || firstForced !== -1, templateId: template?.id ?? null, select: opts.targets, failedUploadWithoutTemplate })
  const unrecorded = targets.filter((t) => t.unrecorded).map((t) => t.reason!)
  if (!dryRun) rec = (await persistDerivedStatus(scope, rec, undefined, unrecorded)) ?? rec
  const failedTargets = targetsFailure(rec.id, targets)
  if (failedTargets) throw failedTargets
  // Only after everything above is recorded: the decision reads the stages and targets as this run left them.
  const zoomTrash = dryRun ? undefined : await zoomAfterArchive({ ...ctx, recording: rec })
  return { recordingId: rec.id, displayName: rec.display_name, status: rec.status, failed: rec.failed, dryRun, stages: reports, targets, ...(zoomTrash ? { zoomTrash } : {}) }
}
