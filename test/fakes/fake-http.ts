import http from 'node:http'
import type { AddressInfo } from 'node:net'

/*
 * The base of every fake service in test/fakes/: a real HTTP server on 127.0.0.1 with a route table, a log of
 * the requests it received, and fault injection. Each fake (fireworks.ts, openai-audio.ts, chat.ts, ...)
 * implements its service's contract from ../shared/API-CONTRACTS.md strictly on top of this: it rejects what
 * the real service rejects.
 */

export interface FakeRequest {
  method: string
  /** Path without the query string. */
  path: string
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
  body: Buffer
  /** The body parsed as multipart/form-data (undici's parser), when that is its content type. */
  form(): Promise<FormData>
  json(): unknown
}

export interface FakeResponse {
  status: number
  headers?: Record<string, string>
  /** An object is sent as JSON; a string or Buffer as is. */
  body?: unknown
  /** Drop the connection instead of answering, after the handler ran (the request took effect, the client never hears). */
  drop?: boolean
}

export type FakeHandler = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>

/** A fault served instead of the route's answer: a response, or a connection dropped without one. */
export type Fault = FakeResponse | { drop: true } | { delayMs: number }

export interface FakeServer {
  readonly url: string
  /** Every request received, in order (bodies included). */
  readonly requests: FakeRequest[]
  /** Queues faults for the next requests matching `route` (method and path prefix, e.g. "POST /v1/audio"). */
  inject(route: string, ...faults: Fault[]): void
  /** The most requests open at once (received and not yet answered), faults included. */
  peakInFlight(): number
  close(): Promise<void>
}

export interface Route {
  method: string
  /** Exact path, or a RegExp tested against the path. */
  path: string | RegExp
  handler: FakeHandler
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse {
  return { status, body, headers }
}

/** Starts a fake on a free port. Unknown routes answer 404 with `notFound` (each service's own error shape). */
export async function startFakeServer(routes: Route[], opts: { notFound?: (req: FakeRequest) => FakeResponse } = {}): Promise<FakeServer> {
  const requests: FakeRequest[] = []
  const faults: Array<{ route: string; fault: Fault }> = []
  let inFlight = 0
  let peakInFlight = 0

  const server = http.createServer((incoming, res) => {
    const chunks: Buffer[] = []
    incoming.on('data', (c: Buffer) => chunks.push(c))
    incoming.on('end', () => {
      peakInFlight = Math.max(peakInFlight, ++inFlight)
      void (async () => {
        const url = new URL(incoming.url ?? '/', 'http://fake')
        const body = Buffer.concat(chunks)
        const req: FakeRequest = {
          method: incoming.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: incoming.headers,
          body,
          form: () =>
            new Request('http://fake/', { method: 'POST', headers: { 'content-type': incoming.headers['content-type'] ?? '' }, body }).formData(),
          json: () => JSON.parse(body.toString('utf8')) as unknown,
        }
        requests.push(req)
        const key = `${req.method} ${req.path}`
        const faultIndex = faults.findIndex((f) => key.startsWith(f.route))
        let answer: FakeResponse | undefined
        if (faultIndex !== -1) {
          const fault = faults.splice(faultIndex, 1)[0]!.fault
          if ('drop' in fault) {
            incoming.socket.destroy()
            return
          }
          if ('delayMs' in fault) await new Promise((r) => setTimeout(r, fault.delayMs))
          else answer = fault
        }
        if (!answer) {
          const route = routes.find((r) => r.method === req.method && (typeof r.path === 'string' ? r.path === req.path : r.path.test(req.path)))
          answer = route ? await route.handler(req) : (opts.notFound?.(req) ?? jsonResponse(404, { error: { message: `no route ${key}` } }))
        }
        if (answer.drop) {
          incoming.socket.destroy()
          return
        }
        send(res, answer)
      })()
        .catch((e: unknown) => send(res, jsonResponse(500, { error: { message: `fake server bug: ${String(e)}` } })))
        .finally(() => inFlight--)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    inject: (route, ...fs) => faults.push(...fs.map((fault) => ({ route, fault }))),
    peakInFlight: () => peakInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function send(res: http.ServerResponse, answer: FakeResponse): void {
  if (res.headersSent) return
  const headers = { ...answer.headers }
  let payload: string | Buffer = ''
  if (Buffer.isBuffer(answer.body) || typeof answer.body === 'string') payload = answer.body
  else if (answer.body !== undefined) {
    payload = JSON.stringify(answer.body)
    headers['content-type'] ??= 'application/json'
  }
  res.writeHead(answer.status, headers)
  res.end(payload)
}

/** The bearer token of a request, or the bare key (Fireworks accepts `Authorization: <key>` too). */
export function authorizationKey(req: FakeRequest, opts: { allowBare?: boolean } = {}): string | undefined {
  const value = req.headers.authorization
  if (typeof value !== 'string') return undefined
  const m = /^Bearer\s+(.+)$/i.exec(value)
  if (m) return m[1]
  return opts.allowBare ? value.trim() : undefined
}
