import { resolveSourceRefs } from '../sources.js'
import type { Source, UserScope } from '../../db/index.js'
import { isRecflowError, RecflowError } from '../../domain/errors.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { noopSink, type RunControl } from '../../domain/events.js'
import { listAll } from '../paging.js'
import { throwIfCancelled } from './cancellation.js'
import type { IngestContext } from './ingest-file.js'
import { loadMatcher } from './load-matcher.js'
import { syncLocalSource } from './sync-local-source.js'
import { emptyCounts, type SourceSyncSummary, type SyncResult } from './summary.js'

export interface SyncInput {
  sourceIds?: number[]
  /** Names or ids as a person types them (`recflow sync lectures 3`). */
  sources?: string[]
}

export const ZOOM_NOT_YET = 'syncing Zoom arrives with the Zoom issue'

/**
 * `recflow sync [SOURCE...]`. Without sources: every active source; one that cannot be synced (a Zoom source,
 * a missing folder) is reported in its summary and the others go on. Named sources: each must exist (else
 * not_found before anything is written) and any failure is the command's error. Cancellation stops after the
 * file in hand; what was synced until then stays.
 */
export function syncService(deps: ServiceDeps) {
  return {
    async sync(user: UserRef, input: SyncInput = {}, control: RunControl = {}): Promise<SyncResult> {
      const scope = deps.scopes.forUser(user.id)
      const onEvent = control.onEvent ?? noopSink
      const explicit = (input.sourceIds?.length ?? 0) + (input.sources?.length ?? 0) > 0
      const sources = explicit ? await resolveSourceRefs(scope, input) : await listAll((page) => scope.sources.list({ activeOnly: true }, page))
      const match = await loadMatcher(scope)

      const results: SourceSyncSummary[] = []
      for (const source of sources) {
        throwIfCancelled(control.signal)
        const ctx: IngestContext & { emitProgress: (s: SourceSyncSummary, total: number) => void } = {
          scope,
          tools: () => deps.media.tools(),
          match,
          timezone: user.timezone,
          now: () => deps.clock.now(),
          signal: control.signal,
          deferProbe: true,
          warn: (message, recordingId) => onEvent({ type: 'log', level: 'warn', message, ...(recordingId !== undefined ? { recordingId } : {}) }),
          emitProgress: (s, total) =>
            onEvent({ type: 'sync', sourceId: s.sourceId, sourceName: s.name, found: s.found, total, created: s.created, changed: s.changed, vanished: s.vanished }),
        }
        results.push(await syncOne(ctx, source, explicit))
      }
      return { sources: results }
    },
  }
}

async function syncOne(
  ctx: IngestContext & { emitProgress: (s: SourceSyncSummary, total: number) => void },
  source: Source,
  explicit: boolean,
): Promise<SourceSyncSummary> {
  const base = { sourceId: source.id, name: source.name, platform: source.platform, ...emptyCounts() }
  if (source.platform !== 'local') {
    if (explicit) {
      throw new RecflowError('validation', `source "${source.name}" is a ${source.platform} source: ${ZOOM_NOT_YET}`, {
        hint: 'local folder sources sync now: `recflow sync` syncs all of them',
      })
    }
    ctx.warn(`${source.name}: skipped, ${ZOOM_NOT_YET}`)
    return { ...base, status: 'skipped', message: ZOOM_NOT_YET }
  }
  try {
    return await syncLocalSource(ctx, source)
  } catch (e) {
    if (explicit || !isRecflowError(e) || e.code === 'cancelled' || e.code === 'internal') throw e
    ctx.warn(`${source.name}: ${e.message}`)
    return { ...base, status: 'error', error: { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) } }
  }
}

export type SyncService = ReturnType<typeof syncService>
