import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { RecflowError } from '../domain/errors.js'

/*
 * The redirect target of a browser sign-in (RFC 8252 §7.3): an HTTP server on 127.0.0.1 on a port the OS picks,
 * answering GET requests to one path with what `handle` says (a small HTML page). It only serves; what a
 * callback means is the sign-in flow's business. Closing drops every open connection at once.
 */

export interface LoopbackAnswer {
  status: number
  /** Shown in the browser tab; plain text, HTML-escaped here. */
  title: string
  message: string
}

export interface LoopbackServer {
  /** The redirect URI to register in the authorize request, e.g. http://127.0.0.1:53817/callback. */
  readonly redirectUri: string
  close(): Promise<void>
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

function page(answer: LoopbackAnswer): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>recflow: ${escapeHtml(answer.title)}</title></head><body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1>${escapeHtml(answer.title)}</h1><p>${escapeHtml(answer.message)}</p></body></html>`
}

/**
 * `port` 0 (default) lets the OS pick; a fixed port and `path` serve a redirect URI registered with the provider
 * (a Google "web" client), which `redirectUri` then repeats as registered (`host` localhost or 127.0.0.1).
 */
export async function startLoopbackServer(
  handle: (url: URL) => LoopbackAnswer,
  opts: { path?: string; port?: number; host?: string } = {},
): Promise<LoopbackServer> {
  const callbackPath = opts.path ?? '/callback'
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    let answer: LoopbackAnswer
    if (req.method !== 'GET' || url.pathname !== callbackPath) answer = { status: 404, title: 'Not found', message: 'This address only takes the sign-in callback.' }
    else answer = handle(url)
    res.writeHead(answer.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close', 'referrer-policy': 'no-referrer' })
    res.end(page(answer))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new RecflowError('conflict', `cannot listen on 127.0.0.1:${opts.port ?? 0} for the sign-in callback: ${e.code ?? e.message}`, {
          hint: 'close the program that uses that port, then try again',
        }),
      ),
    )
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.removeAllListeners('error')
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  let closed: Promise<void> | undefined
  return {
    redirectUri: `http://${opts.host ?? '127.0.0.1'}:${port}${callbackPath}`,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })),
  }
}
