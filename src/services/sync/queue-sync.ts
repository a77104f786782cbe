import type { Task } from '../../db/index.js'
import { RecflowError } from '../../domain/errors.js'
import type { ServiceDeps, UserRef } from '../context.js'

export interface QueueSyncInput {
  /** The caller's sources to sync (at least one). */
  sourceIds: number[]
  /** Zoom listing range, YYYY-MM-DD (UTC). */
  from?: string
  to?: string
}

/**
 * Queues one `sync` task for the caller's sources (the daemon's worker runs it as `recflow sync ID...` would).
 * Every id must be one of the caller's sources: otherwise not_found listing the ids that are not (another user's
 * source is indistinguishable from none), and nothing is queued. The same sync still queued is returned, not doubled.
 */
export async function queueSync(deps: ServiceDeps, user: UserRef, input: QueueSyncInput): Promise<Task> {
  const ids = [...new Set(input.sourceIds)].sort((a, b) => a - b)
  if (ids.length === 0) throw new RecflowError('usage', 'name at least one source to sync', { hint: 'run `recflow sources list` to see your sources' })
  const scope = deps.scopes.forUser(user.id)
  const missing: number[] = []
  for (const id of ids) if ((await scope.sources.get(id)) === undefined) missing.push(id)
  if (missing.length > 0) {
    throw new RecflowError('not_found', `${missing.length === 1 ? 'source' : 'sources'} ${missing.join(', ')} not found`, {
      hint: 'run `recflow sources list` to see your sources',
      details: { source_ids: missing },
    })
  }
  const range = { ...(input.from !== undefined ? { from: input.from } : {}), ...(input.to !== undefined ? { to: input.to } : {}) }
  const { task } = await deps.queue.enqueue(user.id, {
    type: 'sync',
    payload: { sourceIds: ids, ...range },
    dedupeKey: `sync:${ids.join(',')}:${range.from ?? ''}:${range.to ?? ''}`,
  })
  return task
}
