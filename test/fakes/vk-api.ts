import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { authorizationKey, jsonResponse, startFakeServer, type FakeRequest, type FakeResponse, type FakeServer } from './fake-http.js'

/*
 * The VK API video methods and the upload hosts (API-CONTRACTS.md §C.3–C.8), strictly, on one server:
 * - API (RECFLOW_VK_API_URL = apiUrl = url + /method): POST or GET /method/NAME, parameters from the query and a
 *   form body, `v` required (8), a user token as Bearer or access_token (5 otherwise; a community token is refused
 *   by video.save with 27), at most `perSecond` calls a second per token (6), every API error as HTTP 200
 *   {error:{error_code,error_msg,request_params}}.
 *   video.save (name ≤ 128 chars, description ≤ 5000, group_id int ≥ 1 of a community the user administers else
 *   204, album_id int ≥ 0, privacy_view/privacy_comment values, 0/1 flags) → {upload_url, video_id, owner_id, ...};
 *   video.get (videos=owner_video,... lists a video once its file was received: a placeholder is not listed);
 *   video.addToAlbum (the album must exist for target_id, else 204; 800 when already there); video.delete;
 *   video.getThumbUploadUrl; video.saveUploadedThumb (thumb_json must be what the thumb host answered).
 * - Upload host: POST /upload/video?key=… multipart with `video_file` (else 400 {"error"}); an address is good
 *   for one upload and `expireUploadUrls()` refuses those handed out so far; the bytes go to a temp file (sha256 kept).
 *   POST /upload/thumb?key=…: multipart `file`, a JPEG or PNG by its magic bytes.
 * Faults: `failNext(method, code)` answers the next call of a method with that VK error; `dropAfterUpload()` takes
 * the next upload in full and then drops the connection (the ambiguous end); FakeServer.inject for drops before
 * the handler and 5xx; `now` drives the per-second limit.
 */

export interface VkFakeVideo {
  id: number
  ownerId: number
  title: string
  description: string
  params: Record<string, string>
  uploadKey: string
  /** Set once the file was received. */
  file?: { path: string; size: number; sha256: string }
  albums: number[]
  thumb?: string
  deleted: boolean
}

export interface VkApiFakeOptions {
  userTokens?: string[]
  communityTokens?: string[]
  userId?: number
  /** Communities the user administers (video.save group_id); default [777]. */
  adminGroups?: number[]
  /** Albums that exist, per owner id (negative for communities); default {[-777]: [5], [userId]: [3]}. */
  albums?: Record<number, number[]>
  /** Calls a second per token before error 6; 0 turns the limit off. Default 3. */
  perSecond?: number
  now?: () => number
}

export interface VkApiFake extends FakeServer {
  readonly apiUrl: string
  now: () => number
  readonly videos: VkFakeVideo[]
  /** API method calls by name, in order. */
  readonly calls: Array<{ method: string; params: Record<string, string>; at: number }>
  /** Uploads received by the video host (whole files), including refused ones. */
  readonly uploads: Array<{ key: string; accepted: boolean }>
  failNext(method: string, code: number, extra?: Record<string, unknown>): void
  dropAfterUpload(): void
  expireUploadUrls(): void
  /** Live (not deleted) videos. */
  live(): VkFakeVideo[]
}

export const VK_FAKE_TOKEN = 'vk2.a.fake-user-token'
export const VK_FAKE_USER_ID = 1234567

const MESSAGES: Record<number, string> = {
  5: 'User authorization failed: invalid access_token (4).',
  6: 'Too many requests per second',
  8: 'Invalid request: v (version) is required',
  9: 'Flood control',
  10: 'Internal server error',
  14: 'Captcha needed',
  15: 'Access denied',
  27: 'Group authorization failed: method is unavailable with group auth.',
  29: 'Rate limit reached',
  100: 'One of the parameters specified was missing or invalid',
  204: 'Access denied',
  800: 'This video is already added',
}

const PRIVACY = /^(all|friends|friends_of_friends|friends_of_friends_only|nobody|only_me|-?list\d+|-?\d+)$/

export async function startVkApiFake(opts: VkApiFakeOptions = {}): Promise<VkApiFake> {
  const userTokens = new Set(opts.userTokens ?? [VK_FAKE_TOKEN])
  const communityTokens = new Set(opts.communityTokens ?? [])
  const userId = opts.userId ?? VK_FAKE_USER_ID
  const adminGroups = new Set(opts.adminGroups ?? [777])
  const albums: Record<number, number[]> = opts.albums ?? { [-777]: [5], [userId]: [3] }
  const perSecond = opts.perSecond ?? 3
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-fake-'))
  const videos: VkFakeVideo[] = []
  const calls: VkApiFake['calls'] = []
  const uploads: VkApiFake['uploads'] = []
  const faults: Array<{ method: string; code: number; extra?: Record<string, unknown> }> = []
  const callTimes = new Map<string, number[]>()
  const thumbs = new Set<string>()
  let drops = 0
  const expiredKeys = new Set<string>()
  let nextId = 456239017
  let base = ''

  const error = (code: number, params: Record<string, string>, extra: Record<string, unknown> = {}): FakeResponse =>
    jsonResponse(200, {
      error: {
        error_code: code,
        error_msg: MESSAGES[code] ?? 'Unknown error occurred',
        request_params: Object.entries(params)
          .filter(([k]) => k !== 'access_token')
          .map(([key, value]) => ({ key, value })),
        ...extra,
      },
    })
  const ok = (response: unknown): FakeResponse => jsonResponse(200, { response })
  const invalid = (params: Record<string, string>, what: string): FakeResponse => {
    const r = error(100, params)
    ;(r.body as { error: { error_msg: string } }).error.error_msg = `One of the parameters specified was missing or invalid: ${what}`
    return r
  }
  const intParam = (v: string | undefined, min: number): number | null => (v !== undefined && /^-?\d+$/.test(v) && Number(v) >= min ? Number(v) : null)
  const findVideo = (owner: string | undefined, id: string | undefined) => videos.find((v) => !v.deleted && String(v.ownerId) === owner && String(v.id) === id)

  const methods: Record<string, (p: Record<string, string>, kind: 'user' | 'community') => FakeResponse> = {
    'video.save': (p, kind) => {
      if (kind !== 'user') return error(27, p)
      if (p.link !== undefined) return invalid(p, 'link uploads are not part of this fake')
      const name = p.name ?? ''
      if ([...name].length > 128) return invalid(p, 'name is longer than 128 characters')
      if ([...(p.description ?? '')].length > 5000) return invalid(p, 'description is longer than 5000 characters')
      for (const flag of ['is_private', 'wallpost', 'no_comments', 'repeat', 'compression']) {
        if (p[flag] !== undefined && !['0', '1'].includes(p[flag] as string)) return invalid(p, `${flag} must be 0 or 1`)
      }
      for (const list of ['privacy_view', 'privacy_comment']) {
        if (p[list] !== undefined && !p[list]!.split(',').every((v) => PRIVACY.test(v))) return invalid(p, `${list} has an unknown value`)
      }
      if (p.album_id !== undefined && intParam(p.album_id, 0) === null) return invalid(p, 'album_id must be an integer ≥ 0')
      let ownerId = userId
      if (p.group_id !== undefined) {
        const g = intParam(p.group_id, 1)
        if (g === null) return invalid(p, 'group_id must be a positive integer')
        if (!adminGroups.has(g)) return error(204, p)
        ownerId = -g
      }
      if (p.album_id !== undefined && p.album_id !== '0' && !(albums[ownerId] ?? []).includes(Number(p.album_id))) return error(204, p)
      const video: VkFakeVideo = {
        id: nextId++,
        ownerId,
        title: name,
        description: p.description ?? '',
        params: p,
        uploadKey: crypto.randomBytes(8).toString('hex'),
        albums: p.album_id && p.album_id !== '0' ? [Number(p.album_id)] : [],
        deleted: false,
      }
      videos.push(video)
      return ok({
        upload_url: `${base}/upload/video?key=${video.uploadKey}`,
        video_id: video.id,
        owner_id: ownerId,
        title: video.title,
        description: video.description,
        access_key: crypto.randomBytes(8).toString('hex'),
      })
    },
    'video.get': (p) => {
      const wanted = (p.videos ?? '').split(',').filter(Boolean)
      const items = videos
        .filter((v) => !v.deleted && v.file && wanted.some((w) => w.split('_').slice(0, 2).join('_') === `${v.ownerId}_${v.id}`))
        .filter((v) => p.owner_id === undefined || String(v.ownerId) === p.owner_id)
        .map((v) => ({ id: v.id, owner_id: v.ownerId, title: v.title, description: v.description, processing: 1 }))
      return ok({ count: items.length, items })
    },
    'video.addToAlbum': (p) => {
      const owner = intParam(p.owner_id, Number.MIN_SAFE_INTEGER)
      const videoId = intParam(p.video_id, 0)
      const albumId = intParam(p.album_id, 0)
      if (owner === null || videoId === null) return invalid(p, 'owner_id and video_id are required')
      if (albumId === null) return invalid(p, 'album_id or album_ids is required')
      const target = p.target_id !== undefined ? Number(p.target_id) : userId
      const video = findVideo(p.owner_id, p.video_id)
      if (!video || !(albums[target] ?? []).includes(albumId)) return error(204, p)
      if (video.albums.includes(albumId)) return error(800, p)
      video.albums.push(albumId)
      return ok(1)
    },
    'video.delete': (p) => {
      const video = findVideo(p.owner_id ?? String(userId), p.video_id)
      if (!video) return invalid(p, 'video_id: no such video')
      video.deleted = true
      return ok(1)
    },
    'video.getThumbUploadUrl': (p) => {
      if (intParam(p.owner_id, Number.MIN_SAFE_INTEGER) === null) return invalid(p, 'owner_id is required')
      return ok({ upload_url: `${base}/upload/thumb?key=${crypto.randomBytes(8).toString('hex')}` })
    },
    'video.saveUploadedThumb': (p) => {
      const video = findVideo(p.owner_id, p.video_id)
      if (!video) return invalid(p, 'video_id: no such video')
      if (!p.thumb_json || !thumbs.has(p.thumb_json)) return invalid(p, 'thumb_json')
      video.thumb = p.thumb_json
      return ok(1)
    },
  }

  const api = async (req: FakeRequest): Promise<FakeResponse> => {
    const method = req.path.slice('/method/'.length)
    const params: Record<string, string> = Object.fromEntries(req.query)
    if (req.method === 'POST' && String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      Object.assign(params, Object.fromEntries(new URLSearchParams(req.body.toString('utf8'))))
    }
    const token = params.access_token ?? authorizationKey(req)
    calls.push({ method, params: Object.fromEntries(Object.entries(params).filter(([k]) => k !== 'access_token')), at: fake.now() })
    if (!params.v) return error(8, params)
    const kind = token && userTokens.has(token) ? 'user' : token && communityTokens.has(token) ? 'community' : null
    if (!kind) return error(5, params)
    if (perSecond > 0) {
      const now = fake.now()
      const times = (callTimes.get(token as string) ?? []).filter((t) => now - t < 1000)
      times.push(now)
      callTimes.set(token as string, times)
      if (times.length > perSecond) return error(6, params)
    }
    const faultAt = faults.findIndex((f) => f.method === method)
    if (faultAt !== -1) {
      const f = faults.splice(faultAt, 1)[0]!
      return error(f.code, params, f.extra)
    }
    const handler = methods[method]
    if (!handler) return error(3, params)
    return handler(params, kind)
  }

  const uploadVideo = async (req: FakeRequest): Promise<FakeResponse> => {
    const key = req.query.get('key') ?? ''
    const video = videos.find((v) => v.uploadKey === key && !v.deleted)
    if (!video || video.file || expiredKeys.has(key)) {
      uploads.push({ key, accepted: false })
      return jsonResponse(200, { error: 'invalid upload url' })
    }
    const file = await filePart(req, 'video_file')
    if ('status' in file) return file
    const bytes = Buffer.from(await file.arrayBuffer())
    const stored = path.join(dir, `${video.ownerId}_${video.id}.bin`)
    fs.writeFileSync(stored, bytes)
    video.file = { path: stored, size: bytes.length, sha256: crypto.createHash('sha256').update(bytes).digest('hex') }
    uploads.push({ key, accepted: true })
    const answer = jsonResponse(200, { video_hash: crypto.randomBytes(8).toString('hex'), size: bytes.length, owner_id: video.ownerId, video_id: video.id })
    if (drops > 0) {
      drops--
      return { ...answer, drop: true }
    }
    return answer
  }

  const uploadThumb = async (req: FakeRequest): Promise<FakeResponse> => {
    const file = await filePart(req, 'file')
    if ('status' in file) return file
    const head = Buffer.from(await file.slice(0, 8).arrayBuffer())
    const jpeg = head[0] === 0xff && head[1] === 0xd8
    const png = head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    if (!jpeg && !png) return jsonResponse(200, { error: 'unsupported image format' })
    const payload = { photo: crypto.randomBytes(6).toString('hex'), hash: crypto.randomBytes(8).toString('hex') }
    const text = JSON.stringify(payload)
    thumbs.add(text)
    return { status: 200, headers: { 'content-type': 'application/json' }, body: text }
  }

  const server = await startFakeServer(
    [
      { method: 'POST', path: /^\/method\/[\w.]+$/, handler: api },
      { method: 'GET', path: /^\/method\/[\w.]+$/, handler: api },
      { method: 'POST', path: '/upload/video', handler: uploadVideo },
      { method: 'POST', path: '/upload/thumb', handler: uploadThumb },
    ],
  )
  base = server.url
  const fake: VkApiFake = {
    ...server,
    url: server.url,
    requests: server.requests,
    apiUrl: `${server.url}/method`,
    now: opts.now ?? (() => Date.now()),
    videos,
    calls,
    uploads,
    failNext: (method, code, extra) => faults.push({ method, code, extra }),
    dropAfterUpload: () => {
      drops++
    },
    expireUploadUrls: () => {
      for (const v of videos) expiredKeys.add(v.uploadKey)
    },
    live: () => videos.filter((v) => !v.deleted),
    close: async () => {
      await server.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
  return fake
}

/** The multipart file field an upload host requires, or the 400 answer when the body is not one or lacks it. */
async function filePart(req: FakeRequest, field: string): Promise<Blob | FakeResponse> {
  let form: FormData
  try {
    form = await req.form()
  } catch {
    return jsonResponse(400, { error: 'multipart/form-data expected' })
  }
  const file = form.get(field)
  return file instanceof Blob ? file : jsonResponse(400, { error: `${field} is required` })
}
