import { z } from 'zod'
import { idParams, isoTime, pageOf, pageQuery, problems, queryList, storedJson, toApiPage } from '../schemas.js'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'
import { registerTaskEventRoutes } from './task-events.js'


export const taskSchema = z.object({
  id: z.number().int(),
  type: z.string(),
  state: z.string(),
  progress: z.number(),
  stage: z.string().nullable(),
  message: z.string().nullable(),
  recording_id: z.number().int().nullable(),
  attempts: z.number().int(),
  max_attempts: z.number().int(),
  cancel_requested: z.boolean(),
  result: storedJson,
  error: storedJson,
  run_at: isoTime,
  started_at: isoTime.nullable(),
  finished_at: isoTime.nullable(),
  created_at: isoTime,
  updated_at: isoTime,
})

const taskEvent = z.object({
  id: z.number().int(),
  at: isoTime,
  kind: z.string(),
  progress: z.number().nullable(),
  stage: z.string().nullable(),
  message: z.string().nullable(),
  data: storedJson,
})

const tags = ['tasks']

/** /tasks: the caller's queued, running and finished tasks (REST-API.md "Tasks and health"). */
export function registerTaskRoutes(server: ApiServer, ctx: RouteContext): void {
  const tasks = () => ctx.app.service('tasks')

  server.get(
    '/tasks',
    {
      schema: {
        tags,
        summary: 'List your tasks, newest first',
        querystring: pageQuery.extend({ state: queryList.optional(), type: z.string().min(1).max(64).optional(), recording_id: idParams.shape.id.optional() }),
        response: { 200: pageOf(taskSchema), ...problems(400, 401) },
      },
    },
    async (request) => {
      const { limit, cursor, state, type, recording_id } = request.query
      return toApiPage(await (await tasks()).list(callerOf(request), { state, type, recordingId: recording_id, limit, cursor }))
    },
  )

  server.get(
    '/tasks/:id',
    { schema: { tags, summary: 'One task with its latest events', params: idParams, response: { 200: taskSchema.extend({ events: z.array(taskEvent) }), ...problems(400, 401, 404) } } },
    async (request) => {
      const { task, events } = await (await tasks()).get(callerOf(request), request.params.id)
      return { ...task, events }
    },
  )

  server.delete(
    '/tasks/:id',
    {
      schema: {
        tags,
        summary: 'Cancel a task: at once if pending, at its next heartbeat if running (409 once finished)',
        params: idParams,
        response: { 200: z.object({ outcome: z.enum(['cancelled', 'cancel_requested']), task: taskSchema }), ...problems(400, 401, 404, 409) },
      },
    },
    async (request) => (await tasks()).cancel(callerOf(request), request.params.id),
  )

  registerTaskEventRoutes(server, ctx)
}
