/**
 * Every recording status, in pipeline order; PENDING_SOURCE, SKIPPED and EXPIRED sit outside the pipeline.
 * PENDING_SOURCE: the source still prepares the media (Zoom is processing the meeting's files); a later sync
 * moves it to INITIALIZED (matched) or SKIPPED.
 */
export const RECORDING_STATUSES = [
  'PENDING_SOURCE',
  'INITIALIZED',
  'SKIPPED',
  'DOWNLOADING',
  'DOWNLOADED',
  'PROCESSING',
  'PROCESSED',
  'TRANSCRIBING',
  'TRANSCRIBED',
  'UPLOADING',
  'UPLOADED',
  'READY',
  'EXPIRED',
] as const
export type RecordingStatus = (typeof RECORDING_STATUSES)[number]

/** The pipeline, in order. A recording moves along it; SKIPPED and EXPIRED are off it. */
export const PIPELINE_STATUSES = [
  'INITIALIZED',
  'DOWNLOADING',
  'DOWNLOADED',
  'PROCESSING',
  'PROCESSED',
  'TRANSCRIBING',
  'TRANSCRIBED',
  'UPLOADING',
  'UPLOADED',
  'READY',
] as const satisfies readonly RecordingStatus[]
export type PipelineStatus = (typeof PIPELINE_STATUSES)[number]

/** Statuses that are only true while work runs; they are persisted, and a failure rolls them back. */
export const RUNTIME_STATUSES = ['DOWNLOADING', 'PROCESSING', 'TRANSCRIBING', 'UPLOADING'] as const satisfies readonly PipelineStatus[]
export type RuntimeStatus = (typeof RUNTIME_STATUSES)[number]

/** Statuses a recording can rest in. */
export const STABLE_STATUSES = [
  'INITIALIZED',
  'DOWNLOADED',
  'PROCESSED',
  'TRANSCRIBED',
  'UPLOADED',
  'READY',
] as const satisfies readonly PipelineStatus[]
export type StableStatus = (typeof STABLE_STATUSES)[number]

/** What the recording row stores beside its stages and targets: matched, not matched, or media cleaned up. */
export const BASE_STATUSES = ['PENDING_SOURCE', 'INITIALIZED', 'SKIPPED', 'EXPIRED'] as const satisfies readonly RecordingStatus[]
export type BaseStatus = (typeof BASE_STATUSES)[number]

/** Processing stages, in the order a run executes them. */
export const STAGE_TYPES = ['DOWNLOAD', 'PROCESS', 'TRANSCRIBE', 'EXTRACT_TOPICS', 'GENERATE_SUBTITLES'] as const
export type StageType = (typeof STAGE_TYPES)[number]

export const STAGE_STATUSES = ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'SKIPPED'] as const
export type StageStatus = (typeof STAGE_STATUSES)[number]

export const TARGET_STATUSES = ['NOT_UPLOADED', 'UPLOADING', 'UPLOADED', 'FAILED'] as const
export type TargetStatus = (typeof TARGET_STATUSES)[number]

/** The failed_stage value a failed output target gives its recording. */
export const UPLOAD_FAILED_STAGE = 'UPLOAD'

const includes = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value)

export const isRecordingStatus = (value: string): value is RecordingStatus => includes(RECORDING_STATUSES, value)
export const isRuntimeStatus = (value: string): value is RuntimeStatus => includes(RUNTIME_STATUSES, value)
export const isPipelineStatus = (value: string): value is PipelineStatus => includes(PIPELINE_STATUSES, value)
export const isStageType = (value: string): value is StageType => includes(STAGE_TYPES, value)
