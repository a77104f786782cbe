import { RecflowError } from '../errors.js'
import {
  STAGE_STATUSES,
  STAGE_TYPES,
  TARGET_STATUSES,
  UPLOAD_FAILED_STAGE,
  type BaseStatus,
  type RecordingStatus,
  type StageStatus,
  type StageType,
  type StableStatus,
  type TargetStatus,
} from './statuses.js'

export interface StageState {
  type: StageType
  status: StageStatus
}

export interface TargetState {
  status: TargetStatus
}

export interface DerivedStatus {
  status: RecordingStatus
  failed: boolean
  /** The earliest failed stage, or 'UPLOAD' for a failed output target. */
  failedStage?: StageType | typeof UPLOAD_FAILED_STAGE
}

const RUNTIME_OF: Record<StageType, RecordingStatus> = {
  DOWNLOAD: 'DOWNLOADING',
  PROCESS: 'PROCESSING',
  TRANSCRIBE: 'TRANSCRIBING',
  EXTRACT_TOPICS: 'TRANSCRIBING',
  GENERATE_SUBTITLES: 'TRANSCRIBING',
}

// The stable status reached when every stage before this one is done.
const STABLE_BEFORE: Record<StageType, StableStatus> = {
  DOWNLOAD: 'INITIALIZED',
  PROCESS: 'DOWNLOADED',
  TRANSCRIBE: 'PROCESSED',
  EXTRACT_TOPICS: 'PROCESSED',
  GENERATE_SUBTITLES: 'PROCESSED',
}

const isDone = (status: StageStatus | undefined) => status === 'COMPLETED' || status === 'SKIPPED'

function stageStatusByType(stages: readonly StageState[]): Map<StageType, StageStatus> {
  const byType = new Map<StageType, StageStatus>()
  for (const stage of stages) {
    if (!STAGE_TYPES.includes(stage.type)) throw new RecflowError('internal', `unknown stage type ${String(stage.type)}`)
    if (!STAGE_STATUSES.includes(stage.status)) throw new RecflowError('internal', `unknown stage status ${String(stage.status)}`)
    if (byType.has(stage.type)) throw new RecflowError('internal', `two ${stage.type} stages for one recording`)
    byType.set(stage.type, stage.status)
  }
  return byType
}

/**
 * The recording status, derived from the status stored on the row (`base`), its processing stages and its
 * output targets. Rules, first match wins:
 *
 * | #  | condition                                              | status                                    | failed                 |
 * |----|--------------------------------------------------------|-------------------------------------------|------------------------|
 * | 1  | base is PENDING_SOURCE, SKIPPED or EXPIRED             | base (terminal, stages are ignored)       | no                     |
 * | 2  | a stage is IN_PROGRESS                                 | DOWNLOADING / PROCESSING / TRANSCRIBING    | no                     |
 * |    |                                                        | of the earliest one (TRANSCRIBE, EXTRACT_ |                        |
 * |    |                                                        | TOPICS, GENERATE_SUBTITLES: TRANSCRIBING) |                        |
 * | 3  | a target is UPLOADING                                  | UPLOADING                                 | no                     |
 * | 4  | a stage FAILED                                         | stable                                    | yes, the earliest one  |
 * | 5  | a stage is not done (PENDING, or has no row)           | stable                                    | no                     |
 * | 6  | a target FAILED                                        | UPLOADED if a target is UPLOADED, else    | yes, 'UPLOAD'          |
 * |    |                                                        | TRANSCRIBED                               |                        |
 * | 7  | no targets                                             | READY                                     | no                     |
 * | 8  | every target UPLOADED                                  | READY                                     | no                     |
 * | 9  | some targets UPLOADED                                  | UPLOADED                                  | no                     |
 * | 10 | no target uploaded yet (all NOT_UPLOADED)              | TRANSCRIBED                               | no                     |
 *
 * "stable" is where the unbroken run of done stages (COMPLETED or SKIPPED, in STAGE_TYPES order) ends: before
 * DOWNLOAD -> INITIALIZED, before PROCESS -> DOWNLOADED, before any of the three transcription stages ->
 * PROCESSED, after all five -> TRANSCRIBED. A stage without a row has not run: the pipeline writes SKIPPED
 * (with a skip_reason) for the stages a run leaves out, so "done" is always recorded, never assumed.
 * While anything is in progress the recording is not failed: a retry clears the flag when it starts.
 */
export function deriveRecordingStatus(input: {
  base: BaseStatus
  stages: readonly StageState[]
  targets: readonly TargetState[]
}): DerivedStatus {
  if (input.base === 'PENDING_SOURCE' || input.base === 'SKIPPED' || input.base === 'EXPIRED') return { status: input.base, failed: false }
  const byType = stageStatusByType(input.stages)
  for (const target of input.targets) {
    if (!TARGET_STATUSES.includes(target.status)) throw new RecflowError('internal', `unknown target status ${String(target.status)}`)
  }

  const running = STAGE_TYPES.find((t) => byType.get(t) === 'IN_PROGRESS')
  if (running !== undefined) return { status: RUNTIME_OF[running], failed: false }
  if (input.targets.some((t) => t.status === 'UPLOADING')) return { status: 'UPLOADING', failed: false }

  const firstNotDone = STAGE_TYPES.find((t) => !isDone(byType.get(t)))
  const stable: StableStatus = firstNotDone === undefined ? 'TRANSCRIBED' : STABLE_BEFORE[firstNotDone]
  const failedStage = STAGE_TYPES.find((t) => byType.get(t) === 'FAILED')
  if (failedStage !== undefined) return { status: stable, failed: true, failedStage }
  if (firstNotDone !== undefined) return { status: stable, failed: false }

  const uploaded = input.targets.filter((t) => t.status === 'UPLOADED').length
  if (input.targets.some((t) => t.status === 'FAILED')) {
    return { status: uploaded > 0 ? 'UPLOADED' : 'TRANSCRIBED', failed: true, failedStage: UPLOAD_FAILED_STAGE }
  }
  if (input.targets.length === 0 || uploaded === input.targets.length) return { status: 'READY', failed: false }
  return { status: uploaded > 0 ? 'UPLOADED' : 'TRANSCRIBED', failed: false }
}

/**
 * The first stage of `order` (the run's plan) that still has to run: not COMPLETED or SKIPPED, including a
 * stage left IN_PROGRESS by a crashed worker and one without a row. null when the run has nothing left to do.
 */
export function nextStageToRun(stages: readonly StageState[], order: readonly StageType[] = STAGE_TYPES): StageType | null {
  const byType = stageStatusByType(stages)
  return order.find((t) => !isDone(byType.get(t))) ?? null
}
