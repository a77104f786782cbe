export {
  BASE_STATUSES,
  isPipelineStatus,
  isRecordingStatus,
  isRuntimeStatus,
  isStageType,
  PIPELINE_STATUSES,
  RECORDING_STATUSES,
  RUNTIME_STATUSES,
  STABLE_STATUSES,
  STAGE_STATUSES,
  STAGE_TYPES,
  TARGET_STATUSES,
  UPLOAD_FAILED_STAGE,
} from './statuses.js'
export type {
  BaseStatus,
  PipelineStatus,
  RecordingStatus,
  RuntimeStatus,
  StableStatus,
  StageStatus,
  StageType,
  TargetStatus,
} from './statuses.js'
export { assertTransition, canTransition, stableStatusBefore } from './transitions.js'
export { deriveRecordingStatus, nextStageToRun } from './derive-status.js'
export type { DerivedStatus, StageState, TargetState } from './derive-status.js'
