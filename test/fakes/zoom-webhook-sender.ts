import crypto from 'node:crypto'

/*
 * Zoom's side of a webhook (API-CONTRACTS.md §A.8): builds the JSON bodies Zoom posts and signs them as Zoom
 * does, with its own HMAC code (nothing imported from src/, so the fake checks the service rather than agreeing
 * with it). A delivery is the headers and the exact body bytes; `post` sends one to a URL once the daemon mounts
 * the route, and tests of the service hand it to `receive` directly.
 */

export interface ZoomDelivery {
  headers: Record<string, string>
  rawBody: string
}

export interface ZoomMeetingObject {
  uuid: string
  id: number
  host_id?: string
  host_email?: string
  topic?: string
  start_time?: string
  recording_files?: object[]
}

export interface ZoomWebhookSender {
  /** A delivery signed with the sender's secret at `now` (or the given unix-seconds timestamp). */
  deliver(body: unknown, opts?: { timestamp?: number; secret?: string }): ZoomDelivery
  /** The CRC challenge Zoom sends when the endpoint is saved and every 72 h. */
  urlValidation(plainToken?: string, opts?: { timestamp?: number; secret?: string }): ZoomDelivery & { plainToken: string }
  /** `recording.completed` for a meeting, with a download_token (given, or a random one). */
  recordingCompleted(meeting: ZoomMeetingObject, opts?: { downloadToken?: string | null; timestamp?: number; secret?: string }): ZoomDelivery & { downloadToken: string | null }
  /** What Zoom expects back from url_validation, computed independently. */
  expectedEncryptedToken(plainToken: string): string
  post(url: string, delivery: ZoomDelivery): Promise<Response>
}

export function zoomWebhookSender(secret: string, now: () => Date = () => new Date()): ZoomWebhookSender {
  const sign = (key: string, ts: number, body: string) => `v0=${crypto.createHmac('sha256', key).update(`v0:${ts}:${body}`).digest('hex')}`
  const deliver: ZoomWebhookSender['deliver'] = (body, opts = {}) => {
    const rawBody = typeof body === 'string' ? body : JSON.stringify(body)
    const ts = opts.timestamp ?? Math.floor(now().getTime() / 1000)
    return {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'x-zm-request-timestamp': String(ts),
        'x-zm-signature': sign(opts.secret ?? secret, ts, rawBody),
        'user-agent': 'Zoom Marketplace/1.0a',
      },
      rawBody,
    }
  }
  return {
    deliver,
    urlValidation(plainToken = crypto.randomBytes(16).toString('base64url').slice(0, 22), opts = {}) {
      const body = { payload: { plainToken }, event_ts: now().getTime(), event: 'endpoint.url_validation' }
      return { ...deliver(body, opts), plainToken }
    },
    recordingCompleted(meeting, opts = {}) {
      const downloadToken = opts.downloadToken === undefined ? `dl-${crypto.randomBytes(24).toString('base64url')}` : opts.downloadToken
      const body = {
        event: 'recording.completed',
        event_ts: now().getTime(),
        ...(downloadToken === null ? {} : { download_token: downloadToken }),
        payload: { account_id: 'acct-fake', object: { account_id: 'acct-fake', type: 2, timezone: 'UTC', duration: 60, ...meeting } },
      }
      return { ...deliver(body, opts), downloadToken }
    },
    expectedEncryptedToken: (plainToken) => crypto.createHmac('sha256', secret).update(plainToken).digest('hex'),
    post: (url, delivery) => fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.rawBody }),
  }
}
