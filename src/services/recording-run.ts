import type { Task } from '../db/index.js'
import { validatePartialConfig, type PartialConfig } from '../domain/config/index.js'
import { noopSink } from '../domain/events.js'
import type { StageType } from '../domain/status/index.js'
import type { ServiceDeps, UserRef } from './context.js'
import { enqueuePipeline } from './enqueue-pipeline.js'

export interface QueueRunInput {
  force?: Array<StageType | 'UPLOAD'>
  runOverride?: PartialConfig
  stopAfter?: StageType
}

/**
 * Queues a recording's pipeline without running it (the daemon's worker runs the task). The start is counted
 * against the user's plan first (a refusal queues nothing); a task already queued for the recording with the same
 * settings is returned instead of a second one, one with other settings that another process runs is a conflict.
 */
export async function queueRecordingRun(deps: ServiceDeps, user: UserRef, recordingId: number, input: QueueRunInput): Promise<Task> {
  const runOverride = input.runOverride ? validatePartialConfig(input.runOverride, 'run settings') : undefined
  return enqueuePipeline(deps, user, { recordingId, force: input.force, runOverride, stopAfter: input.stopAfter }, { exclusive: true, emit: noopSink })
}
