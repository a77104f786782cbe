import { z } from 'zod'
import { STAGE_TYPES, type StageType } from '../../src/domain/status/index.js'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'
import { accepted, idParams, jsonObject, problems, taskAccepted } from '../schemas.js'

const stage = z.enum(STAGE_TYPES as unknown as [string, ...string[]])

const runBody = z
  .object({
    force: z.array(z.union([stage, z.literal('UPLOAD')])).max(6).optional(),
    stop_after: stage.optional(),
    run_override: jsonObject.optional(),
  })
  .strict()

/**
 * POST /recordings/{id}/run: queue the recording's pipeline (resumes from the first unfinished stage). The start
 * is counted against the caller's plan before the task exists: over the allowance it is a 429 QUOTA_EXCEEDED
 * problem with the limit and the usage, and nothing is queued.
 */
export function registerRecordingRunRoutes(server: ApiServer, ctx: RouteContext): void {
  server.post(
    '/recordings/:id/run',
    {
      schema: {
        tags: ['recordings'],
        summary: 'Run the pipeline of a recording (resume from the first unfinished stage) -> task',
        params: idParams,
        body: runBody.nullish(),
        response: { 202: taskAccepted, ...problems(400, 401, 404, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const body = request.body ?? {}
      const task = await (await ctx.app.service('recordings')).queueRun(callerOf(request), request.params.id, {
        force: body.force as Array<StageType | 'UPLOAD'> | undefined,
        stopAfter: body.stop_after as StageType | undefined,
        runOverride: body.run_override,
      })
      return reply.code(202).send(accepted(task.id))
    },
  )
}
