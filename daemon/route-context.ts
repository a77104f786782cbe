import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { App } from '../src/app.js'
import type { PermissionFlag } from '../src/domain/accounts/index.js'
import { RecflowError } from '../src/domain/errors.js'
import type { AccessTokens } from '../src/services/access-tokens.js'
import type { Caller } from '../src/services/callers.js'

/** The fastify instance every route module registers on: zod schemas give typed params, bodies and replies. */
export type ApiServer = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>

/**
 * Who may call a route (its `config.auth`). Routes are private by default: a route that forgets to say is 'user'.
 * 'admin' is a user whose role is admin; a permission is a user whose flag is true (admins have every flag).
 */
export type RouteAuth = 'public' | 'user' | 'admin' | { permission: PermissionFlag }

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth
  }
  interface FastifyRequest {
    caller?: Caller
  }
}

export interface DaemonServerOptions {
  /** fastify's logger (the daemon passes its JSON logger; tests pass false). */
  logger?: FastifyBaseLogger | boolean
  /** Told after every response: the path without its query string (an OAuth code or state must not reach a log). */
  onResponse?: (done: { method: string; path: string; status: number; ms: number }) => void
  /** The version /health reports. */
  version?: string
  /** Largest JSON body accepted, bytes (default 1 MiB). */
  bodyLimit?: number
  /** Largest media file `POST /recordings` accepts, bytes (default 4 GiB); beyond it a 413 problem. */
  uploadLimit?: number
  /**
   * Requests per client IP and window on the password routes (register, login, password change, account
   * deletion; default 10 a minute); refresh and logout get six times as many. Tests lower or raise it.
   */
  authRateLimit?: { max: number; timeWindowMs?: number }
}

/** What route modules are built from: the app (its services), the token verifier, the server's options. */
export interface RouteContext {
  readonly app: App
  readonly tokens: AccessTokens
  readonly options: DaemonServerOptions
}

/** The verified caller of a route that is not public (the auth hook has run). */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new RecflowError('internal', `route ${request.routeOptions.url ?? request.url} reads its caller but is public`)
  return request.caller
}
