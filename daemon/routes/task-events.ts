import { z } from 'zod'
import { isRecflowError } from '../../src/domain/errors.js'
import { idParams, problems } from '../schemas.js'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'
import { taskEventHub } from '../task-event-hub.js'

const HEARTBEAT_MS = 15_000
const POLL_MS = 250

const lastEventId = z.object({ 'last-event-id': z.string().regex(/^\d{1,15}$/).optional() })

const frame = (event: string, data: unknown, id?: number) => `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`

/**
 * GET /tasks/{id}/events: Server-Sent Events of a task's progress. Each task_events row is one `progress` event
 * (its id is the SSE id, so a reconnect with Last-Event-ID resumes after it); a comment every 15 s keeps proxies
 * from closing the stream; an `end` event with the final state closes it. Ownership is checked before streaming
 * (another user's task is a 404 problem, like every other route).
 */
export function registerTaskEventRoutes(server: ApiServer, ctx: RouteContext): void {
  const hub = taskEventHub(() => ctx.app.service('tasks'), { intervalMs: POLL_MS })
  server.get(
    '/tasks/:id/events',
    { schema: { tags: ['tasks'], summary: 'Server-Sent Events of a task (progress events, then `end`); honours Last-Event-ID', params: idParams, headers: lastEventId, response: problems(400, 401, 404) } },
    async (request, reply) => {
      const user = callerOf(request)
      const tasks = await ctx.app.service('tasks')
      await tasks.get(user, request.params.id)
      const after = Number(request.headers['last-event-id'] ?? 0)
      const raw = reply.raw
      reply.hijack()
      raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' })
      raw.write(': stream of task events\n\n')
      const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), HEARTBEAT_MS)
      try {
        await new Promise<void>((resolve) => {
          const unfollow = hub.follow(user, request.params.id, {
            after,
            onEvents: (events) => {
              for (const e of events) raw.write(frame('progress', { kind: e.kind, progress: e.progress, stage: e.stage, message: e.message, at: e.at }, e.id))
            },
            onEnd: (outcome) => {
              if ('task' in outcome) raw.write(frame('end', { state: outcome.task.state, progress: outcome.task.progress, error: outcome.task.error ?? null }))
              // The task went away mid-stream, or the database failed: say so without internals.
              else raw.write(frame('end', { state: 'unknown', error: isRecflowError(outcome.error) ? outcome.error.message : 'the task could not be read' }))
              resolve()
            },
          })
          raw.on('close', () => {
            unfollow()
            resolve()
          })
        })
      } finally {
        clearInterval(heartbeat)
        raw.end()
      }
    },
  )
}
