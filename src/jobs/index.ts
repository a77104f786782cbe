// The job layer's public surface: durable queue, worker, progress. Built in the composition root, passed down.
export { enqueue, type Enqueued, type EnqueueInput } from './queue.js'
export { isDeadLocalOwner, newLeaseOwner, recoverDeadLocalOwners, recoverFromDeadLocalOwner } from './lease-owner.js'
export { Worker, type IdleReport, type RunUntilIdleOptions, type WorkerOptions } from './worker.js'
export { ProgressBus, type TaskUpdate, type TaskUpdateFilter, type TaskUpdateListener } from './progress-bus.js'
export { TaskProgressRecorder, clampPercent, type ProgressUpdate, type TaskProgressOptions } from './progress.js'
export { backoffDelay, decideAfterFailure, transientInfo, DEFAULT_BACKOFF, type BackoffOptions, type FailureDecision } from './retry-policy.js'
export { parseStoredError, taskFailure, toStoredError, type StoredTaskError } from './task-error.js'
export type { StopReason } from './run-task.js'
export {
  automationJobPayloadSchema,
  pipelinePayloadSchema,
  syncPayloadSchema,
  taskPayloadSchemas,
  taskRegistry,
  type Handler,
  type HandlerContext,
  type HandlersFor,
  type PayloadSchemas,
  type TaskHandler,
  type TaskHandlers,
  type TaskPayload,
  type TaskPayloadInput,
  type TaskRegistry,
  type TaskType,
} from './task-types.js'
