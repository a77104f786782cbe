import type { Task } from '../db/index.js'
import { validatePartialConfig, type PartialConfig } from '../domain/config/index.js'
import { conflict, notFound, RecflowError } from '../domain/errors.js'
import { noopSink } from '../domain/events.js'
import type { StageType } from '../domain/status/index.js'
import type { TaskPayload } from '../jobs/index.js'
import type { ServiceDeps, UserRef } from './context.js'
import { enqueuePipeline } from './enqueue-pipeline.js'
import { listAll } from './paging.js'

export type Platform = 'youtube' | 'vk' | 'local'

/** `recordings process` flags, by their API names (the run override they give is checked by the config schema). */
export interface TrimInput {
  mode?: string
  silence_threshold?: number
  min_silence_duration?: number
  padding_before?: number
  padding_after?: number
  min_pause?: number
}

export interface TranscribeInput {
  provider?: 'fireworks' | 'openai'
  use_batch_api?: boolean
}

/** One stage of the pipeline, redone, with this run's settings; nothing after it runs (like `recordings process`). */
export type StageAction =
  | { kind: 'download' }
  | { kind: 'process'; trim: TrimInput }
  | { kind: 'transcribe'; input: TranscribeInput }
  | { kind: 'topics'; granularity: 'short' | 'medium' | 'long'; versionId?: number }
  | { kind: 'subtitles'; formats: Array<'srt' | 'vtt'> }

const STAGE_OF: Record<StageAction['kind'], StageType> = {
  download: 'DOWNLOAD',
  process: 'PROCESS',
  transcribe: 'TRANSCRIBE',
  topics: 'EXTRACT_TOPICS',
  subtitles: 'GENERATE_SUBTITLES',
}

const setIf = (out: Record<string, unknown>, key: string, value: unknown) => {
  if (value !== undefined) out[key] = value
}

/** The run override (config layer) an action asks for; checked by the same schema as the CLI's flags and config files. */
export function actionOverride(action: StageAction): PartialConfig | undefined {
  const out: Record<string, Record<string, unknown>> = {}
  if (action.kind === 'process') {
    const processing: Record<string, unknown> = {}
    setIf(processing, 'trim_mode', action.trim.mode)
    setIf(processing, 'silence_threshold', action.trim.silence_threshold)
    setIf(processing, 'min_silence_duration', action.trim.min_silence_duration)
    setIf(processing, 'padding_before', action.trim.padding_before)
    setIf(processing, 'padding_after', action.trim.padding_after)
    setIf(processing, 'min_pause', action.trim.min_pause)
    if (Object.keys(processing).length > 0) out.processing = processing
  } else if (action.kind === 'transcribe') {
    const { provider, use_batch_api: batch } = action.input
    if (batch === true && provider !== undefined && provider !== 'fireworks') {
      throw new RecflowError('validation', `use_batch_api needs the fireworks provider (got "${provider}")`, {
        hint: 'leave provider out or set it to "fireworks" to use the batch API',
      })
    }
    const chosen = batch === true ? 'fireworks-batch' : provider
    if (chosen !== undefined) out.transcription = { provider: chosen }
  } else if (action.kind === 'topics') {
    out.topics = { granularity: action.granularity }
  } else if (action.kind === 'subtitles') {
    out.subtitles = { formats: action.formats }
  }
  return Object.keys(out).length > 0 ? validatePartialConfig(out, 'run settings') : undefined
}


/**
 * Queue-only recording actions (the daemon's POST /recordings/{id}/<action>): each enqueues the same `pipeline`
 * task the worker runs for `recflow recordings process|upload|retry-upload`, with the stage forced and the run
 * stopped after it. The recording must be the caller's and have no pending or running task (else a conflict);
 * the start is counted against the user's plan (a refusal queues nothing, see enqueue-pipeline.ts).
 */
export function recordingActionsService(deps: ServiceDeps) {
  const scope = (user: UserRef) => deps.scopes.forUser(user.id)

  async function owned(user: UserRef, recordingId: number): Promise<void> {
    if (!(await scope(user).recordings.get(recordingId))) throw notFound('recording', recordingId, 'list your recordings with GET /api/v1/recordings')
    // A task left "running" by a worker process that died is not active: take it back first (the enqueue then
    // refuses only a task that is really pending or running: `refuseHeld`).
    await deps.queue.recoverDeadLocalOwners({ now: deps.clock.now(), userId: user.id, logger: deps.logger })
  }

  async function queue(user: UserRef, payload: TaskPayload<'pipeline'>): Promise<Task> {
    await owned(user, payload.recordingId)
    return enqueuePipeline(deps, user, payload, { exclusive: true, emit: noopSink, refuseHeld: true })
  }

  async function checkTopicsVersion(user: UserRef, recordingId: number, versionId: number): Promise<void> {
    const sets = await scope(user).topicSets.listForRecording(recordingId)
    const next = sets.reduce((max, s) => Math.max(max, s.version), 0) + 1
    if (versionId !== next) {
      throw conflict(
        `recording ${recordingId}'s next topics version is ${next}, not ${versionId}`,
        `see its versions with \`recflow recordings topics ${recordingId} --versions\`; send version_id ${next} (or none) to extract again`,
      )
    }
  }

  return {
    /** Redo one stage with this run's settings and stop after it (stages before it that are not done run first). */
    async stage(user: UserRef, recordingId: number, action: StageAction): Promise<Task> {
      const runOverride = actionOverride(action)
      if (action.kind === 'topics' && action.versionId !== undefined) {
        await owned(user, recordingId)
        await checkTopicsVersion(user, recordingId, action.versionId)
      }
      const stage = STAGE_OF[action.kind]
      return queue(user, { recordingId, force: [stage], stopAfter: stage, ...(runOverride ? { runOverride } : {}) })
    },

    /** The pipeline from its first unfinished stage (what `recflow recordings run ID` does), through the queue. */
    run: (user: UserRef, recordingId: number): Promise<Task> => queue(user, { recordingId }),

    /** Every stage again (the downloaded original is kept) with a per-run override, then publish. */
    async fullPipeline(user: UserRef, recordingId: number, override?: unknown): Promise<Task> {
      const runOverride = override === undefined ? undefined : validatePartialConfig(override, 'run settings')
      return queue(user, { recordingId, force: ['PROCESS'], ...(runOverride ? { runOverride } : {}) })
    },

    /** Publish to one platform now (all its presets, or the one named: the caller's, and of that platform). */
    async upload(user: UserRef, recordingId: number, platform: Platform, presetId?: number): Promise<Task> {
      if (presetId !== undefined) {
        const preset = await scope(user).presets.get(presetId)
        if (!preset) throw notFound('preset', presetId, 'list your presets with GET /api/v1/presets')
        if (preset.platform !== platform) {
          throw new RecflowError('validation', `preset ${presetId} publishes to ${preset.platform}, not ${platform}`, { hint: `use POST /api/v1/recordings/${recordingId}/upload/${preset.platform}` })
        }
      }
      return queue(user, { recordingId, force: ['UPLOAD'], targets: { platforms: [platform], ...(presetId !== undefined ? { presetIds: [presetId] } : {}) } })
    },

    /** Retry the FAILED targets (of these platforms); a conflict when there is none to retry. */
    async retryUpload(user: UserRef, recordingId: number, platforms?: Platform[]): Promise<Task> {
      if (!(await scope(user).recordings.get(recordingId))) throw notFound('recording', recordingId, 'list your recordings with GET /api/v1/recordings')
      const failed = (await listAll((page) => scope(user).targets.list({ recording_id: recordingId, status: 'FAILED' }, page))).filter(
        (t) => platforms === undefined || platforms.includes(t.target_type as Platform),
      )
      if (failed.length === 0) {
        const which = platforms === undefined ? '' : ` ${platforms.join(' or ')}`
        throw conflict(`recording ${recordingId} has no failed${which} upload to retry`, `see its targets with GET /api/v1/recordings/${recordingId}?detailed=true`)
      }
      return queue(user, { recordingId, targets: { failedOnly: true, ...(platforms ? { platforms } : {}) } })
    },
  }
}

export type RecordingActionsService = ReturnType<typeof recordingActionsService>
