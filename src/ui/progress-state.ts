import type { PipelineStage, RecflowEvent } from '../domain/events.js'

/**
 * What a progress view shows, built by one pure reducer over RecflowEvents. The Ink view, the plain line printer
 * and the final summary all read this state, so they never disagree about names, durations or ETAs.
 */

/** Display order of the stages; UPLOAD may occur once per output target. */
export const STAGE_ORDER: readonly PipelineStage[] = [
  'SYNC',
  'DOWNLOAD',
  'PROCESS',
  'TRANSCRIBE',
  'EXTRACT_TOPICS',
  'GENERATE_SUBTITLES',
  'UPLOAD',
]

/** The stages of a full pipeline run, for `initialProgressState({ plannedStages })`. */
export const PIPELINE_STAGES: readonly PipelineStage[] = STAGE_ORDER.filter((s) => s !== 'SYNC')

export type StageStatus = 'pending' | 'running' | 'done' | 'skipped' | 'failed' | 'cancelled'

/** One word for a whole recording in the view (see recordingOutcome in progress-summary.ts). */
export type RecordingOutcome = 'waiting' | 'running' | 'done' | 'already-done' | 'skipped' | 'failed' | 'cancelled'

export interface StageProgress {
  /** `stage` or `stage:target`; unique within a recording. */
  key: string
  stage: PipelineStage
  target?: string
  status: StageStatus
  /** 0-100; 100 once completed. */
  percent: number
  /** Seconds left: the event's etaS when it gave one, else estimated from the rate of progress. */
  etaS?: number
  message?: string
  hint?: string
  startedAtMs?: number
  finishedAtMs?: number
  durationMs?: number
  /** Where the rate estimate starts measuring from (the stage start, or the first progress seen). */
  rateBase?: { atMs: number; percent: number }
  /** The smoothed rate in percent per second (an exponential moving average over the samples since rateBase). */
  rateEma?: number
  /** How many rate samples the average holds, and the last one (a sample spans at least MIN_SAMPLE_MS). */
  rateSamples?: number
  lastSample?: { atMs: number; percent: number }
  /** Finished in an earlier run (a resumed run did not redo it). */
  earlier?: boolean
  /** Uploads: bytes the platform confirmed, of the file's size. */
  bytes?: number
  totalBytes?: number
}

/** An upload's speed in bytes per second, from the smoothed rate of progress; undefined until that is known. */
export function transferRate(stage: Pick<StageProgress, 'rateEma' | 'totalBytes'>): number | undefined {
  if (stage.rateEma === undefined || stage.totalBytes === undefined || stage.rateEma <= 0) return undefined
  return (stage.rateEma / 100) * stage.totalBytes
}

export interface RecordingProgress {
  recordingId: number
  /** Empty until a `recording` event names it (a stage event can arrive first). */
  displayName: string
  /** The recording status reported by the last `recording` event, if any. */
  status?: string
  /** In STAGE_ORDER, targets of one stage in order of appearance. */
  stages: readonly StageProgress[]
  /** Why its pipeline failed outside any stage (a `recording-failed` event). */
  failure?: { message: string; hint?: string }
}

export interface SyncSummary {
  sourceId: number
  sourceName: string
  found: number
  /** Files the folder offers; `found` counts up to it while the sync runs. */
  total?: number
  created: number
  changed: number
  vanished: number
}

export interface LogLine {
  level: 'info' | 'warn'
  message: string
  recordingId?: number
  atMs: number
}

export interface StageCounts {
  pending: number
  running: number
  done: number
  skipped: number
  failed: number
  cancelled: number
}

export interface ProgressState {
  plannedStages: readonly PipelineStage[]
  /** In order of first appearance. */
  recordings: readonly RecordingProgress[]
  syncs: readonly SyncSummary[]
  /** The last MAX_LOG_LINES log events. */
  logs: readonly LogLine[]
  /** Over every stage row of every recording. */
  counts: StageCounts
  firstEventAtMs?: number
  lastEventAtMs?: number
}

export const MAX_LOG_LINES = 5

// An ETA is shown only once the rate is stable: measured over at least STABLE_AFTER_MS and STABLE_SAMPLES
// samples (the first percent of a download arrives in a burst, ffmpeg's first seconds are slow), smoothed so one
// fast or slow interval does not make it jump, and never beyond MAX_ETA_S (a guess that far out is noise).
const MIN_SAMPLE_MS = 500
const STABLE_AFTER_MS = 3000
const STABLE_SAMPLES = 3
const SMOOTHING = 0.3
export const MAX_ETA_S = 24 * 3600

const EMPTY_COUNTS: StageCounts = { pending: 0, running: 0, done: 0, skipped: 0, failed: 0, cancelled: 0 }

/**
 * `plannedStages` are shown as pending for every recording as soon as it appears (a `run` knows its pipeline;
 * a `sync` plans none). A targeted UPLOAD replaces the planned untargeted one.
 */
export function initialProgressState(opts: { plannedStages?: readonly PipelineStage[] } = {}): ProgressState {
  return { plannedStages: sortStages(opts.plannedStages ?? []), recordings: [], syncs: [], logs: [], counts: EMPTY_COUNTS }
}

export function stageKey(stage: PipelineStage, target?: string): string {
  return target ? `${stage}:${target}` : stage
}

export function reduce(state: ProgressState, event: RecflowEvent, nowMs: number): ProgressState {
  const next = apply(state, event, nowMs)
  return {
    ...next,
    counts: next.recordings === state.recordings ? state.counts : countStages(next.recordings),
    firstEventAtMs: state.firstEventAtMs ?? nowMs,
    lastEventAtMs: nowMs,
  }
}

function apply(state: ProgressState, event: RecflowEvent, nowMs: number): ProgressState {
  switch (event.type) {
    case 'recording':
      return withRecording(state, event.recordingId, (rec) => ({ ...rec, displayName: event.displayName, status: event.status }), event.displayName)
    case 'stage-started':
      return withStage(state, event.recordingId, event.stage, event.target, () => ({
        status: 'running',
        percent: 0,
        startedAtMs: nowMs,
        finishedAtMs: undefined,
        durationMs: undefined,
        etaS: undefined,
        message: undefined,
        hint: undefined,
        earlier: undefined,
        ...freshRate(nowMs, 0),
      }))
    case 'progress':
      return withStage(state, event.recordingId, event.stage, event.target, (stage) => progressed(stage, event, nowMs))
    case 'stage-finished':
      return withStage(state, event.recordingId, event.stage, event.target, (stage) => ({
        ...finished(stage, nowMs),
        status: event.outcome === 'completed' ? 'done' : 'skipped',
        percent: event.outcome === 'completed' ? 100 : stage.percent,
        message: event.message,
        hint: undefined,
        earlier: event.earlier === true ? true : undefined,
      }))
    case 'stage-failed':
      return withStage(state, event.recordingId, event.stage, event.target, (stage) => ({
        ...finished(stage, nowMs),
        status: 'failed',
        message: event.message,
        hint: event.hint,
      }))
    case 'recording-failed':
      return withRecording(state, event.recordingId, (rec) => ({ ...rec, failure: { message: event.message, ...(event.hint ? { hint: event.hint } : {}) } }), '')
    case 'stage-cancelled':
      return withStage(state, event.recordingId, event.stage, event.target, (stage) => ({
        ...finished(stage, nowMs),
        status: 'cancelled',
        message: 'cancelled',
        hint: undefined,
      }))
    case 'sync': {
      const { type: _type, ...summary } = event
      const at = state.syncs.findIndex((s) => s.sourceId === event.sourceId)
      return { ...state, syncs: at < 0 ? [...state.syncs, summary] : state.syncs.map((s, i) => (i === at ? summary : s)) }
    }
    case 'log': {
      const line: LogLine = { level: event.level, message: event.message, atMs: nowMs }
      if (event.recordingId !== undefined) line.recordingId = event.recordingId
      return { ...state, logs: [...state.logs, line].slice(-MAX_LOG_LINES) }
    }
  }
}

function progressed(stage: StageProgress, event: Extract<RecflowEvent, { type: 'progress' }>, nowMs: number): Partial<StageProgress> {
  // A late progress event after the stage ended must not reopen it.
  if (stage.status === 'done' || stage.status === 'skipped' || stage.status === 'failed' || stage.status === 'cancelled') return {}
  if (!Number.isFinite(event.percent)) return event.message === undefined ? {} : { message: event.message }
  const percent = Math.min(100, Math.max(0, event.percent))
  // Progress that goes backwards (a retried request) restarts the rate measurement.
  const rate = stage.rateBase && stage.lastSample && percent >= stage.percent ? sampled(stage, percent, nowMs) : freshRate(nowMs, percent)
  const reported = event.etaS !== undefined && Number.isFinite(event.etaS) && event.etaS >= 0 ? event.etaS : undefined
  return {
    status: 'running',
    percent,
    startedAtMs: stage.startedAtMs ?? nowMs,
    ...rate,
    etaS: reported ?? smoothedEtaS({ ...stage, ...rate }, percent, nowMs),
    message: event.message ?? stage.message,
    ...(event.bytes !== undefined && event.totalBytes !== undefined ? { bytes: event.bytes, totalBytes: event.totalBytes } : {}),
  }
}

const freshRate = (nowMs: number, percent: number) => ({
  rateBase: { atMs: nowMs, percent },
  lastSample: { atMs: nowMs, percent },
  rateEma: undefined,
  rateSamples: 0,
})

/** Folds the progress since the last sample into the moving average (once the interval is long enough to mean something). */
function sampled(stage: StageProgress, percent: number, nowMs: number): Partial<StageProgress> {
  const last = stage.lastSample!
  const elapsedMs = nowMs - last.atMs
  if (elapsedMs < MIN_SAMPLE_MS) return {}
  const rate = ((percent - last.percent) * 1000) / elapsedMs
  const ema = stage.rateEma === undefined ? rate : SMOOTHING * rate + (1 - SMOOTHING) * stage.rateEma
  return { lastSample: { atMs: nowMs, percent }, rateEma: ema, rateSamples: (stage.rateSamples ?? 0) + 1 }
}

/** Seconds left at the smoothed rate; undefined until the rate is stable, at 100 %, or when beyond MAX_ETA_S. */
export function smoothedEtaS(
  stage: Pick<StageProgress, 'rateBase' | 'rateEma' | 'rateSamples'>,
  percent: number,
  nowMs: number,
): number | undefined {
  const { rateBase, rateEma, rateSamples = 0 } = stage
  if (percent >= 100 || rateBase === undefined || rateEma === undefined || rateEma <= 0) return undefined
  if (rateSamples < STABLE_SAMPLES || nowMs - rateBase.atMs < STABLE_AFTER_MS) return undefined
  const eta = (100 - percent) / rateEma
  return eta > MAX_ETA_S ? undefined : eta
}

function finished(stage: StageProgress, nowMs: number): Partial<StageProgress> {
  return {
    finishedAtMs: nowMs,
    durationMs: stage.startedAtMs === undefined ? undefined : nowMs - stage.startedAtMs,
    etaS: undefined,
    rateBase: undefined,
    rateEma: undefined,
    rateSamples: undefined,
    lastSample: undefined,
  }
}

function withRecording(
  state: ProgressState,
  recordingId: number,
  update: (rec: RecordingProgress) => RecordingProgress,
  displayName = '',
): ProgressState {
  const at = state.recordings.findIndex((r) => r.recordingId === recordingId)
  if (at < 0) {
    const fresh: RecordingProgress = {
      recordingId,
      displayName,
      stages: state.plannedStages.map((stage) => ({ key: stageKey(stage), stage, status: 'pending', percent: 0 })),
    }
    return { ...state, recordings: [...state.recordings, update(fresh)] }
  }
  return { ...state, recordings: state.recordings.map((r, i) => (i === at ? update(r) : r)) }
}

function withStage(
  state: ProgressState,
  recordingId: number,
  stage: PipelineStage,
  target: string | undefined,
  update: (current: StageProgress) => Partial<StageProgress>,
): ProgressState {
  return withRecording(state, recordingId, (rec) => {
    const key = stageKey(stage, target)
    const existing = rec.stages.find((s) => s.key === key)
    const current: StageProgress = existing ?? { key, stage, status: 'pending', percent: 0, ...(target ? { target } : {}) }
    const updated = { ...current, ...update(current) }
    if (existing) return { ...rec, stages: rec.stages.map((s) => (s === existing ? updated : s)) }
    // The first targeted row of a stage takes the place of its planned, untargeted placeholder.
    const others = rec.stages.filter((s) => !(target && s.stage === stage && s.target === undefined && s.status === 'pending'))
    return { ...rec, stages: sortStageRows([...others, updated]) }
  })
}

const rank = (stage: PipelineStage) => STAGE_ORDER.indexOf(stage)

// Array.prototype.sort is stable, so targets of one stage keep their order of appearance.
function sortStages(stages: readonly PipelineStage[]): PipelineStage[] {
  return [...new Set(stages)].sort((a, b) => rank(a) - rank(b))
}

function sortStageRows(rows: readonly StageProgress[]): StageProgress[] {
  return [...rows].sort((a, b) => rank(a.stage) - rank(b.stage))
}

export function countStages(recordings: readonly RecordingProgress[]): StageCounts {
  const counts = { ...EMPTY_COUNTS }
  for (const rec of recordings) for (const stage of rec.stages) counts[stage.status]++
  return counts
}
