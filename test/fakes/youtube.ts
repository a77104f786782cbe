import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'

/*
 * The YouTube Data API v3 upload surface, strict to API-CONTRACTS.md §B.2–B.9 (RECFLOW_YOUTUBE_API_URL):
 * - POST /upload/youtube/v3/videos?uploadType=resumable&part=… (initiation): a live Bearer token (401 authError),
 *   JSON Video resource checked as YouTube does (title required, ≤ 100 characters, no < >; description ≤ 5000
 *   UTF-8 bytes, no < >; tags ≤ 500 characters by YouTube's counting; numeric categoryId; privacyStatus; publishAt
 *   only with private; booleans; license), X-Upload-Content-Length/Type; quota charged (1600 units by default);
 *   answers 200 with `Location: <session URI>`.
 * - PUT <session URI>: a chunk with `Content-Range: bytes A-B/TOTAL` (A must be the committed offset, every chunk
 *   but the last a multiple of 262144 bytes, Content-Length = B-A+1) → 308 with `Range: bytes=0-B`, the last one
 *   → 201 with the Video; a status query (empty, `bytes *\/TOTAL`) → 308 with the Range (none when nothing is
 *   held) or 200 with the Video when complete; an unknown or expired session → 404.
 * - POST /upload/youtube/v3/thumbnails/set?videoId= (JPEG/PNG ≤ 2 MB; 403 forbidden when the channel is not
 *   verified), POST /youtube/v3/playlistItems?part=snippet (the playlist must exist), POST
 *   /upload/youtube/v3/captions?part=snippet (multipart/related: snippet JSON, then the file; 409 captionExists).
 * Chunks are written to a file on disk as they arrive (the benchmark sends 2 GB), never held in memory; a video's
 * SHA-256 is computed from that file on demand. It is its own node:http server rather than fake-http.ts, which
 * buffers every body.
 * Faults (`inject(route, …)`, consumed in order): an error answer, a connection dropped mid-chunk (nothing of that
 * chunk is kept), a chunk taken and then the connection dropped without an answer (the ambiguous end), a 308 that
 * keeps fewer bytes than were sent; `expireSessions()`, `expireTokens()`, a quota limit, a per-chunk delay.
 */

export type YoutubeRoute = 'init' | 'chunk' | 'status' | 'thumbnail' | 'playlist' | 'captions'

export type YoutubeFault =
  | { status: number; reason?: string; message?: string }
  /** chunk: close the connection after this many bytes of the body (default half); none of the chunk is kept. */
  | { drop: 'mid-chunk'; afterBytes?: number }
  /** chunk: keep the chunk (finish the video if it was the last) and close the connection without answering. */
  | { drop: 'after-commit' }
  /** chunk: keep only this many bytes of it and answer 308 with that Range. */
  | { shortRange: number }
  /** any route: close the connection without answering. */
  | { drop: 'now' }

export interface FakeYoutubeVideo {
  id: string
  resource: { snippet: Record<string, unknown>; status: Record<string, unknown> }
  notifySubscribers: boolean
  file: string
  bytes: number
  thumbnail?: { contentType: string; bytes: number }
  captions: Array<{ language: string; name: string; bytes: number }>
  sha256(): Promise<string>
}

export interface YoutubeFakeLogEntry {
  route: YoutubeRoute | 'unknown'
  method: string
  path: string
  status: number | 'dropped'
  /** chunk: the range sent (end exclusive). */
  start?: number
  end?: number
}

export interface YoutubeFakeOptions {
  /** Whether a Bearer token is live (e.g. the Google fake's `accepts`); default: the tokens in `fake.tokens`. */
  acceptToken?: (token: string) => boolean
  tokens?: string[]
  /** Daily units (10,000 like YouTube) and what videos.insert costs (1600, the older model). */
  quotaLimit?: number
  insertCost?: number
  /** Wait this long before answering each chunk (after keeping it). */
  chunkDelayMs?: number
  /** false: thumbnails.set answers 403 forbidden (an unverified channel). */
  channelVerified?: boolean
  playlists?: string[]
  /** Where assembled uploads are written (default: a new temp folder, removed on close). */
  dir?: string
}

export interface YoutubeFake {
  readonly url: string
  /** RECFLOW_YOUTUBE_API_URL pointing here. */
  readonly env: Record<string, string>
  readonly tokens: Set<string>
  readonly videos: FakeYoutubeVideo[]
  readonly log: YoutubeFakeLogEntry[]
  /** playlistId → video ids added. */
  readonly playlists: Map<string, string[]>
  sessionsCreated(): number
  /** Body bytes received by chunk PUTs (kept or not). */
  chunkBytesReceived(): number
  quotaUsed: number
  quotaLimit: number
  chunkDelayMs: number
  channelVerified: boolean
  inject(route: YoutubeRoute, ...faults: YoutubeFault[]): void
  /** Every open session answers 404 from now on. */
  expireSessions(): void
  /** Every token in `tokens` stops being accepted (401 authError). */
  expireTokens(): void
  close(): Promise<void>
}

interface Session {
  id: string
  resource: FakeYoutubeVideo['resource']
  notifySubscribers: boolean
  total: number | undefined
  file: string
  /** Open for the session's life: chunks are written through it (no open/close per chunk). */
  fd: number
  committed: number
  expired: boolean
  video?: FakeYoutubeVideo
}

const ALIGN = 262144
const COSTS = { thumbnail: 50, playlist: 50, captions: 400 }
const PARTS = new Set(['snippet', 'status', 'contentDetails', 'recordingDetails', 'localizations'])

const ytError = (status: number, reason: string, message: string, domain = 'youtube.api') => ({
  status,
  body: { error: { code: status, message, errors: [{ message, domain, reason }] } },
})
type Answer = { status: number; headers?: Record<string, string>; body?: unknown }

/** YouTube's tag count: commas between tags count, a tag with a space counts its quotes. */
export function youtubeTagsLength(tags: string[]): number {
  return tags.reduce((n, t) => n + t.length + (t.includes(' ') ? 2 : 0), 0) + Math.max(0, tags.length - 1)
}

function checkVideoResource(body: unknown, parts: Set<string>): Answer | undefined {
  if (typeof body !== 'object' || body === null) return ytError(400, 'parseError', 'the request body is not a JSON object', 'global')
  const { snippet, status } = body as { snippet?: Record<string, unknown>; status?: Record<string, unknown> }
  if (parts.has('snippet')) {
    if (!snippet) return ytError(400, 'invalidVideoMetadata', 'The request metadata is invalid: snippet is missing.', 'youtube.video')
    const title = snippet.title
    if (typeof title !== 'string' || title.trim() === '') return ytError(400, 'invalidTitle', 'The request metadata specifies an invalid or empty video title.', 'youtube.video')
    if ([...title].length > 100 || /[<>]/.test(title)) return ytError(400, 'invalidTitle', 'The request metadata specifies an invalid video title.', 'youtube.video')
    const description = snippet.description ?? ''
    if (typeof description !== 'string' || Buffer.byteLength(description, 'utf8') > 5000 || /[<>]/.test(description)) {
      return ytError(400, 'invalidDescription', 'The request metadata specifies an invalid video description.', 'youtube.video')
    }
    const tags = snippet.tags ?? []
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string') || youtubeTagsLength(tags as string[]) > 500) {
      return ytError(400, 'invalidTags', 'The request metadata specifies invalid video keywords.', 'youtube.video')
    }
    if (typeof snippet.categoryId !== 'string' || !/^\d+$/.test(snippet.categoryId)) {
      return ytError(400, 'invalidCategoryId', 'The snippet.categoryId property specifies an invalid category ID.', 'youtube.video')
    }
  }
  if (parts.has('status') && status) {
    if (status.privacyStatus !== undefined && !['private', 'unlisted', 'public'].includes(status.privacyStatus as string)) {
      return ytError(400, 'invalidVideoMetadata', 'The request metadata specifies an invalid privacy status.', 'youtube.video')
    }
    if (status.publishAt !== undefined) {
      if (status.privacyStatus !== 'private' || typeof status.publishAt !== 'string' || Number.isNaN(Date.parse(status.publishAt))) {
        return ytError(400, 'invalidPublishAt', 'The request metadata specifies an invalid scheduled publishing time.', 'youtube.video')
      }
    }
    for (const flag of ['selfDeclaredMadeForKids', 'embeddable', 'publicStatsViewable']) {
      if (status[flag] !== undefined && typeof status[flag] !== 'boolean') return ytError(400, 'invalidVideoMetadata', `status.${flag} must be a boolean.`, 'youtube.video')
    }
    if (status.license !== undefined && !['youtube', 'creativeCommon'].includes(status.license as string)) {
      return ytError(400, 'invalidVideoMetadata', 'The request metadata specifies an invalid license.', 'youtube.video')
    }
  }
  return undefined
}

export async function startYoutubeFake(opts: YoutubeFakeOptions = {}): Promise<YoutubeFake> {
  const ownDir = opts.dir === undefined
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-youtube-fake-'))
  fs.mkdirSync(dir, { recursive: true })
  const sessions = new Map<string, Session>()
  const faults: Array<{ route: YoutubeRoute; fault: YoutubeFault }> = []
  let chunkBytes = 0
  let sessionCount = 0
  let base = ''

  const accepts = (token: string | undefined) => token !== undefined && (opts.acceptToken ? opts.acceptToken(token) : fake.tokens.has(token))
  const charge = (units: number): Answer | undefined => {
    if (fake.quotaUsed + units > fake.quotaLimit) {
      return ytError(403, 'quotaExceeded', 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.', 'youtube.quota')
    }
    fake.quotaUsed += units
    return undefined
  }
  const takeFault = (route: YoutubeRoute) => {
    const i = faults.findIndex((f) => f.route === route)
    return i === -1 ? undefined : faults.splice(i, 1)[0]!.fault
  }
  const videoJson = (v: FakeYoutubeVideo) => ({
    kind: 'youtube#video',
    etag: crypto.createHash('md5').update(v.id).digest('base64url'),
    id: v.id,
    snippet: { ...v.resource.snippet, publishedAt: new Date().toISOString(), channelId: 'UCfakechannel000000000000', channelTitle: 'Fake channel' },
    status: { ...v.resource.status, uploadStatus: 'uploaded' },
  })

  const route = (method: string, url: URL): YoutubeRoute | 'unknown' => {
    const p = url.pathname
    if (p === '/upload/youtube/v3/videos') {
      if (method === 'POST' && !url.searchParams.has('upload_id')) return 'init'
      if (method === 'PUT' && url.searchParams.has('upload_id')) return 'chunk'
    }
    if (method === 'POST' && p === '/upload/youtube/v3/thumbnails/set') return 'thumbnail'
    if (method === 'POST' && p === '/youtube/v3/playlistItems') return 'playlist'
    if (method === 'POST' && p === '/upload/youtube/v3/captions') return 'captions'
    return 'unknown'
  }

  const readAll = (req: http.IncomingMessage, limit: number) =>
    new Promise<Buffer | undefined>((resolve, reject) => {
      const parts: Buffer[] = []
      let n = 0
      req.on('data', (c: Buffer) => {
        n += c.length
        if (n <= limit) parts.push(c)
      })
      req.on('end', () => resolve(n > limit ? undefined : Buffer.concat(parts)))
      req.on('error', reject)
    })

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    const r = route(req.method ?? 'GET', url)
    const entry: YoutubeFakeLogEntry = { route: r, method: req.method ?? 'GET', path: url.pathname, status: 'dropped' }
    fake.log.push(entry)
    const send = (a: Answer) => {
      entry.status = a.status
      if (res.headersSent) return
      const headers = { ...a.headers }
      let payload = ''
      if (a.body !== undefined) {
        payload = JSON.stringify(a.body)
        headers['content-type'] = 'application/json; charset=UTF-8'
      }
      res.writeHead(a.status, headers)
      res.end(payload)
    }
    const drop = () => {
      entry.status = 'dropped'
      req.socket.destroy()
    }
    const answerAfterBody = (a: Answer) => {
      req.resume()
      req.on('end', () => send(a))
    }
    void (async () => {
      if (r === 'unknown') return answerAfterBody(ytError(404, 'notFound', `no such method: ${req.method} ${url.pathname}`, 'global'))
      const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]
      if (!accepts(token)) {
        return answerAfterBody({ ...ytError(401, 'authError', 'Invalid Credentials', 'global'), headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' } })
      }
      if (r === 'chunk') return handlePut(req, url, entry, send, drop)
      const fault = takeFault(r)
      if (fault && 'drop' in fault) return drop()
      if (fault && 'status' in fault) return answerAfterBody(ytError(fault.status, fault.reason ?? 'backendError', fault.message ?? `injected HTTP ${fault.status}`))
      const body = await readAll(req, 110 * 1024 * 1024)
      if (body === undefined) return send(ytError(413, 'uploadTooLarge', 'The media is larger than this method takes.', 'global'))
      send(await handleSmall(r, url, req.headers, body))
    })().catch((e: unknown) => send(ytError(500, 'backendError', `fake bug: ${String(e)}`)))
  })

  async function handleSmall(r: YoutubeRoute, url: URL, headers: http.IncomingHttpHeaders, body: Buffer): Promise<Answer> {
    const q = url.searchParams
    if (r === 'init') {
      if (q.get('uploadType') !== 'resumable') return ytError(400, 'badRequest', 'this fake implements uploadType=resumable only', 'global')
      const partParam = q.get('part')
      if (!partParam) return ytError(400, 'required', 'Required parameter: part', 'global')
      const parts = new Set(partParam.split(','))
      if ([...parts].some((p) => !PARTS.has(p))) return ytError(400, 'unknownPart', `unknown part in "${partParam}"`, 'youtube.part')
      const notify = q.get('notifySubscribers')
      if (notify !== null && notify !== 'true' && notify !== 'false') return ytError(400, 'invalidParameter', 'notifySubscribers must be true or false', 'global')
      if (!/^application\/json/i.test(headers['content-type'] ?? '')) return ytError(400, 'badContent', 'the metadata must be application/json', 'global')
      const lengthHeader = headers['x-upload-content-length']
      if (lengthHeader !== undefined && !/^\d+$/.test(String(lengthHeader))) return ytError(400, 'invalidParameter', 'X-Upload-Content-Length must be a byte count', 'global')
      const typeHeader = headers['x-upload-content-type']
      if (typeHeader !== undefined && !/^(video\/[\w.+-]+|application\/octet-stream)$/i.test(String(typeHeader))) {
        return ytError(400, 'badContent', `media type ${String(typeHeader)} is not accepted (video/* or application/octet-stream)`, 'global')
      }
      let resource: unknown
      try {
        resource = JSON.parse(body.toString('utf8'))
      } catch {
        return ytError(400, 'parseError', 'Parse Error', 'global')
      }
      const invalid = checkVideoResource(resource, parts)
      if (invalid) return invalid
      const quota = charge(opts.insertCost ?? 1600)
      if (quota) return quota
      const id = crypto.randomBytes(16).toString('base64url')
      const file = path.join(dir, `${id}.bin`)
      const fd = fs.openSync(file, 'w+')
      const res = resource as FakeYoutubeVideo['resource']
      sessions.set(id, { id, resource: { snippet: res.snippet ?? {}, status: res.status ?? {} }, notifySubscribers: notify !== 'false', total: lengthHeader === undefined ? undefined : Number(lengthHeader), file, fd, committed: 0, expired: false })
      sessionCount++
      return { status: 200, headers: { location: `${base}/upload/youtube/v3/videos?uploadType=resumable&upload_id=${id}` } }
    }
    if (r === 'thumbnail') {
      const video = fake.videos.find((v) => v.id === q.get('videoId'))
      if (!q.get('videoId')) return ytError(400, 'required', 'Required parameter: videoId', 'global')
      if (!video) return ytError(404, 'videoNotFound', 'The video that you are trying to update cannot be found.', 'youtube.thumbnail')
      const type = headers['content-type'] ?? ''
      if (!['image/jpeg', 'image/png', 'application/octet-stream'].includes(type)) return ytError(400, 'invalidImage', `media type ${type} is not accepted`, 'youtube.thumbnail')
      if (body.length === 0) return ytError(400, 'mediaBodyRequired', 'The request does not include the image content.', 'youtube.thumbnail')
      if (body.length > 2 * 1024 * 1024) return ytError(413, 'uploadTooLarge', 'Media larger than 2097152 bytes', 'global')
      const jpeg = body[0] === 0xff && body[1] === 0xd8 && body[2] === 0xff
      const png = body.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
      if (!jpeg && !png) return ytError(400, 'invalidImage', 'The provided image content is invalid.', 'youtube.thumbnail')
      if (!fake.channelVerified) return ytError(403, 'forbidden', 'The authenticated user doesnt have permissions for uploading and setting custom video thumbnails.', 'youtube.thumbnail')
      const quota = charge(COSTS.thumbnail)
      if (quota) return quota
      video.thumbnail = { contentType: type, bytes: body.length }
      const image = { url: `https://i.ytimg.com/vi/${video.id}/default.jpg`, width: 120, height: 90 }
      return { status: 200, body: { kind: 'youtube#thumbnailSetResponse', etag: 'e', items: [{ default: image }] } }
    }
    if (r === 'playlist') {
      if (q.get('part') !== 'snippet' && !q.get('part')?.split(',').includes('snippet')) return ytError(400, 'required', 'Required parameter: part', 'global')
      let item: { snippet?: { playlistId?: unknown; resourceId?: { kind?: unknown; videoId?: unknown } } }
      try {
        item = JSON.parse(body.toString('utf8')) as typeof item
      } catch {
        return ytError(400, 'parseError', 'Parse Error', 'global')
      }
      const playlistId = item.snippet?.playlistId
      const resourceId = item.snippet?.resourceId
      if (typeof playlistId !== 'string') return ytError(400, 'playlistIdRequired', 'The request must specify snippet.playlistId.', 'youtube.playlistItem')
      if (resourceId?.kind !== 'youtube#video' || typeof resourceId.videoId !== 'string') return ytError(400, 'invalidResourceId', 'The snippet.resourceId is invalid.', 'youtube.playlistItem')
      const list = fake.playlists.get(playlistId)
      if (!list) return ytError(404, 'playlistNotFound', 'The playlist identified with the request snippet.playlistId cannot be found.', 'youtube.playlistItem')
      if (!fake.videos.some((v) => v.id === resourceId.videoId)) return ytError(404, 'videoNotFound', 'The video cannot be found.', 'youtube.playlistItem')
      const quota = charge(COSTS.playlist)
      if (quota) return quota
      list.push(resourceId.videoId)
      return { status: 200, body: { kind: 'youtube#playlistItem', id: crypto.randomBytes(12).toString('base64url'), snippet: { playlistId, position: list.length - 1, resourceId } } }
    }
    // captions
    if (!q.get('part')?.split(',').includes('snippet')) return ytError(400, 'required', 'Required parameter: part', 'global')
    const boundary = /^multipart\/related;\s*boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1]
    if (!boundary) return ytError(400, 'badContent', 'captions.insert takes multipart/related (metadata, then the file)', 'global')
    const parts = splitMultipart(body, boundary)
    if (parts.length < 2 || !/application\/json/i.test(parts[0]!.headers)) return ytError(400, 'badContent', 'expected a JSON part and a media part', 'global')
    let meta: { snippet?: { videoId?: unknown; language?: unknown; name?: unknown } }
    try {
      meta = JSON.parse(parts[0]!.body.toString('utf8')) as typeof meta
    } catch {
      return ytError(400, 'parseError', 'Parse Error', 'global')
    }
    const s = meta.snippet
    if (typeof s?.videoId !== 'string' || typeof s.language !== 'string' || typeof s.name !== 'string') {
      return ytError(400, 'invalidMetadata', 'snippet.videoId, snippet.language and snippet.name are required', 'youtube.caption')
    }
    if (parts[1]!.body.length === 0) return ytError(400, 'contentRequired', 'The request does not contain the caption track contents.', 'youtube.caption')
    const video = fake.videos.find((v) => v.id === s.videoId)
    if (!video) return ytError(404, 'videoNotFound', 'The video cannot be found.', 'youtube.caption')
    if (video.captions.some((c) => c.language === s.language && c.name === s.name)) {
      return ytError(409, 'captionExists', 'The specified video already has a caption track with the given snippet.language and snippet.name.', 'youtube.caption')
    }
    const quota = charge(COSTS.captions)
    if (quota) return quota
    video.captions.push({ language: s.language, name: s.name, bytes: parts[1]!.body.length })
    return { status: 200, body: { kind: 'youtube#caption', id: crypto.randomBytes(12).toString('base64url'), snippet: { ...s, trackKind: 'standard', status: 'serving' } } }
  }

  function handlePut(req: http.IncomingMessage, url: URL, entry: YoutubeFakeLogEntry, send: (a: Answer) => void, drop: () => void): void {
    const fail = (a: Answer) => {
      req.resume()
      req.on('end', () => send(a))
    }
    const session = sessions.get(url.searchParams.get('upload_id') ?? '')
    if (!session || session.expired) return fail(ytError(404, 'notFound', 'The upload session was not found or has expired.', 'global'))
    const m = /^bytes (?:(\d+)-(\d+)|\*)\/(\d+)$/.exec(String(req.headers['content-range'] ?? ''))
    const length = Number(req.headers['content-length'] ?? 'NaN')
    if (!m) return fail(ytError(400, 'badRequest', 'Content-Range must be "bytes A-B/TOTAL" or "bytes */TOTAL"', 'global'))
    const total = Number(m[3])
    if (session.total !== undefined && total !== session.total) return fail(ytError(400, 'badRequest', `TOTAL ${total} differs from X-Upload-Content-Length ${session.total}`, 'global'))
    if (m[1] === undefined) {
      // status query
      entry.route = 'status'
      const fault = takeFault('status')
      if (fault && 'drop' in fault) return drop()
      if (fault && 'status' in fault) return fail(ytError(fault.status, fault.reason ?? 'backendError', fault.message ?? `injected HTTP ${fault.status}`))
      if (length !== 0) return fail(ytError(400, 'badRequest', 'a status query has an empty body', 'global'))
      if (session.video) return fail({ status: 200, body: videoJson(session.video) })
      return fail({ status: 308, headers: session.committed > 0 ? { range: `bytes=0-${session.committed - 1}` } : {} })
    }
    const start = Number(m[1])
    const end = Number(m[2]) + 1
    entry.start = start
    entry.end = end
    if (session.video) return fail({ status: 200, body: videoJson(session.video) })
    session.total ??= total
    if (end <= start || end > total) return fail(ytError(400, 'badRequest', `bad Content-Range ${m[0]}`, 'global'))
    if (start !== session.committed) return fail(ytError(400, 'badRequest', `the chunk starts at ${start} but the session holds ${session.committed} bytes`, 'global'))
    if (length !== end - start) return fail(ytError(400, 'badRequest', `Content-Length ${length} does not match Content-Range ${m[0]}`, 'global'))
    if (end < total && (end - start) % ALIGN !== 0) return fail(ytError(400, 'badRequest', `a chunk other than the last must be a multiple of 262144 bytes (got ${end - start})`, 'global'))
    const fault = takeFault('chunk')
    if (fault && 'status' in fault) return fail(ytError(fault.status, fault.reason ?? 'backendError', fault.message ?? `injected HTTP ${fault.status}`))
    const dropKind = fault && 'drop' in fault ? fault.drop : undefined
    if (dropKind === 'now') return drop()
    const dropAt = fault && 'drop' in fault && fault.drop === 'mid-chunk' ? (fault.afterBytes ?? Math.floor((end - start) / 2)) : Infinity
    const out = fs.createWriteStream('', { fd: session.fd, autoClose: false, start })
    let received = 0
    req.on('data', (c: Buffer) => {
      if (received + c.length >= dropAt) {
        out.write(c.subarray(0, dropAt - received))
        chunkBytes += dropAt - received
        received = dropAt
        out.end()
        req.pause()
        drop()
        return
      }
      received += c.length
      chunkBytes += c.length
      if (!out.write(c)) {
        req.pause()
        out.once('drain', () => req.resume())
      }
    })
    req.on('end', () => {
      out.end(() => {
        if (received !== end - start) return send(ytError(400, 'badRequest', 'the body ended before Content-Length', 'global'))
        const kept = fault && 'shortRange' in fault ? Math.min(fault.shortRange, end - start) : end - start
        session.committed = start + kept
        if (session.committed === total) {
          const v: FakeYoutubeVideo = {
            id: crypto.randomBytes(8).toString('base64url').slice(0, 11),
            resource: session.resource,
            notifySubscribers: session.notifySubscribers,
            file: session.file,
            bytes: total,
            captions: [],
            sha256: () => sha256Of(session.file),
          }
          session.video = v
          fake.videos.push(v)
        }
        if (dropKind === 'after-commit') return drop()
        const answer: Answer = session.video
          ? { status: 201, body: videoJson(session.video) }
          : { status: 308, headers: session.committed > 0 ? { range: `bytes=0-${session.committed - 1}` } : {} }
        if (fake.chunkDelayMs > 0) setTimeout(() => send(answer), fake.chunkDelayMs)
        else send(answer)
      })
    })
  }

  const fake: YoutubeFake = {
    url: '',
    env: {},
    tokens: new Set(opts.tokens ?? []),
    videos: [],
    log: [],
    playlists: new Map((opts.playlists ?? []).map((id) => [id, []])),
    sessionsCreated: () => sessionCount,
    chunkBytesReceived: () => chunkBytes,
    quotaUsed: 0,
    quotaLimit: opts.quotaLimit ?? 10_000,
    chunkDelayMs: opts.chunkDelayMs ?? 0,
    channelVerified: opts.channelVerified ?? true,
    inject: (route, ...fs2) => faults.push(...fs2.map((fault) => ({ route, fault }))),
    expireSessions: () => sessions.forEach((s) => (s.expired = true)),
    expireTokens: () => fake.tokens.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => {
          for (const s of sessions.values()) fs.closeSync(s.fd)
          if (ownDir) fs.rmSync(dir, { recursive: true, force: true })
          resolve()
        })
      }),
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  Object.assign(fake, { url: base, env: { RECFLOW_YOUTUBE_API_URL: base } })
  return fake
}

function splitMultipart(body: Buffer, boundary: string): Array<{ headers: string; body: Buffer }> {
  const text = body.toString('latin1')
  const delimiter = `--${boundary}`
  return text
    .split(delimiter)
    .slice(1)
    .filter((p) => !p.startsWith('--'))
    .map((p) => {
      const trimmed = p.replace(/^\r\n/, '').replace(/\r\n$/, '')
      const at = trimmed.indexOf('\r\n\r\n')
      const head = at === -1 ? trimmed : trimmed.slice(0, at)
      return { headers: head, body: Buffer.from(at === -1 ? '' : trimmed.slice(at + 4), 'latin1') }
    })
}

function sha256Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = crypto.createHash('sha256')
    fs.createReadStream(file)
      .on('data', (c) => hash.update(c))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject)
  })
}
