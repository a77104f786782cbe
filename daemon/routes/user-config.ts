import { z } from 'zod'
import { jsonObject, problems, storedJson } from '../schemas.js'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'

/** The effective config (defaults < the user's layer), the layer as stored, and the layer each value came from. */
const configView = z.object({ config: storedJson, stored: storedJson, sources: z.record(z.string(), z.string()) })

const tags = ['users']

/** /users/me/config: the caller's config layer (REST-API.md "Users"), the same service as `recflow config`. */
export function registerUserConfigRoutes(server: ApiServer, ctx: RouteContext): void {
  const config = () => ctx.app.service('config')

  server.get(
    '/users/me/config',
    { schema: { tags, summary: 'Your config: effective values, your stored layer and where each value comes from', response: { 200: configView, ...problems(401, 422) } } },
    async (request) => (await config()).layers(callerOf(request)),
  )

  server.patch(
    '/users/me/config',
    {
      schema: {
        tags,
        summary: 'Merge a partial config into your layer (objects merge, null removes a key); validated by the config schema (422 names the fields)',
        body: jsonObject,
        response: { 200: configView, ...problems(400, 401, 404, 422) },
      },
    },
    async (request) => (await config()).patch(callerOf(request), request.body),
  )

  server.post(
    '/users/me/config/reset',
    { schema: { tags, summary: 'Drop your whole layer: back to the built-in defaults', response: { 200: configView, ...problems(401) } } },
    async (request) => {
      const user = callerOf(request)
      const service = await config()
      await service.reset(user)
      return service.layers(user)
    },
  )
}
