import crypto from 'node:crypto'
import { authorizationKey, jsonResponse, startFakeServer, type FakeRequest, type FakeResponse, type FakeServer } from './fake-http.js'

/*
 * The Zoom REST API (API-CONTRACTS.md §A.3–A.5, A.7, A.9), strictly, for the recordings a sync lists:
 * - Bearer tokens only; an unknown or expired token gets 401 {code:124}. Tokens are those the fake was given
 *   (`acceptToken`) or, with `accepts`, whatever another fake (the OAuth one) has issued.
 * - `GET /v2/users/{userId}/recordings`: `me`, a user id or an email (else 404/1001); `from`/`to` as yyyy-mm-dd
 *   (defaults: today, from + 1 day); a range longer than one month is refused with 300 (the contract leaves open
 *   whether Zoom refuses or clips: refusing is the stricter and catches a client that does not split windows);
 *   page_size 1..300 (default 30); `next_page_token` is bound to its query and expires after 15 minutes
 *   (`pageTokenTtlMs`, or `expirePageTokens()`); an empty string when there are no more pages.
 * - `GET /v2/meetings/{meetingId}/recordings`: a meeting number or UUID; a UUID that starts with `/` or contains
 *   `//` must arrive double-encoded (single-encoded: 404/3301, as a strict Zoom does).
 * - `DELETE /v2/meetings/{meetingId}/recordings[/{fileId}]?action=trash|delete` → 204; trashed recordings are
 *   listed with `trash=true` only.
 * - `GET /v2/users/me` (the account name a sign-in looks up).
 * - 429 + Retry-After and other faults through `inject` (fake-http.ts).
 * download_url fields point at `downloadBaseUrl` (the storage fake's host, else this server's /rec/download).
 */

// Type aliases, not interfaces: they are assignable to Record<string, unknown> (a webhook payload's shape).
export type ZoomRecordingFile = {
  id: string
  meeting_id: string
  recording_start: string
  recording_end: string
  file_type: string
  file_extension: string
  file_size: number
  play_url: string
  download_url: string
  status: 'completed' | 'processing'
  recording_type: string
}

export type ZoomMeeting = {
  uuid: string
  id: number
  account_id: string
  host_id: string
  topic: string
  type: number
  start_time: string
  duration: number
  total_size: number
  recording_count: number
  share_url: string
  recording_files: ZoomRecordingFile[]
  /** Set when the meeting's recordings are in the trash. */
  deleted_time?: string
}

export interface ZoomUser {
  id: string
  email: string
  first_name?: string
  last_name?: string
}

export interface ZoomApiFakeOptions {
  /** Tokens accepted from the start (default ['zoom-test-token']). */
  tokens?: string[]
  /** Decides instead of the token list (e.g. the OAuth fake's issued tokens). */
  accepts?: (token: string) => boolean
  /** Users of the account; the first is `me` (default one user, ZOOM_ME). */
  users?: ZoomUser[]
  /** Lifetime of a next_page_token (default 15 minutes). */
  pageTokenTtlMs?: number
  /** Base of download_url (default `${url}/rec/download`). */
  downloadBaseUrl?: string
  /** "Today" for the from/to defaults (default the real date). */
  today?: () => Date
}

export interface ZoomApiFake extends FakeServer {
  /** Adds meetings to a user's cloud recordings (`me` or an id/email); download_urls are filled in. */
  addMeetings(user: string, meetings: ZoomMeeting[]): void
  /** A meeting by uuid (to change its files' status, e.g. processing → completed). */
  meeting(uuid: string): ZoomMeeting | undefined
  acceptToken(token: string): void
  /** The token now answers 401/124 (expired or revoked). */
  expireToken(token: string): void
  /** Every next_page_token issued so far is expired. */
  expirePageTokens(): void
  /** Recording listings answered (200), with their query, in order. */
  readonly listings: Array<{ user: string; from: string; to: string; pageSize: number; pageToken: string | null; returned: number }>
  /** Meetings and files moved to the trash or deleted, in order. */
  readonly deletions: Array<{ meetingUuid: string; fileId: string | null; action: 'trash' | 'delete' }>
}

export const ZOOM_TEST_TOKEN = 'zoom-test-token'
export const ZOOM_ME: ZoomUser = { id: 'KDcuGIm1QgePTO8WbOqwIQ', email: 'lecturer@example.edu', first_name: 'Ada', last_name: 'Lovelace' }
const ACCOUNT_ID = 'D8cJuqWVQ623CI4Q8yQK0Q'

export function zoomError(status: number, code: number, message: string, headers: Record<string, string> = {}): FakeResponse {
  return jsonResponse(status, { code, message }, headers)
}

/** The answer Zoom gives when the rate limit is exceeded (inject it: `fake.inject('GET /v2/users', zoomRateLimited(2))`). */
export function zoomRateLimited(retryAfterS: number): FakeResponse {
  return zoomError(429, 429, "You have reached the maximum per-second rate limit for this API. Try again later.", { 'Retry-After': String(retryAfterS) })
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

function parseDate(s: string): Date | undefined {
  if (!DATE.test(s)) return undefined
  const d = new Date(`${s}T00:00:00Z`)
  return Number.isNaN(d.getTime()) || !d.toISOString().startsWith(s) ? undefined : d
}

const ymd = (d: Date) => d.toISOString().slice(0, 10)

function addMonth(d: Date): Date {
  const next = new Date(d)
  next.setUTCMonth(next.getUTCMonth() + 1)
  return next
}

/**
 * A meeting path segment as Zoom reads it: decoded once, and again when that still holds escapes (a double-
 * encoded UUID). `strictOk` is false for a slash UUID that arrived encoded only once.
 */
export function decodeMeetingId(segment: string): { id: string; strictOk: boolean } {
  const once = decodeURIComponent(segment)
  if (/%2F|%3D|%2B/i.test(once)) return { id: decodeURIComponent(once), strictOk: true }
  const needsDouble = once.startsWith('/') || once.includes('//')
  return { id: once, strictOk: !needsDouble }
}

interface PageCursor {
  user: string
  from: string
  to: string
  pageSize: number
  trash: boolean
  offset: number
  expiresAt: number
}

export async function startZoomApiFake(opts: ZoomApiFakeOptions = {}): Promise<ZoomApiFake> {
  const tokens = new Set(opts.tokens ?? [ZOOM_TEST_TOKEN])
  const expired = new Set<string>()
  const users = opts.users ?? [ZOOM_ME]
  const meetingsByUser = new Map<string, ZoomMeeting[]>(users.map((u) => [u.id, []]))
  const byUuid = new Map<string, { user: string; meeting: ZoomMeeting }>()
  const cursors = new Map<string, PageCursor>()
  const ttl = opts.pageTokenTtlMs ?? 15 * 60_000
  const listings: ZoomApiFake['listings'] = []
  const deletions: ZoomApiFake['deletions'] = []
  const today = opts.today ?? (() => new Date())
  let downloadBase = opts.downloadBaseUrl ?? ''

  const sorted = new Map<string, ZoomMeeting[]>()
  const newestFirst = (userId: string): ZoomMeeting[] => {
    let list = sorted.get(userId)
    if (list === undefined) {
      list = [...(meetingsByUser.get(userId) ?? [])].sort((a, b) => (a.start_time < b.start_time ? 1 : a.start_time > b.start_time ? -1 : 0))
      sorted.set(userId, list)
    }
    return list
  }

  const authorized = (req: FakeRequest): boolean => {
    const token = authorizationKey(req)
    if (token === undefined || expired.has(token)) return false
    return opts.accepts ? opts.accepts(token) : tokens.has(token)
  }
  const unauthorized = () => zoomError(401, 124, 'Invalid access token.')

  const findUser = (userId: string): ZoomUser | undefined =>
    userId === 'me' ? users[0] : users.find((u) => u.id === userId || u.email.toLowerCase() === userId.toLowerCase())

  const listRecordings = (req: FakeRequest, userId: string): FakeResponse => {
    const user = findUser(userId)
    if (!user) return zoomError(404, 1001, `User ${userId} not exist or not belong to this account.`)
    const q = req.query
    const pageToken = q.get('next_page_token') || null
    let cursor: PageCursor
    if (pageToken !== null) {
      const found = cursors.get(pageToken)
      if (!found || found.expiresAt <= Date.now()) return zoomError(400, 300, 'The next page token is invalid or expired.')
      if (found.user !== user.id) return zoomError(400, 300, 'The next page token is invalid or expired.')
      cursor = found
    } else {
      const sizeText = q.get('page_size')
      const pageSize = sizeText === null ? 30 : Number(sizeText)
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 300) {
        return jsonResponse(400, { code: 300, message: 'Validation Failed.', errors: [{ field: 'page_size', message: 'must be between 1 and 300' }] })
      }
      const fromText = q.get('from') ?? ymd(today())
      const from = parseDate(fromText)
      if (!from) return jsonResponse(400, { code: 300, message: 'Validation Failed.', errors: [{ field: 'from', message: 'Invalid date format, expected yyyy-MM-dd' }] })
      const toText = q.get('to') ?? ymd(new Date(from.getTime() + 86_400_000))
      const to = parseDate(toText)
      if (!to) return jsonResponse(400, { code: 300, message: 'Validation Failed.', errors: [{ field: 'to', message: 'Invalid date format, expected yyyy-MM-dd' }] })
      if (to < from) return zoomError(400, 300, 'The "to" date must not be earlier than the "from" date.')
      if (to > addMonth(from)) return zoomError(400, 300, 'The date range cannot be longer than one month.')
      cursor = { user: user.id, from: fromText, to: toText, pageSize, trash: q.get('trash') === 'true', offset: 0, expiresAt: 0 }
    }
    // Newest first, as Zoom lists them (sorted once per change, not per request: the benchmark lists 10,000).
    const all = newestFirst(user.id).filter((m) =>
      cursor.trash ? m.deleted_time !== undefined : m.deleted_time === undefined && inRange(m.start_time, cursor.from, cursor.to),
    )
    const page = all.slice(cursor.offset, cursor.offset + cursor.pageSize)
    const nextOffset = cursor.offset + page.length
    let next = ''
    if (nextOffset < all.length) {
      next = crypto.randomBytes(16).toString('base64url')
      cursors.set(next, { ...cursor, offset: nextOffset, expiresAt: Date.now() + ttl })
    }
    listings.push({ user: user.id, from: cursor.from, to: cursor.to, pageSize: cursor.pageSize, pageToken, returned: page.length })
    return jsonResponse(200, {
      from: cursor.from,
      to: cursor.to,
      page_count: Math.max(1, Math.ceil(all.length / cursor.pageSize)),
      page_size: cursor.pageSize,
      total_records: all.length,
      next_page_token: next,
      meetings: page,
    })
  }

  const meetingFor = (segment: string): { meeting?: ZoomMeeting; error?: FakeResponse } => {
    const { id, strictOk } = decodeMeetingId(segment)
    if (!strictOk) return { error: zoomError(404, 3301, 'This recording does not exist.') }
    const byId = byUuid.get(id)?.meeting ?? [...byUuid.values()].find((e) => String(e.meeting.id) === id)?.meeting
    if (!byId) return { error: zoomError(404, 3301, 'This recording does not exist.') }
    return { meeting: byId }
  }

  const server = await startFakeServer(
    [
      {
        method: 'GET',
        path: /^\/v2\/users\/[^/]+\/recordings$/,
        handler: (req) => (authorized(req) ? listRecordings(req, decodeURIComponent(req.path.split('/')[3] as string)) : unauthorized()),
      },
      {
        method: 'GET',
        path: /^\/v2\/users\/[^/]+$/,
        handler: (req) => {
          if (!authorized(req)) return unauthorized()
          const userId = decodeURIComponent(req.path.split('/')[3] as string)
          const user = findUser(userId)
          if (!user) return zoomError(404, 1001, `User ${userId} not exist or not belong to this account.`)
          return jsonResponse(200, { ...user, account_id: ACCOUNT_ID, type: 2, status: 'active' })
        },
      },
      {
        method: 'GET',
        path: /^\/v2\/meetings\/[^/]+\/recordings$/,
        handler: (req) => {
          if (!authorized(req)) return unauthorized()
          const { meeting, error } = meetingFor(req.path.split('/')[3] as string)
          if (!meeting || meeting.deleted_time !== undefined) return error ?? zoomError(404, 3301, 'This recording does not exist.')
          const extra = req.query.get('include_fields') === 'download_access_token' ? { download_access_token: crypto.randomBytes(12).toString('hex') } : {}
          return jsonResponse(200, { ...meeting, ...extra, password: '', recording_play_passcode: '' })
        },
      },
      {
        method: 'DELETE',
        path: /^\/v2\/meetings\/[^/]+\/recordings(\/[^/]+)?$/,
        handler: (req) => {
          if (!authorized(req)) return unauthorized()
          const parts = req.path.split('/')
          const { meeting, error } = meetingFor(parts[3] as string)
          if (!meeting) return error as FakeResponse
          const action = req.query.get('action') ?? 'trash'
          if (action !== 'trash' && action !== 'delete') return jsonResponse(400, { code: 300, message: 'Validation Failed.', errors: [{ field: 'action', message: 'must be trash or delete' }] })
          const fileId = parts[5] === undefined ? null : decodeURIComponent(parts[5])
          if (fileId !== null && !meeting.recording_files.some((f) => f.id === fileId)) return zoomError(404, 3301, 'This recording does not exist.')
          deletions.push({ meetingUuid: meeting.uuid, fileId, action })
          if (fileId !== null) {
            meeting.recording_files = meeting.recording_files.filter((f) => f.id !== fileId)
            meeting.recording_count = meeting.recording_files.length
          } else if (action === 'trash') meeting.deleted_time = new Date().toISOString()
          else {
            const owner = byUuid.get(meeting.uuid)?.user as string
            meetingsByUser.set(owner, (meetingsByUser.get(owner) ?? []).filter((m) => m !== meeting))
            sorted.delete(owner)
            byUuid.delete(meeting.uuid)
          }
          return { status: 204 }
        },
      },
    ],
    { notFound: () => zoomError(404, 404, 'Not found') },
  )
  if (downloadBase === '') downloadBase = `${server.url}/rec/download`

  return {
    ...server,
    get url() {
      return server.url
    },
    get requests() {
      return server.requests
    },
    listings,
    deletions,
    addMeetings(userRef, meetings) {
      const user = findUser(userRef)
      if (!user) throw new Error(`no fake Zoom user ${userRef}`)
      const list = meetingsByUser.get(user.id) as ZoomMeeting[]
      sorted.delete(user.id)
      for (const m of meetings) {
        for (const f of m.recording_files) if (f.download_url === '') f.download_url = `${downloadBase}/${encodeURIComponent(f.id)}`
        list.push(m)
        byUuid.set(m.uuid, { user: user.id, meeting: m })
      }
    },
    meeting: (uuid) => byUuid.get(uuid)?.meeting,
    acceptToken: (t) => {
      tokens.add(t)
      expired.delete(t)
    },
    expireToken: (t) => {
      expired.add(t)
    },
    expirePageTokens: () => {
      for (const c of cursors.values()) c.expiresAt = 0
    },
  }
}

function inRange(startTime: string, from: string, to: string): boolean {
  const day = startTime.slice(0, 10)
  return day >= from && day <= to
}

/** What a test says about a meeting's files; each becomes a recording file of that kind. */
export type FileKind =
  | 'shared_screen_with_speaker_view'
  | 'active_speaker'
  | 'gallery_view'
  | 'shared_screen'
  | 'audio_only'
  | 'audio_transcript'
  | 'chat_file'
  | 'timeline'

const KIND_TYPES: Record<FileKind, { file_type: string; file_extension: string }> = {
  shared_screen_with_speaker_view: { file_type: 'MP4', file_extension: 'MP4' },
  active_speaker: { file_type: 'MP4', file_extension: 'MP4' },
  gallery_view: { file_type: 'MP4', file_extension: 'MP4' },
  shared_screen: { file_type: 'MP4', file_extension: 'MP4' },
  audio_only: { file_type: 'M4A', file_extension: 'M4A' },
  audio_transcript: { file_type: 'TRANSCRIPT', file_extension: 'VTT' },
  chat_file: { file_type: 'CHAT', file_extension: 'TXT' },
  timeline: { file_type: 'TIMELINE', file_extension: 'JSON' },
}

let meetingSeq = 0

/**
 * A meeting as Zoom lists it (download_url filled by `addMeetings`). Deterministic from `seed` when given, so a
 * benchmark's 10,000 meetings are the same every run.
 */
export function zoomMeeting(input: {
  topic: string
  startTime: string
  durationMin?: number
  uuid?: string
  id?: number
  files?: Array<FileKind | { kind: FileKind; status?: 'completed' | 'processing'; size?: number }>
  seed?: number
}): ZoomMeeting {
  const n = input.seed ?? ++meetingSeq
  const uuid = input.uuid ?? `${Buffer.from(`meeting-${n}-uuid`).toString('base64').slice(0, 22)}==`
  const id = input.id ?? 80_000_000_000 + n
  const durationMin = input.durationMin ?? 45
  const start = new Date(input.startTime)
  const end = new Date(start.getTime() + durationMin * 60_000)
  const files = (input.files ?? ['shared_screen_with_speaker_view', 'audio_only', 'audio_transcript']).map((f, i): ZoomRecordingFile => {
    const spec = typeof f === 'string' ? { kind: f } : f
    const types = KIND_TYPES[spec.kind]
    const fileId = `${n.toString(16).padStart(8, '0')}-f${i}-4c6e-9b1a-${(n * 7919 + i).toString(16).padStart(12, '0')}`
    return {
      id: fileId,
      meeting_id: uuid,
      recording_start: new Date(start.getTime() + 5_000).toISOString().replace('.000Z', 'Z'),
      recording_end: end.toISOString().replace('.000Z', 'Z'),
      ...types,
      file_size: spec.size ?? (types.file_type === 'MP4' ? 50_000_000 + n : types.file_type === 'M4A' ? 20_000_000 + n : 4_000 + i),
      play_url: `https://zoom.us/rec/play/${fileId}`,
      download_url: '',
      status: 'status' in spec && spec.status ? spec.status : 'completed',
      recording_type: spec.kind,
    }
  })
  return {
    uuid,
    id,
    account_id: ACCOUNT_ID,
    host_id: ZOOM_ME.id,
    topic: input.topic,
    type: 2,
    start_time: start.toISOString().replace('.000Z', 'Z'),
    duration: durationMin,
    total_size: files.reduce((s, f) => s + f.file_size, 0),
    recording_count: files.length,
    share_url: `https://zoom.us/rec/share/${uuid.replace(/[^A-Za-z0-9]/g, '')}`,
    recording_files: files,
  }
}
