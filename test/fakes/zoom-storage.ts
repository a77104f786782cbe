import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/*
 * Zoom's recording downloads (API-CONTRACTS.md §A.6), as two real HTTP hosts on 127.0.0.1:
 *
 * - the web host (zoom.us's role): `GET /rec/download/<file id>` checks the access token (`Authorization: Bearer`
 *   or the legacy `?access_token=`; 401 with Zoom's code 124 otherwise, 404/3301 for an unknown file) and answers
 *   302 to a signed URL on the storage host;
 * - the storage host (another origin, like Zoom's CDN): serves the bytes of a signed URL, honours `Range`
 *   (206 + Content-Range, 416 past the end), refuses a request that carries an Authorization header (401: a
 *   client that forwards the Zoom token on redirect is caught), refuses a bad or expired signature (403).
 *
 * Fault injection: `cutAt(id, byte)` drops the connection of the next answer for that file once the byte at that
 * absolute offset would be sent; `throttle(bytesPerSecond)` slows the storage host down so a test can kill a
 * client mid-download; `expireSignedUrls()` turns every signed URL issued so far into a 403; `failNext(status)`
 * answers the next storage request with that status (a 403 as for a signature that expired in between, a 503).
 */

export interface StorageRequest {
  host: 'web' | 'storage'
  method: string
  path: string
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
}

export interface ZoomStorageOptions {
  /** Access tokens the web host accepts: a list, or a predicate (e.g. the OAuth fake's current tokens). */
  tokens?: string[] | ((token: string) => boolean)
}

export interface ZoomStorageFake {
  /** Base of the web host; download URLs are `${webUrl}/rec/download/<id>`. */
  readonly webUrl: string
  readonly storageUrl: string
  readonly requests: StorageRequest[]
  /** Serves `bytes` as the file `id`; returns its download_url and file_size as the listing gives them. */
  addFile(id: string, bytes: Buffer, contentType?: string): { download_url: string; file_size: number }
  /** Accepts one more access token. */
  acceptToken(token: string): void
  /** The next answer for file `id` stops (connection destroyed) before the byte at offset `byte`. */
  cutAt(id: string, byte: number): void
  /** Storage host speed limit for every answer from now on (undefined: as fast as possible). */
  throttle(bytesPerSecond: number | undefined): void
  expireSignedUrls(): void
  failNext(status: number, headers?: Record<string, string>): void
  close(): Promise<void>
}

interface StoredFile {
  bytes: Buffer
  contentType: string
}

const CHUNK = 16 * 1024

export async function startZoomStorageFake(opts: ZoomStorageOptions = {}): Promise<ZoomStorageFake> {
  const files = new Map<string, StoredFile>()
  const cuts = new Map<string, number>()
  const tokenList = new Set(Array.isArray(opts.tokens) ? opts.tokens : [])
  const tokenOk = (t: string) => tokenList.has(t) || (typeof opts.tokens === 'function' && opts.tokens(t))
  const secret = crypto.randomBytes(16)
  let generation = 0
  let bytesPerSecond: number | undefined
  const failures: Array<{ status: number; headers: Record<string, string> }> = []
  const requests: StorageRequest[] = []
  const sign = (id: string, gen: number) => crypto.createHmac('sha256', secret).update(`${id}:${gen}`).digest('hex')

  const log = (host: StorageRequest['host'], req: http.IncomingMessage): URL => {
    const url = new URL(req.url ?? '/', 'http://fake')
    requests.push({ host, method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers })
    return url
  }
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }

  let storageUrl = ''
  const web = http.createServer((req, res) => {
    const url = log('web', req)
    const m = /^\/rec\/download\/([^/]+)$/.exec(url.pathname)
    if (req.method !== 'GET' || !m) return json(res, 404, { code: 404, message: 'Not found' })
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]
    const token = bearer ?? url.searchParams.get('access_token') ?? undefined
    if (token === undefined || !tokenOk(token)) return json(res, 401, { code: 124, message: 'Invalid access token.' })
    const id = decodeURIComponent(m[1]!)
    if (!files.has(id)) return json(res, 404, { code: 3301, message: 'This recording does not exist.' })
    res.writeHead(302, { location: `${storageUrl}/replay/${encodeURIComponent(id)}?gen=${generation}&sig=${sign(id, generation)}` })
    res.end()
  })

  const storage = http.createServer((req, res) => {
    const url = log('storage', req)
    const m = /^\/replay\/([^/]+)$/.exec(url.pathname)
    const id = m ? decodeURIComponent(m[1]!) : ''
    const file = files.get(id)
    if (req.method !== 'GET' || !file) return json(res, 404, { message: 'NoSuchKey' })
    if (req.headers.authorization !== undefined) {
      return json(res, 401, { message: 'Only one auth mechanism allowed; the signed URL carries it, an Authorization header must not be sent' })
    }
    const failure = failures.shift()
    if (failure) {
      res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers })
      return res.end(JSON.stringify({ message: `injected HTTP ${failure.status}` }))
    }
    const gen = Number(url.searchParams.get('gen'))
    const sig = url.searchParams.get('sig') ?? ''
    const expected = sign(id, gen)
    if (gen !== generation || sig.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(expected))) {
      return json(res, 403, { message: 'Request has expired or the signature does not match' })
    }
    const size = file.bytes.length
    let start = 0
    let end = size - 1
    let status = 200
    const range = req.headers.range
    if (range !== undefined) {
      const r = /^bytes=(\d+)-(\d*)$/.exec(range.trim())
      if (r) {
        start = Number(r[1])
        if (r[2] !== '') end = Math.min(end, Number(r[2]))
        if (start >= size || start > end) {
          res.writeHead(416, { 'content-range': `bytes */${size}` })
          return res.end()
        }
        status = 206
      }
    }
    const headers: Record<string, string> = { 'content-type': file.contentType, 'content-length': String(end - start + 1), 'accept-ranges': 'bytes' }
    if (status === 206) headers['content-range'] = `bytes ${start}-${end}/${size}`
    res.writeHead(status, headers)
    const cut = cuts.get(id)
    if (cut !== undefined) cuts.delete(id)
    void stream(res, file.bytes, start, end + 1, cut)
  })

  async function stream(res: http.ServerResponse, bytes: Buffer, from: number, to: number, cut: number | undefined): Promise<void> {
    const stop = cut !== undefined && cut >= from && cut < to ? cut : to
    let at = from
    while (at < stop) {
      if (res.destroyed) return
      const next = Math.min(stop, at + CHUNK)
      // Each chunk handed to the kernel before the next (and before a cut), so a cut lands on its exact byte.
      await new Promise<void>((resolve) => res.write(bytes.subarray(at, next), () => resolve()))
      const sent = next - at
      at = next
      if (bytesPerSecond !== undefined) await new Promise((r) => setTimeout(r, (sent / bytesPerSecond!) * 1000))
    }
    // A cut: the connection goes down mid-body, as a dropped network would leave it.
    if (stop < to) res.destroy()
    else res.end()
  }

  const listen = async (server: http.Server) => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }
  const webUrl = await listen(web)
  storageUrl = await listen(storage)
  const close = (server: http.Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })

  return {
    webUrl,
    storageUrl,
    requests,
    addFile(id, bytes, contentType = 'video/mp4') {
      files.set(id, { bytes, contentType })
      return { download_url: `${webUrl}/rec/download/${encodeURIComponent(id)}`, file_size: bytes.length }
    },
    acceptToken: (token) => void tokenList.add(token),
    cutAt: (id, byte) => void cuts.set(id, byte),
    throttle: (bps) => {
      bytesPerSecond = bps
    },
    expireSignedUrls: () => {
      generation++
    },
    failNext: (status, headers = {}) => void failures.push({ status, headers }),
    close: async () => {
      await Promise.all([close(web), close(storage)])
    },
  }
}
