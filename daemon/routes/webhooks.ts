import { z } from 'zod'
import type { ApiServer, RouteContext } from '../route-context.js'
import { problems } from '../schemas.js'

/**
 * POST /webhooks/zoom?user_id=N: Zoom's deliveries for one user (the Zoom app's endpoint URL names them), checked
 * against that user's stored webhook secret tokens by src/services/zoom-webhooks. The body is kept as its exact
 * bytes (a re-serialised body would not verify), so this module parses JSON bodies as text in its own scope.
 */
export function registerWebhookRoutes(server: ApiServer, ctx: RouteContext): void {
  void server.register(async (scope) => {
    scope.removeContentTypeParser('application/json')
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 256 * 1024 }, (_request, body, done) => done(null, body))
    ;(scope as ApiServer).post(
      '/webhooks/zoom',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['webhooks'],
          summary: "Zoom's webhook: endpoint.url_validation answered, recording.completed queues a sync of that meeting (signature checked)",
          querystring: z.object({ user_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
          response: { 200: z.record(z.string(), z.unknown()), ...problems(400, 401) },
        },
      },
      async (request) => {
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
        const user = { id: request.query.user_id, timezone: 'UTC' }
        return (await (await ctx.app.service('zoomWebhooks')).receive(user, { headers: request.headers, rawBody })).body
      },
    )
  })
}
