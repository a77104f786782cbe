import type { Task } from '../db/index.js'
import { isRecflowError, type RecflowError } from '../domain/errors.js'
import type { ServiceDeps, UserRef } from './context.js'
import { recordingActionsService, type TranscribeInput, type TrimInput } from './recording-actions.js'
import { recordingsService, type RecordingQuery } from './recordings.js'

/** The most recordings one batch request queues. */
export const BATCH_MAX = 100

/** Which recordings: these ids (the caller's; another user's is refused as not found), or the first `limit` matching `filters`. */
export type BatchSelection = { recordingIds: number[] } | { filters: Omit<RecordingQuery, 'limit' | 'cursor'>; limit?: number }

export interface BatchResult {
  tasks: Array<{ recordingId: number; taskId: number }>
  /** Recordings not queued, each with why (not found, a task already pending, over the plan, ...). */
  refused: Array<{ recordingId: number; error: RecflowError }>
}

/**
 * Batch actions (the daemon's POST /recordings/batch-process, batch/transcribe, batch/process-mapped): the
 * single-recording actions of recording-actions.ts, one per selected recording, in order. A refusal (a user
 * error) is recorded for its recording and the batch goes on; anything else stops it.
 */
export function recordingBatchService(deps: ServiceDeps) {
  const actions = recordingActionsService(deps)
  const recordings = recordingsService(deps)

  async function select(user: UserRef, selection: BatchSelection): Promise<number[]> {
    if ('recordingIds' in selection) return [...new Set(selection.recordingIds)].slice(0, BATCH_MAX)
    const page = await recordings.list(user, { ...selection.filters, limit: Math.min(selection.limit ?? BATCH_MAX, BATCH_MAX) })
    return page.items.map((r) => r.id)
  }

  async function each(user: UserRef, ids: number[], queue: (id: number) => Promise<Task>): Promise<BatchResult> {
    const result: BatchResult = { tasks: [], refused: [] }
    for (const recordingId of ids) {
      try {
        result.tasks.push({ recordingId, taskId: (await queue(recordingId)).id })
      } catch (e) {
        if (!isRecflowError(e) || e.code === 'internal') throw e
        result.refused.push({ recordingId, error: e })
      }
    }
    return result
  }

  return {
    /** Trim each selected recording again (the same settings for all). */
    async process(user: UserRef, selection: BatchSelection, trim: TrimInput = {}): Promise<BatchResult> {
      return each(user, await select(user, selection), (id) => actions.stage(user, id, { kind: 'process', trim }))
    },

    /** Transcribe each selected recording again. */
    async transcribe(user: UserRef, selection: BatchSelection, input: TranscribeInput = {}): Promise<BatchResult> {
      return each(user, await select(user, selection), (id) => actions.stage(user, id, { kind: 'transcribe', input }))
    },

    /** Run the pipeline of mapped recordings that never started (INITIALIZED, a template bound), oldest filter first. */
    async processMapped(user: UserRef, filters: Omit<RecordingQuery, 'limit' | 'cursor' | 'status' | 'mapped'>, limit?: number): Promise<BatchResult> {
      const ids = await select(user, { filters: { ...filters, status: ['INITIALIZED'], mapped: true }, limit })
      return each(user, ids, (id) => actions.run(user, id))
    },
  }
}

export type RecordingBatchService = ReturnType<typeof recordingBatchService>
