import fs from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { pipeline } from 'node:stream/promises'

/*
 * One HTTP exchange with YouTube over node:http(s), with a keep-alive agent per uploader. A body is a buffer or a
 * byte range of a file streamed from disk (a chunk of the video: constant memory however large the file). No
 * retries and no interpretation here: the answer is returned as it came, a failed connection throws
 * NetworkError (including a connection dropped mid-chunk and a stalled exchange past `timeoutMs`).
 */

export interface YoutubeAnswer {
  status: number
  /** Header names in lower case. */
  headers: http.IncomingHttpHeaders
  text: string
}

/**
 * A buffer, or bytes [start, end) of a file, read by its own ReadStream per chunk. (One FileHandle kept open for the
 * whole upload measured a 280 MB peak RSS on 2 GiB; a stream per chunk stays near 100 MB: docs/BENCHMARKS.md.)
 */
export type YoutubeBody = Buffer | { file: string; start: number; end: number }

export interface YoutubeExchange {
  method: 'GET' | 'POST' | 'PUT'
  url: string
  headers: Record<string, string>
  body?: YoutubeBody
}

export class NetworkError extends Error {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, opts)
    this.name = 'NetworkError'
  }
}

export interface Transport {
  exchange(req: YoutubeExchange, opts: { signal?: AbortSignal; timeoutMs: number }): Promise<YoutubeAnswer>
  close(): void
}

/** Bodies read from disk go out in slices of this size (the socket's backpressure paces the reads). */
const READ_SLICE = 1024 * 1024

export function createTransport(): Transport {
  const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 4 }), https: new https.Agent({ keepAlive: true, maxSockets: 4 }) }
  return {
    exchange: (req, opts) => exchange(req, opts, agents),
    close: () => {
      agents.http.destroy()
      agents.https.destroy()
    },
  }
}

function bodyLength(body: YoutubeBody | undefined): number {
  if (body === undefined) return 0
  return Buffer.isBuffer(body) ? body.length : body.end - body.start
}

function exchange(req: YoutubeExchange, opts: { signal?: AbortSignal; timeoutMs: number }, agents: { http: http.Agent; https: https.Agent }): Promise<YoutubeAnswer> {
  const url = new URL(req.url)
  const secure = url.protocol === 'https:'
  const headers = { ...req.headers, 'content-length': String(bodyLength(req.body)) }
  return new Promise<YoutubeAnswer>((resolve, reject) => {
    let settled = false
    const fail = (e: unknown) => {
      if (settled) return
      settled = true
      outgoing.destroy()
      reject(e instanceof NetworkError ? e : new NetworkError(`${req.method} ${url.host}${url.pathname}: ${e instanceof Error ? e.message : String(e)}`, { cause: e }))
    }
    const outgoing = (secure ? https : http).request(
      url,
      { method: req.method, headers, agent: secure ? agents.https : agents.http, signal: opts.signal },
      (res) => {
        const parts: Buffer[] = []
        res.on('data', (c: Buffer) => parts.push(c))
        res.on('error', fail)
        res.on('aborted', () => fail(new Error('the connection closed before the answer ended')))
        res.on('end', () => {
          if (settled) return
          settled = true
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString('utf8') })
        })
      },
    )
    outgoing.setTimeout(opts.timeoutMs, () => fail(new Error(`no progress for ${Math.round(opts.timeoutMs / 1000)} s`)))
    outgoing.on('error', fail)
    const body = req.body
    if (body === undefined || Buffer.isBuffer(body)) outgoing.end(body)
    else if (body.end === body.start) outgoing.end()
    else {
      const source = fs.createReadStream(body.file, { start: body.start, end: body.end - 1, highWaterMark: READ_SLICE })
      // A failed send is reported by the request's own 'error' (or the answer that came before it).
      pipeline(source, outgoing).catch((e: unknown) => {
        if (!settled && (e as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') fail(e)
      })
    }
  })
}
