import { z } from 'zod'
import { RECORDING_STATUSES } from '../../src/domain/status/index.js'
import type { BatchResult, BatchSelection } from '../../src/services/recording-batch.js'
import { toProblem } from '../problem.js'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'
import { problems } from '../schemas.js'
import { transcribeBody, trimBody } from './recording-actions.js'

/** REST-API.md: a batch queues at most 100 recordings (the service caps it too). */
const BATCH_MAX = 100
const ids = z.array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)).min(1).max(BATCH_MAX)
const date = z.string().min(1).max(64)

/** The filters of GET /recordings, as a JSON object (checked again by the recordings service: dates, order). */
const filters = z
  .object({
    status: z.array(z.enum(RECORDING_STATUSES as unknown as [string, ...string[]])).max(20).optional(),
    failed: z.boolean().optional(),
    mapped: z.boolean().optional(),
    template_id: z.number().int().positive().optional(),
    source_id: z.number().int().positive().optional(),
    search: z.string().max(200).optional(),
    from: date.optional(),
    to: date.optional(),
  })
  .strict()
const limit = z.number().int().min(1).max(BATCH_MAX).optional()

/** `{recording_ids}` or `{filters, limit?}` (exactly one), plus the action's settings. */
const selectionBody = <S extends z.ZodType>(settings: S) =>
  z
    .object({ recording_ids: ids.optional(), filters: filters.optional(), limit, settings: settings.optional() })
    .strict()
    .refine((b) => (b.recording_ids === undefined) !== (b.filters === undefined), 'give either recording_ids or filters, not both')

const mappedBody = z.object({ filters: filters.omit({ status: true, mapped: true }).optional(), limit }).strict()

const refusal = z.object({
  recording_id: z.number().int(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string(),
  hint: z.string().optional(),
  /** A QUOTA_EXCEEDED refusal's limit and usage. */
  limit: z.number().optional(),
  usage: z.number().optional(),
})
const batchAccepted = z.object({
  tasks: z.array(z.object({ recording_id: z.number().int(), task_id: z.number().int(), links: z.object({ self: z.string() }) })),
  refused: z.array(refusal),
})

type Filters = z.output<typeof filters>
const toQuery = (f: Partial<Filters> = {}) => ({
  status: f.status,
  failed: f.failed,
  mapped: f.mapped,
  templateId: f.template_id,
  sourceId: f.source_id,
  search: f.search,
  from: f.from,
  to: f.to,
})
const toSelection = (b: { recording_ids?: number[]; filters?: Filters; limit?: number }): BatchSelection =>
  b.recording_ids ? { recordingIds: b.recording_ids } : { filters: toQuery(b.filters), limit: b.limit }

const tags = ['recordings']
const response = { 202: batchAccepted, ...problems(400, 401, 403, 422) }

/**
 * POST /recordings/batch-process, /recordings/batch/transcribe, /recordings/batch/process-mapped: one task per
 * selected recording (at most 100) -> 202 with the tasks and, per recording not queued, the problem it got.
 */
export function registerRecordingBatchRoutes(server: ApiServer, ctx: RouteContext): void {
  const batch = () => ctx.app.service('recordingBatch')

  const reply = (result: BatchResult, request: Parameters<typeof toProblem>[1]) => ({
    tasks: result.tasks.map((t) => ({ recording_id: t.recordingId, task_id: t.taskId, links: { self: `/api/v1/tasks/${t.taskId}` } })),
    refused: result.refused.map(({ recordingId, error }) => {
      const p = toProblem(error, request)
      const { status, code, detail, hint, limit, usage } = p
      return { recording_id: recordingId, status, code, detail, hint, limit: limit as number | undefined, usage: usage as number | undefined }
    }),
  })

  server.post(
    '/recordings/batch-process',
    {
      config: { auth: { permission: 'can_process_video' } },
      schema: { tags, summary: 'Trim silence again for {recording_ids} or {filters} (<= 100) -> tasks', body: selectionBody(trimBody), response },
    },
    async (request, res) => {
      const result = await (await batch()).process(callerOf(request), toSelection(request.body), request.body.settings)
      return res.code(202).send(reply(result, request))
    },
  )

  server.post(
    '/recordings/batch/transcribe',
    {
      config: { auth: { permission: 'can_transcribe' } },
      schema: { tags, summary: 'Transcribe again {recording_ids} or {filters} (<= 100) -> tasks', body: selectionBody(transcribeBody), response },
    },
    async (request, res) => {
      const result = await (await batch()).transcribe(callerOf(request), toSelection(request.body), request.body.settings)
      return res.code(202).send(reply(result, request))
    },
  )

  server.post(
    '/recordings/batch/process-mapped',
    { schema: { tags, summary: 'Run the pipeline of mapped INITIALIZED recordings (filters, limit <= 100) -> tasks', body: mappedBody.nullish(), response } },
    async (request, res) => {
      const result = await (await batch()).processMapped(callerOf(request), toQuery(request.body?.filters), request.body?.limit)
      return res.code(202).send(reply(result, request))
    },
  )
}
