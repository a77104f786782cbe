import { z } from 'zod'
import type { EventSink } from '../domain/events.js'
import type { ProgressUpdate } from './progress.js'

/*
 * The task types the queue knows, each with the zod schema of its payload. A payload is untrusted until parsed:
 * enqueue parses it before storing it, and the worker parses the stored JSON again before the handler sees it
 * (the row may be older than the code, or written by another process).
 */

export const pipelinePayloadSchema = z.strictObject({
  recordingId: z.number().int().positive(),
  /** Stages to run again even when COMPLETED. */
  force: z.array(z.string().min(1)).optional(),
  /** The run-override config layer; the pipeline validates it with the config schema. */
  runOverride: z.unknown().optional(),
  dryRun: z.boolean().optional(),
  /** Stop after this stage (e.g. `recordings process` stops after PROCESS). */
  stopAfter: z.enum(['DOWNLOAD', 'PROCESS', 'TRANSCRIBE', 'EXTRACT_TOPICS', 'GENERATE_SUBTITLES']).optional(),
  /** Publish only these targets (`recordings upload --preset`, `recordings retry-upload`). */
  targets: z
    .strictObject({
      presetIds: z.array(z.number().int().positive()).optional(),
      platforms: z.array(z.enum(['youtube', 'vk', 'local'])).optional(),
      failedOnly: z.boolean().optional(),
    })
    .optional(),
})

export const syncPayloadSchema = z
  .strictObject({
    /** Sync only these sources; all active sources when absent. */
    sourceIds: z.array(z.number().int().positive()).optional(),
    /** Only this meeting of the one Zoom source named (a `recording.completed` webhook queues it). */
    zoomMeetingUuid: z.string().min(1).max(256).optional(),
    /** Zoom listing range (YYYY-MM-DD, UTC) instead of the source's config or the default window. */
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
  })
  .refine((p) => p.zoomMeetingUuid === undefined || p.sourceIds?.length === 1, 'zoomMeetingUuid needs exactly one source id')
  .refine((p) => p.from === undefined || p.to === undefined || p.from <= p.to, 'from must not be after to')

/** One run of an automation job, queued by the scheduler (dedupe key `job:<id>:<scheduledFor>`). */
export const automationJobPayloadSchema = z.strictObject({
  jobId: z.number().int().positive(),
  /** The schedule's time this run is for (ISO, UTC); null for a run started by hand. */
  scheduledFor: z.iso.datetime().nullable(),
  /** Plan only (POST /automation/jobs/{id}/run {dry_run: true}): the plan is the task's result; nothing is written. */
  dryRun: z.boolean().optional(),
})

export const taskPayloadSchemas = {
  pipeline: pipelinePayloadSchema,
  sync: syncPayloadSchema,
  automation_job: automationJobPayloadSchema,
} as const

export type PayloadSchemas = Readonly<Record<string, z.ZodType>>
export type TaskType = keyof typeof taskPayloadSchemas
export type TaskPayload<K extends TaskType> = z.output<(typeof taskPayloadSchemas)[K]>
/** What `enqueue` accepts for a task type (before its schema's defaults). */
export type TaskPayloadInput<K extends TaskType> = z.input<(typeof taskPayloadSchemas)[K]>

/** What a handler gets for one attempt of one task. */
export interface HandlerContext<P> {
  readonly userId: number
  readonly taskId: number
  /** 1 for the first attempt. */
  readonly attempt: number
  readonly maxAttempts: number
  readonly payload: P
  /** Aborted when the user cancels, the worker shuts down or the lease is lost: stop and clean up. */
  readonly signal: AbortSignal
  /** Service events (stages, sync results, logs), persisted and streamed by the job layer. */
  readonly onEvent: EventSink
  /** The task's overall progress; cheap to call often (persisted at most once a second). */
  readonly reportProgress: (update: ProgressUpdate) => void
}

/** Runs one attempt; the resolved value (JSON) becomes the task's result. Throw to fail or retry (retry-policy.ts). */
export type Handler<P> = (ctx: HandlerContext<P>) => Promise<unknown>

/** One handler per schema: leaving a type out is a compile error. */
export type HandlersFor<S extends PayloadSchemas> = { [K in keyof S]: Handler<z.output<S[K]>> }

export type TaskHandler<K extends TaskType> = Handler<TaskPayload<K>>
export type TaskHandlers = HandlersFor<typeof taskPayloadSchemas>

/** Schemas and handlers for the worker, checked against each other once, at the composition root. */
export interface TaskRegistry {
  readonly schemas: PayloadSchemas
  readonly handlers: Readonly<Record<string, Handler<any>>>
}

export function taskRegistry<S extends PayloadSchemas>(schemas: S, handlers: HandlersFor<S>): TaskRegistry {
  return { schemas, handlers: handlers as Record<string, Handler<any>> }
}
