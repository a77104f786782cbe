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
import { syncZoomSource } from './sync-zoom-source.js'
import { accessToken } from '../credentials/oauth-tokens.js'
import { providerFailure } from '../provider-error.js'
import { emptyCounts, type SourceSyncSummary, type SyncResult } from './summary.js'
import { queueSync, type QueueSyncInput } from './queue-sync.js'

export interface SyncInput {
  sourceIds?: number[]
  /** Names or ids as a person types them (`recflow sync lectures 3`). */
  sources?: string[]
  /** Only this meeting, of the one Zoom source named (a `recording.completed` webhook queues such a sync). */
  zoomMeetingUuid?: string
  /** The Zoom listing range (YYYY-MM-DD) instead of the source's own; local folders have no range (ignored). */
  from?: string
  to?: string
  /**
   * Named sources too: one that cannot be synced is reported in its summary and the others go on, as without
   * names (`recflow sync a b`). Without it a named source's failure is the caller's error (a queued sync task
   * fails, and so does `recflow sync a`, with that source's own error).
   */
  keepGoing?: boolean
}

/**
 * `recflow sync [SOURCE...]`. Without sources: every active source; one that cannot be synced (a missing
 * folder, a Zoom credential that needs signing in again) is reported in its summary and the others go on. Named sources: each must exist (else
 * not_found before anything is written) and any failure is the command's error, unless `keepGoing`. Cancellation stops after the
 * file in hand; what was synced until then stays.
 */
export function syncService(deps: ServiceDeps) {
  return {
    async sync(user: UserRef, input: SyncInput = {}, control: RunControl = {}): Promise<SyncResult> {
      const scope = deps.scopes.forUser(user.id)
      const onEvent = control.onEvent ?? noopSink
      const explicit = (input.sourceIds?.length ?? 0) + (input.sources?.length ?? 0) > 0
      const sources = explicit ? await resolveSourceRefs(scope, input) : await listAll((page) => scope.sources.list({ activeOnly: true }, page))
      // Compiled when first needed: a Zoom re-sync with nothing new never matches anything (500 templates' patterns
      // cost most of a second to compile). Local sources take it up front, as before.
      let matcher: ReturnType<typeof loadMatcher> | undefined
      const loadMatch = () => (matcher ??= loadMatcher(scope))

      const results: SourceSyncSummary[] = []
      for (const source of sources) {
        throwIfCancelled(control.signal)
        const ctx: IngestContext & { emitProgress: (s: SourceSyncSummary, total: number) => void } = {
          scope,
          tools: () => deps.media.tools(),
          match: source.platform === 'local' ? await loadMatch() : () => null,
          timezone: user.timezone,
          now: () => deps.clock.now(),
          signal: control.signal,
          deferProbe: true,
          warn: (message, recordingId) => onEvent({ type: 'log', level: 'warn', message, ...(recordingId !== undefined ? { recordingId } : {}) }),
          emitProgress: (s, total) =>
            onEvent({ type: 'sync', sourceId: s.sourceId, sourceName: s.name, found: s.found, total, created: s.created, changed: s.changed, vanished: s.vanished }),
        }
        results.push(await syncOne(deps, user, ctx, loadMatch, source, explicit, input))
      }
      return { sources: results }
    },

    /** Queues the sync of these sources as a task for the worker (the daemon's POST /sources/{id}/sync). */
    queue: (user: UserRef, input: QueueSyncInput) => queueSync(deps, user, input),
  }
}

async function syncOne(
  deps: ServiceDeps,
  user: UserRef,
  ctx: IngestContext & { emitProgress: (s: SourceSyncSummary, total: number) => void },
  loadMatch: () => Promise<IngestContext['match']>,
  source: Source,
  explicit: boolean,
  input: SyncInput,
): Promise<SourceSyncSummary> {
  const base = { sourceId: source.id, name: source.name, platform: source.platform, ...emptyCounts() }
  try {
    if (source.platform === 'zoom') return await syncZoom(deps, user, ctx, loadMatch, source, input)
    return await syncLocalSource(ctx, source)
  } catch (e) {
    const error = providerFailure(e)
    if ((explicit && !input.keepGoing) || !isRecflowError(error) || error.code === 'cancelled' || error.code === 'internal') throw error
    ctx.warn(`${source.name}: ${error.message}`)
    return { ...base, status: 'error', error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } }
  }
}

async function syncZoom(
  deps: ServiceDeps,
  user: UserRef,
  ctx: IngestContext & { emitProgress: (s: SourceSyncSummary, total: number) => void },
  loadMatch: () => Promise<IngestContext['match']>,
  source: Source,
  { zoomMeetingUuid: meetingUuid, from, to }: SyncInput,
): Promise<SourceSyncSummary> {
  if (source.credential_id === null) {
    throw new RecflowError('auth', `Zoom source "${source.name}" has no credential`, { hint: `run \`recflow sources edit ${source.id} --credential ID\`` })
  }
  const credentialId = source.credential_id
  const getToken = ({ forceRefresh }: { forceRefresh: boolean }) => accessToken(deps, user, credentialId, 'zoom', { forceRefresh, signal: ctx.signal })
  const client = await deps.sources.zoom({ accessToken: getToken, credentialId })
  const range = { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }
  return syncZoomSource(
    { scope: ctx.scope, matcher: loadMatch, now: ctx.now, signal: ctx.signal, warn: ctx.warn, emitProgress: ctx.emitProgress, client, range },
    source,
    meetingUuid === undefined ? undefined : { meetingUuid },
  )
}


export type SyncService = ReturnType<typeof syncService>
