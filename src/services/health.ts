import type { QueueCounts } from '../db/index.js'

export type { QueueCounts }
import type { ServiceDeps } from './context.js'

export interface Health {
  status: 'ok' | 'degraded'
  db: 'ok' | 'error'
  queue: { pending: number; running: number }
}

/** The daemon's /health and the queue half of /metrics: cheap aggregate reads, cross-tenant by design. */
export function healthService({ scopes, clock, logger }: ServiceDeps) {
  const queue = (): Promise<QueueCounts> => {
    const now = clock.now()
    return scopes.system().stats.queue(now, new Date(now.getTime() - 3600_000))
  }
  return {
    queue,
    async health(): Promise<Health> {
      try {
        const counts = await queue()
        return { status: 'ok', db: 'ok', queue: { pending: counts.tasksByState.pending ?? 0, running: counts.tasksByState.running ?? 0 } }
      } catch (e) {
        logger.error('health check could not read the database', { error: e instanceof Error ? e.message : String(e) })
        return { status: 'degraded', db: 'error', queue: { pending: 0, running: 0 } }
      }
    },
  }
}

export type HealthService = ReturnType<typeof healthService>
