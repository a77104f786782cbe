import fs from 'node:fs'
import { stat, truncate } from 'node:fs/promises'
import http from 'node:http'
import https from 'node:https'
import { setTimeout as sleep } from 'node:timers/promises'
import { RecflowError } from '../domain/errors.js'
import { retryAfterMs } from './http.js'

/*
 * One file over HTTP into a partial file that outlives the process: bytes are appended as they arrive (the body
 * is streamed, never held: memory stays constant whatever the size), and a later call (after a dropped
 * connection, a cancel, a crash or a SIGKILL) asks for the rest with `Range: bytes=<size of the partial file>-`.
 * Each chunk is written (synchronously, to the page cache) as the HTTP parser hands it over, before the next is
 * read: a connection cut at byte N leaves exactly N bytes in the file, where a buffered pipeline (fetch's web
 * stream, a Transform) would drop what it held when the connection failed. node:http rather than fetch for
 * that reason, and because its redirects are followed by hand anyway.
 *
 * Authentication: `Authorization: Bearer <token>` goes to the download URL's own origin only. A redirect to
 * another origin (Zoom sends the client on to a signed storage URL) is followed without it: the token must not
 * reach a host it was not issued for, and Zoom's storage refuses requests that carry it. A 401/403 from the
 * origin asks `token({forceRefresh: true})` once, then fails with code 'auth'.
 *
 * The caller owns the partial file's name and what happens to it once complete (size == expectedSize).
 */

export interface DownloadProgress {
  /** Bytes in the partial file so far. */
  bytes: number
  total: number
}

export interface ResumableDownload {
  url: string
  /** The size the file must end at (Zoom's `file_size`): more is refused, less is resumed. */
  expectedSize: number
  /** Where the bytes go; its current size is where the download resumes. */
  partPath: string
  /** The bearer token for the URL's own origin; `forceRefresh` after it was refused. Undefined sends none. */
  token?: (opts: { forceRefresh?: boolean }) => Promise<string>
  signal?: AbortSignal
  onProgress?: (p: DownloadProgress) => void
  /** Consecutive tries that gained no byte before giving up; default 5. */
  maxStalls?: number
  /** First wait after a try that gained nothing (doubles, capped at 30 s); default 500 ms. */
  baseDelayMs?: number
  /** Hint of the 'auth' error when the origin refuses a fresh token. */
  authHint?: string
  /** A connection silent this long (connecting or mid-body) is given up and retried; default 60 s. */
  idleTimeoutMs?: number
}

export interface DownloadResult {
  bytes: number
  /** Size of the partial file when this call started (0: a fresh download). */
  resumedFrom: number
  /** HTTP requests sent (redirects included). */
  requests: number
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 5

export async function downloadResumable(d: ResumableDownload): Promise<DownloadResult> {
  const host = new URL(d.url).host
  const maxStalls = d.maxStalls ?? 5
  const baseDelayMs = d.baseDelayMs ?? 500
  let offset = await sizeOf(d.partPath)
  if (offset > d.expectedSize) offset = await restart(d.partPath)
  const resumedFrom = offset
  let stalls = 0
  // One forced refresh per download: a second refusal of a fresh token is not going to change.
  let refreshed = false
  let forceRefresh = false
  const counter = { requests: 0 }

  const gainedNothing = async (reason: string, waitMs?: number): Promise<void> => {
    stalls++
    if (stalls >= maxStalls) {
      throw new RecflowError('provider', `the download from ${host} stopped at ${offset} of ${d.expectedSize} bytes: ${reason}`, {
        hint: 'run the recording again later: the download resumes where it stopped',
      })
    }
    await sleep(waitMs ?? Math.min(30_000, baseDelayMs * 2 ** (stalls - 1)), undefined, { signal: d.signal }).catch(() => cancelled(d, host))
  }

  d.onProgress?.({ bytes: offset, total: d.expectedSize })
  while (offset < d.expectedSize) {
    if (d.signal?.aborted) cancelled(d, host)
    let opened: Opened
    try {
      opened = await open(d, offset, forceRefresh, counter)
      forceRefresh = false
    } catch (e) {
      if (d.signal?.aborted) cancelled(d, host)
      if (e instanceof RecflowError) throw e
      await gainedNothing(describe(e))
      continue
    }
    const { res, authSent, at } = opened
    const status = res.statusCode ?? 0
    if ((status === 401 || status === 403) && authSent) {
      discard(res)
      if (refreshed || !d.token) {
        throw new RecflowError('auth', `${at} refused the access token (HTTP ${status}) for ${describeUrl(d.url)}`, { hint: d.authHint })
      }
      refreshed = true
      forceRefresh = true
      continue
    }
    if (status === 404 || status === 410) {
      discard(res)
      throw new RecflowError('not_found', `${describeUrl(d.url)} is gone (HTTP ${status} from ${at})`)
    }
    if (status === 416) {
      // The server has fewer bytes than the partial file: the file changed there. Start again from zero once.
      discard(res)
      offset = await restart(d.partPath)
      await gainedNothing(`HTTP 416 from ${at}: the partial file was longer than the server's file`, 0)
      continue
    }
    if (status === 429 || status >= 500 || ((status === 401 || status === 403) && !authSent)) {
      // A signed storage URL that expired or was refused is asked for again from the download URL.
      discard(res)
      await gainedNothing(`HTTP ${status} from ${at}`, retryAfterMs(header(res, 'retry-after') ?? null, Date.now()))
      continue
    }
    if (status !== 200 && status !== 206) {
      discard(res)
      throw new RecflowError('provider', `${at} answered HTTP ${status} to the download of ${describeUrl(d.url)}`)
    }

    const total = status === 206 ? contentRangeOf(header(res, 'content-range') ?? null) : undefined
    let start = offset
    if (status === 200) {
      // No range honoured: the body is the whole file, which replaces whatever the partial file held.
      start = 0
      const length = Number(header(res, 'content-length') ?? NaN)
      if (Number.isFinite(length) && length !== d.expectedSize) {
        discard(res)
        sizeMismatch(d, at, length)
      }
    } else if (total === undefined || total.start !== offset || (total.size !== undefined && total.size !== d.expectedSize)) {
      discard(res)
      if (total?.size !== undefined && total.size !== d.expectedSize) sizeMismatch(d, at, total.size)
      offset = await restart(d.partPath)
      await gainedNothing(`${at} sent Content-Range ${header(res, 'content-range') ?? '(none)'} for bytes=${start}-`, 0)
      continue
    }

    const before = offset
    try {
      await appendBody(d, res, start, (bytes) => {
        offset = bytes
        d.onProgress?.({ bytes, total: d.expectedSize })
      })
    } catch (e) {
      if (d.signal?.aborted) cancelled(d, host)
      if (e instanceof RecflowError) throw e
      // A connection cut mid-body: what arrived stays, and the next request asks for the rest at once.
      offset = await sizeOf(d.partPath)
      if (offset > before) stalls = 0
      else await gainedNothing(describe(e))
      continue
    }
    offset = await sizeOf(d.partPath)
    if (offset > before) stalls = 0
    else if (offset < d.expectedSize) await gainedNothing(`${at} sent no bytes from ${offset} of ${d.expectedSize}`)
  }
  return { bytes: offset, resumedFrom, requests: counter.requests }
}

interface Opened {
  res: http.IncomingMessage
  authSent: boolean
  /** Host that gave the final answer. */
  at: string
}

/** The download URL, its redirects followed by hand: the token goes to the URL's own origin only. */
async function open(d: ResumableDownload, offset: number, forceRefresh: boolean, counter: { requests: number }): Promise<Opened> {
  const origin = new URL(d.url).origin
  let target = d.url
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = {}
    const authSent = d.token !== undefined && new URL(target).origin === origin
    if (authSent) headers.authorization = `Bearer ${await d.token!({ forceRefresh })}`
    if (offset > 0) headers.range = `bytes=${offset}-`
    counter.requests++
    const res = await get(target, headers, d.signal, d.idleTimeoutMs ?? 60_000)
    if (!REDIRECTS.has(res.statusCode ?? 0)) return { res, authSent, at: new URL(target).host }
    discard(res)
    const location = header(res, 'location')
    if (!location) throw new RecflowError('provider', `${new URL(target).host} redirected the download without a Location`)
    if (hop >= MAX_REDIRECTS) throw new RecflowError('provider', `the download of ${describeUrl(d.url)} redirected more than ${MAX_REDIRECTS} times`)
    target = new URL(location, target).href
  }
}

function get(url: string, headers: Record<string, string>, signal: AbortSignal | undefined, idleTimeoutMs: number): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const u = new URL(url)
    const client = u.protocol === 'https:' ? https : u.protocol === 'http:' ? http : undefined
    if (!client) return reject(new RecflowError('provider', `cannot download from ${u.protocol} URLs`))
    const req = client.get(u, { headers, signal }, resolve)
    req.setTimeout(idleTimeoutMs, () => req.destroy(new Error(`no data from ${u.host} for ${Math.round(idleTimeoutMs / 1000)} s`)))
    req.on('error', reject)
  })
}

function header(res: http.IncomingMessage, name: string): string | undefined {
  const v = res.headers[name]
  return Array.isArray(v) ? v[0] : v
}

/** Drops an answer whose body is not wanted (an error page, a redirect's). */
function discard(res: http.IncomingMessage): void {
  res.resume()
  res.on('error', () => {})
}

/**
 * Writes the body into the partial file from `start` (0 rewrites it) chunk by chunk as it arrives, refusing bytes
 * past the expected size. Rejects when the connection ends before the body does; what arrived is on disk.
 */
async function appendBody(d: ResumableDownload, res: http.IncomingMessage, start: number, onBytes: (bytes: number) => void): Promise<void> {
  const fd = fs.openSync(d.partPath, start === 0 ? 'w' : 'a')
  let bytes = start
  try {
    await new Promise<void>((resolve, reject) => {
      res.on('data', (chunk: Buffer) => {
        try {
          if (bytes + chunk.length > d.expectedSize) {
            throw new RecflowError('provider', `${describeUrl(d.url)} sent more than the expected ${d.expectedSize} bytes`, {
              hint: 'run `recflow sync` to refresh what the source says about the file, then run the recording again',
            })
          }
          fs.writeSync(fd, chunk)
          bytes += chunk.length
          onBytes(bytes)
        } catch (e) {
          res.destroy(e as Error)
        }
      })
      res.on('end', () => (res.complete ? resolve() : reject(new Error('the connection closed before the body ended'))))
      res.on('error', reject)
      res.on('close', () => {
        if (!res.complete) reject(new Error('the connection closed before the body ended'))
      })
    })
  } finally {
    fs.closeSync(fd)
  }
}

function sizeMismatch(d: ResumableDownload, at: string, size: number): never {
  throw new RecflowError('provider', `${at} serves ${size} bytes for ${describeUrl(d.url)}, but the source listed ${d.expectedSize}`, {
    hint: 'run `recflow sync` to refresh what the source says about the file, then run the recording again',
  })
}

/** `bytes 100-199/1000` -> {start: 100, size: 1000}; `*` size -> undefined size. */
export function contentRangeOf(value: string | null): { start: number; size: number | undefined } | undefined {
  const m = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(value?.trim() ?? '')
  if (!m) return undefined
  return { start: Number(m[1]), size: m[3] === '*' ? undefined : Number(m[3]) }
}

/** The URL without its query (signed URLs and `access_token=` never reach a message). */
export function describeUrl(url: string): string {
  const u = new URL(url)
  return `${u.origin}${u.pathname}`
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw e
  }
}

async function restart(file: string): Promise<number> {
  await truncate(file, 0).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e
  })
  return 0
}

function cancelled(d: ResumableDownload, host: string): never {
  throw new RecflowError('cancelled', `the download from ${host} was cancelled`, { cause: d.signal?.reason })
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message
  return String(e)
}
