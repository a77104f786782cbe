import type { z } from 'zod'
import { forUser, type Executor, type Task } from '../db/index.js'
import { usageError } from '../domain/errors.js'
import { formatZodError } from '../domain/resources/index.js'
import { taskPayloadSchemas, type PayloadSchemas, type TaskType } from './task-types.js'

export interface EnqueueInput<T extends string = string, P = unknown> {
  type: T
  payload: P
  /** At most one unfinished task per user and key: enqueueing again returns the existing task. */
  dedupeKey?: string
  recordingId?: number
  /** Not before this time; default now. */
  runAt?: Date | string
  /** Attempts including the first; default 3. */
  maxAttempts?: number
  /** Higher runs first; default 0. */
  priority?: number
}

export interface Enqueued {
  task: Task
  /** False when an unfinished task with the same dedupe key was returned instead. */
  created: boolean
}

const MAX_ATTEMPTS_LIMIT = 100

/** Validates the payload with its type's schema, then stores the task (or finds the one holding the dedupe key). */
export function enqueue<K extends TaskType>(
  db: Executor,
  userId: number,
  input: EnqueueInput<K, z.input<(typeof taskPayloadSchemas)[K]>>,
): Promise<Enqueued>
/** With another set of task types (tests, plugins). */
export function enqueue(db: Executor, userId: number, input: EnqueueInput, schemas: PayloadSchemas): Promise<Enqueued>
export async function enqueue(
  db: Executor,
  userId: number,
  input: EnqueueInput,
  schemas: PayloadSchemas = taskPayloadSchemas,
): Promise<Enqueued> {
  const schema = Object.hasOwn(schemas, input.type) ? schemas[input.type] : undefined
  if (schema === undefined) {
    throw usageError(`unknown task type "${input.type}"`, `use one of ${Object.keys(schemas).join(', ')}`)
  }
  const parsed = schema.safeParse(input.payload, { reportInput: true })
  if (!parsed.success) {
    throw usageError(`invalid ${input.type} task payload: ${formatZodError(parsed.error, 'payload')}`)
  }
  if (input.maxAttempts !== undefined && !(Number.isInteger(input.maxAttempts) && input.maxAttempts >= 1 && input.maxAttempts <= MAX_ATTEMPTS_LIMIT)) {
    throw usageError(`maxAttempts must be an integer from 1 to ${MAX_ATTEMPTS_LIMIT}, got ${input.maxAttempts}`)
  }
  if (input.priority !== undefined && !Number.isSafeInteger(input.priority)) {
    throw usageError(`priority must be an integer, got ${input.priority}`)
  }
  if (input.dedupeKey !== undefined && input.dedupeKey.trim() === '') {
    throw usageError('a dedupe key must not be empty', 'leave it out to allow duplicates')
  }
  return forUser(db, userId).tasks.create({
    type: input.type,
    payload: parsed.data,
    dedupe_key: input.dedupeKey,
    recording_id: input.recordingId,
    run_at: input.runAt,
    max_attempts: input.maxAttempts,
    priority: input.priority,
  })
}
