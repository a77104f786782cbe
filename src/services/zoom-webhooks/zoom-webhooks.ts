import type { z } from 'zod'
import type { Source } from '../../db/index.js'
import { RecflowError, usageError } from '../../domain/errors.js'
import { formatZodError } from '../../domain/format-zod-error.js'
import {
  anyWebhookEventSchema,
  recordingCompletedEventSchema,
  urlValidationEventSchema,
  type RecordingCompletedEvent,
} from '../../domain/zoom/webhook-event.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { listAll } from '../paging.js'
import { saveDownloadToken } from './download-token.js'
import { checkZoomSignature, urlValidationAnswer } from './webhook-signature.js'
import { webhookSecretTokens } from './webhook-secrets.js'

/** One delivery as the HTTP layer received it: its headers and the body's exact bytes. */
export interface ZoomWebhookRequest {
  headers: Record<string, string | string[] | undefined>
  rawBody: string | Uint8Array
}

export interface QueuedMeetingSync {
  taskId: number
  sourceId: number
  /** False when a sync of this meeting was already queued (the same task is reused). */
  created: boolean
}

/** What to answer Zoom (always 200 with `body`), and what was done. */
export type ZoomWebhookResult =
  | { event: 'endpoint.url_validation'; body: { plainToken: string; encryptedToken: string } }
  | { event: 'recording.completed'; body: { ok: true }; meetingUuid: string; queued: QueuedMeetingSync[]; note?: string }
  | { event: string; body: { ok: true }; ignored: true }

const header = (headers: ZoomWebhookRequest['headers'], name: string): string | undefined => {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name)
  const value = key === undefined ? undefined : headers[key]
  return Array.isArray(value) ? value[0] : value
}

const SECRET_HINT = 'store the Zoom app\'s secret token: `recflow credentials add zoom-webhook`'

/**
 * Whether a Zoom source would list this meeting: every source of the account unless its `users` (or `user_id`)
 * names others than `me` and neither the host's email nor id is among them.
 */
function coversHost(source: Source, meeting: RecordingCompletedEvent['payload']['object']): boolean {
  const config = (source.config ?? {}) as { users?: unknown; user_id?: unknown }
  const users = Array.isArray(config.users) ? config.users : typeof config.user_id === 'string' ? [config.user_id] : []
  if (users.length === 0) return true
  const wanted = users.filter((u): u is string => typeof u === 'string').map((u) => u.toLowerCase())
  if (wanted.includes('me')) return true
  return [meeting.host_email, meeting.host_id].some((h) => typeof h === 'string' && wanted.includes(h.toLowerCase()))
}

/**
 * Zoom's webhooks (API-CONTRACTS.md §A.8), for the route the daemon mounts. Every delivery is checked first: the
 * `x-zm-signature` (v0, HMAC-SHA256 of "v0:{timestamp}:{raw body}") must match one of the user's stored secret
 * tokens and the timestamp be within 5 minutes; only then is the body parsed. That includes
 * `endpoint.url_validation`: answering an unsigned one would make the endpoint an HMAC oracle (a "plain token"
 * shaped like "v0:{ts}:{body}" would come back as a valid signature for that body). A refused delivery changes
 * nothing. `recording.completed` queues a sync of just that meeting on each Zoom source that covers its host,
 * its download_token kept in the secret store for the download; polling stays the source of truth, so a missed
 * or refused event costs only time.
 */
export function zoomWebhooksService(deps: ServiceDeps) {
  return {
    async receive(user: UserRef, req: ZoomWebhookRequest): Promise<ZoomWebhookResult> {
      const secrets = await webhookSecretTokens(deps, user)
      if (secrets.length === 0) throw new RecflowError('auth', 'Zoom webhook refused: no Zoom webhook secret token is stored', { hint: SECRET_HINT })
      const check = checkZoomSignature(
        secrets,
        { timestamp: header(req.headers, 'x-zm-request-timestamp'), signature: header(req.headers, 'x-zm-signature'), rawBody: req.rawBody },
        deps.clock.now(),
      )
      if (!check.ok) throw new RecflowError('auth', `Zoom webhook refused: ${check.reason}`, { hint: `check the secret token, or ${SECRET_HINT}` })

      let body: unknown
      try {
        body = JSON.parse(typeof req.rawBody === 'string' ? req.rawBody : Buffer.from(req.rawBody).toString('utf8'))
      } catch {
        throw usageError('Zoom webhook refused: the body is not JSON')
      }
      const parse = <S extends z.ZodType>(schema: S): z.output<S> => {
        const r = schema.safeParse(body)
        if (!r.success) throw usageError(`Zoom webhook refused: ${formatZodError(r.error, 'event')}`)
        return r.data
      }
      const { event } = parse(anyWebhookEventSchema)

      if (event === 'endpoint.url_validation') {
        const { payload } = parse(urlValidationEventSchema)
        return { event, body: urlValidationAnswer(check.secret, payload.plainToken) }
      }
      if (event !== 'recording.completed') {
        deps.logger.debug('ignored a Zoom webhook event', { event })
        return { event, body: { ok: true }, ignored: true }
      }

      const completed = parse(recordingCompletedEventSchema)
      const meeting = completed.payload.object
      const scope = deps.scopes.forUser(user.id)
      const sources = (await listAll((page) => scope.sources.list({ platform: 'zoom', activeOnly: true }, page))).filter((s) => coversHost(s, meeting))
      if (sources.length === 0) {
        return { event, body: { ok: true }, meetingUuid: meeting.uuid, queued: [], note: 'no active Zoom source covers this meeting\'s host' }
      }
      if (completed.download_token !== undefined) await saveDownloadToken(deps, user, meeting.uuid, completed.download_token)
      const queued: QueuedMeetingSync[] = []
      for (const source of sources) {
        const task = await deps.queue.enqueue(user.id, {
          type: 'sync',
          payload: { sourceIds: [source.id], zoomMeetingUuid: meeting.uuid },
          // Zoom retries a delivery it thinks failed: one pending sync per source and meeting.
          dedupeKey: `zoom-meeting:${source.id}:${meeting.uuid}`,
        })
        queued.push({ taskId: task.task.id, sourceId: source.id, created: task.created })
      }
      deps.logger.info('queued a sync of one Zoom meeting from a webhook', { sources: sources.map((s) => s.id), tasks: queued.map((q) => q.taskId) })
      return { event, body: { ok: true }, meetingUuid: meeting.uuid, queued }
    },
  }
}

export type ZoomWebhooksService = ReturnType<typeof zoomWebhooksService>
