import type { AddressInfo } from 'node:net'
import { conflict, usageError } from '../src/domain/errors.js'
import type { StartHttp } from './process.js'
import { buildServer } from './server.js'

/** A host as it goes in a URL: an IPv6 address in brackets. */
const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host)

/** The daemon's HTTP half: the API server (daemon/server.ts) listening on host:port (0: any free port). */
export const startHttp: StartHttp = async (app, { host, port, logger, version, uploadLimit }) => {
  // One access line per request on the daemon's JSON log: no query string, never a header. Server errors at warn.
  const server = await buildServer(app, {
    logger: false,
    version,
    uploadLimit,
    onResponse: (fields) => (fields.status >= 500 ? logger.warn('request failed', fields) : logger.debug('request', fields)),
  })
  try {
    await server.listen({ host, port })
  } catch (e) {
    await server.close().catch(() => undefined)
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') throw conflict(`${host}:${port} is already in use by another program`, 'pick another port: `recflow daemon start --port 8001`')
    if (code === 'EACCES') throw usageError(`not allowed to listen on ${host}:${port} (ports below 1024 need privileges)`, 'use a port from 1024 up: `recflow daemon start --port 8000`')
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw usageError(`${host} is not an address of this machine`, 'listen on 127.0.0.1 or 0.0.0.0: `recflow daemon start --host 127.0.0.1`')
    throw e
  }
  const bound = (server.server.address() as AddressInfo).port
  return {
    url: `http://${urlHost(host)}:${bound}`,
    host,
    port: bound,
    async close(timeoutMs) {
      // Idle keep-alive connections close at once; an SSE stream or a slow upload is cut after timeoutMs.
      const timer = setTimeout(() => server.server.closeAllConnections(), timeoutMs)
      try {
        await server.close()
      } finally {
        clearTimeout(timer)
      }
    },
  }
}
