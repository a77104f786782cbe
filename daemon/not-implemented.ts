import { problem, sendProblem } from './problem.js'
import type { ApiServer } from './route-context.js'

/**
 * A route of REST-API.md whose capability is not built yet: it exists (so clients and the OpenAPI document see
 * it) and answers 501 with a problem body saying why, after the usual authentication.
 */
export function notImplemented(server: ApiServer, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, why: string): void {
  server.route({
    method,
    url,
    schema: { tags: ['not implemented'], summary: `Not implemented yet: ${why}` },
    handler: async (request, reply) => sendProblem(reply, problem(501, 'not_implemented', `${method} ${request.routeOptions.url} is not implemented yet: ${why}`)),
  })
}
