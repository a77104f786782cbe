import { z } from 'zod'
import { idParams, isoTime, jsonObject, pageOf, pageQuery, problems, queryFlag, storedJson, toApiPage } from '../schemas.js'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'

const source = z.object({
  id: z.number().int(),
  name: z.string(),
  platform: z.enum(['zoom', 'local']),
  credential_id: z.number().int().nullable(),
  config: storedJson,
  is_active: z.boolean(),
  last_synced_at: isoTime.nullable(),
  created_at: isoTime,
  updated_at: isoTime,
})

const tags = ['sources']

/** /sources: the caller's input sources (REST-API.md "Input sources"). */
export function registerSourceRoutes(server: ApiServer, ctx: RouteContext): void {
  const sources = () => ctx.app.service('sources')

  server.get(
    '/sources',
    { schema: { tags, summary: 'List your input sources', querystring: pageQuery.extend({ active_only: queryFlag.optional() }), response: { 200: pageOf(source), ...problems(400, 401) } } },
    async (request) => {
      const { limit, cursor, active_only } = request.query
      return toApiPage(await (await sources()).list(callerOf(request), { limit, cursor, activeOnly: active_only }))
    },
  )

  server.get('/sources/:id', { schema: { tags, summary: 'One input source', params: idParams, response: { 200: source, ...problems(400, 401, 404) } } }, async (request) =>
    (await sources()).get(callerOf(request), request.params.id),
  )

  server.post(
    '/sources',
    { schema: { tags, summary: 'Add an input source', body: jsonObject, response: { 201: source, ...problems(400, 401, 404, 409, 422) } } },
    async (request, reply) => reply.code(201).send(await (await sources()).create(callerOf(request), request.body)),
  )

  server.patch(
    '/sources/:id',
    { schema: { tags, summary: 'Change an input source', params: idParams, body: jsonObject, response: { 200: source, ...problems(400, 401, 404, 409, 422) } } },
    async (request) => (await sources()).update(callerOf(request), request.params.id, request.body),
  )

  server.delete(
    '/sources/:id',
    {
      schema: {
        tags,
        summary: 'Remove an input source (refused while templates, recordings or automation jobs use it, unless force=true)',
        params: idParams,
        querystring: z.object({ force: queryFlag.optional() }),
        response: { 200: z.object({ id: z.number().int(), removed: z.literal(true) }).catchall(z.unknown()), ...problems(400, 401, 404, 409) },
      },
    },
    async (request) => (await sources()).remove(callerOf(request), request.params.id, { force: request.query.force }),
  )
}
