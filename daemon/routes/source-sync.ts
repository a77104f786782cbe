import { z } from 'zod'
import { accepted, idParams, problems, taskAccepted } from '../schemas.js'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'

/** A Zoom listing range (UTC days); local folders have none. */
const range = {
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
}
const inOrder = (r: { from?: string; to?: string }) => r.from === undefined || r.to === undefined || r.from <= r.to
const IN_ORDER = { message: 'from must not be after to', path: ['from'] }

const syncBody = z.strictObject(range).refine(inOrder, IN_ORDER)
const bulkBody = z.strictObject({ source_ids: z.array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)).min(1).max(100), ...range }).refine(inOrder, IN_ORDER)

const tags = ['sources']

/** POST /sources/{id}/sync and /sources/bulk/sync: queue a sync task (REST-API.md "Input sources"). */
export function registerSourceSyncRoutes(server: ApiServer, ctx: RouteContext): void {
  const sync = () => ctx.app.service('sync')

  server.post(
    '/sources/bulk/sync',
    {
      schema: {
        tags,
        summary: 'Sync several of your sources in one task (every id must be yours, else 404 and nothing is queued)',
        body: bulkBody,
        response: { 202: taskAccepted, ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const { source_ids, from, to } = request.body
      const task = await (await sync()).queue(callerOf(request), { sourceIds: source_ids, from, to })
      return reply.code(202).send(accepted(task.id))
    },
  )

  server.post(
    '/sources/:id/sync',
    {
      schema: {
        tags,
        summary: 'Sync one source in a task (from/to: the Zoom listing range, YYYY-MM-DD)',
        params: idParams,
        body: syncBody.nullish(),
        response: { 202: taskAccepted, ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const task = await (await sync()).queue(callerOf(request), { sourceIds: [request.params.id], from: request.body?.from, to: request.body?.to })
      return reply.code(202).send(accepted(task.id))
    },
  )
}
