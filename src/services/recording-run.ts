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
 * against the user's plan first (a refusal queues nothing); while the recording has a pending or running task,
 * another run is a conflict naming it (REST-API.md: 409), decided by the enqueue itself so that two concurrent
 * requests cannot both be accepted.
 */
export async function queueRecordingRun(deps: ServiceDeps, user: UserRef, recordingId: number, input: QueueRunInput): Promise<Task> {
  const runOverride = input.runOverride ? validatePartialConfig(input.runOverride, 'run settings') : undefined
  return enqueuePipeline(deps, user, { recordingId, force: input.force, runOverride, stopAfter: input.stopAfter }, { exclusive: true, emit: noopSink, refuseHeld: true })
}
