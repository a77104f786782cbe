import { z } from 'zod'
import type { PermissionFlag } from '../../src/domain/accounts/index.js'
import type { StageAction } from '../../src/services/recording-actions.js'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'
import { accepted, idParams, jsonObject, problems, taskAccepted } from '../schemas.js'

const platform = z.enum(['youtube', 'vk', 'local'])

/** `recordings process` flags by their API names; the values are checked by the config schema in the service (422). */
export const trimBody = z
  .object({
    silence_threshold: z.number().optional(),
    min_silence_duration: z.number().optional(),
    padding_before: z.number().optional(),
    padding_after: z.number().optional(),
    min_pause: z.number().optional(),
    mode: z.string().max(32).optional(),
  })
  .strict()

export const transcribeBody = z.object({ provider: z.enum(['fireworks', 'openai']).optional(), use_batch_api: z.boolean().optional() }).strict()
const topicsBody = z.object({ granularity: z.enum(['short', 'medium', 'long']), version_id: z.number().int().positive().optional() }).strict()
const subtitlesBody = z.object({ formats: z.array(z.string().max(16)).max(8) }).strict()
const uploadBody = z.object({ preset_id: z.number().int().positive().optional() }).strict()
const fullPipelineBody = z.object({ run_override: jsonObject.optional() }).strict()
const retryBody = z.object({ platforms: z.array(platform).min(1).max(3).optional() }).strict()

const tags = ['recordings']
const response = { 202: taskAccepted, ...problems(400, 401, 403, 404, 409, 422, 429) }

/**
 * POST /recordings/{id}/<action>: each queues one pipeline task for the worker (the stage forced, the run stopped
 * after it) and answers 202 with the task. 409 while the recording has a pending or running task; the start is
 * counted against the caller's plan (429 QUOTA_EXCEEDED, nothing queued).
 */
export function registerRecordingActionRoutes(server: ApiServer, ctx: RouteContext): void {
  const actions = () => ctx.app.service('recordingActions')

  server.post(
    '/recordings/:id/download',
    { schema: { tags, summary: 'Download the recording (again) -> task', params: idParams, body: z.object({}).strict().nullish(), response } },
    async (request, reply) => reply.code(202).send(accepted((await (await actions()).stage(callerOf(request), request.params.id, { kind: 'download' })).id)),
  )

  /** A stage action: one pipeline stage redone with the body's settings. */
  const stageRoute = <B extends z.ZodType>(
    action: string,
    permission: PermissionFlag,
    summary: string,
    body: B,
    toAction: (body: z.output<B>) => StageAction,
  ) =>
    server.post(
      `/recordings/:id/${action}`,
      { config: { auth: { permission } }, schema: { tags, summary, params: idParams, body, response } },
      async (request, reply) => {
        const task = await (await actions()).stage(callerOf(request), request.params.id, toAction(request.body as z.output<B>))
        return reply.code(202).send(accepted(task.id))
      },
    )

  stageRoute('process', 'can_process_video', 'Trim silence (again), with optional settings for this run -> task', trimBody.nullish(), (b) => ({ kind: 'process', trim: b ?? {} }))
  stageRoute('transcribe', 'can_transcribe', 'Transcribe (again), optionally with another provider or the batch API -> task', transcribeBody.nullish(), (b) => ({
    kind: 'transcribe',
    input: b ?? {},
  }))
  stageRoute('topics', 'can_transcribe', 'Extract topics again (a new version; version_id, if given, must be the next version number) -> task', topicsBody, (b) => ({
    kind: 'topics',
    granularity: b.granularity,
    versionId: b.version_id,
  }))
  stageRoute('subtitles', 'can_transcribe', 'Generate subtitle files (again) in these formats -> task', subtitlesBody, (b) => ({
    kind: 'subtitles',
    formats: b.formats as Array<'srt' | 'vtt'>,
  }))

  server.post(
    '/recordings/:id/upload/:platform',
    {
      config: { auth: { permission: 'can_upload' } },
      schema: {
        tags,
        summary: "Publish to one platform now (its presets, or the one named) -> task",
        params: idParams.extend({ platform }),
        body: uploadBody.nullish(),
        response,
      },
    },
    async (request, reply) => {
      const { id, platform: to } = request.params
      const task = await (await actions()).upload(callerOf(request), id, to, request.body?.preset_id)
      return reply.code(202).send(accepted(task.id))
    },
  )

  server.post(
    '/recordings/:id/full-pipeline',
    { schema: { tags, summary: 'Run every stage again (the download is kept) with a per-run override -> task', params: idParams, body: fullPipelineBody.nullish(), response } },
    async (request, reply) => {
      const task = await (await actions()).fullPipeline(callerOf(request), request.params.id, request.body?.run_override)
      return reply.code(202).send(accepted(task.id))
    },
  )

  server.post(
    '/recordings/:id/retry-upload',
    {
      config: { auth: { permission: 'can_upload' } },
      schema: { tags, summary: 'Retry the FAILED uploads (of these platforms); 409 when none failed -> task', params: idParams, body: retryBody.nullish(), response },
    },
    async (request, reply) => {
      const task = await (await actions()).retryUpload(callerOf(request), request.params.id, request.body?.platforms)
      return reply.code(202).send(accepted(task.id))
    },
  )
}
