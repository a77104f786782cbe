import { z } from 'zod'
import type { RequestMetrics } from '../metrics.js'
import type { ApiServer, RouteContext } from '../route-context.js'

const healthReply = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  db: z.enum(['ok', 'error']),
  queue: z.object({ pending: z.number().int(), running: z.number().int() }),
})

/** `/health` (public: for load balancers and `daemon status`) and `/metrics` (Prometheus text). */
export function registerHealthRoutes(server: ApiServer, ctx: RouteContext, metrics: RequestMetrics): void {
  server.get('/health', { config: { auth: 'public' }, schema: { tags: ['health'], summary: 'Liveness, database and queue', response: { 200: healthReply, 503: healthReply } } }, async (_request, reply) => {
    const health = await (await ctx.app.service('health')).health()
    return reply.code(health.status === 'ok' ? 200 : 503).send({ ...health, version: ctx.options.version ?? 'unknown' })
  })
  server.get('/metrics', { config: { auth: 'public' }, schema: { tags: ['health'], summary: 'Prometheus metrics: requests, latency, tasks, queue wait', hide: false } }, async (_request, reply) => {
    const queue = await (await ctx.app.service('health')).queue()
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(metrics.render(queue))
  })
}
