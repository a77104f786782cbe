import type { FastifyRequest } from 'fastify'
import { RecflowError } from '../src/domain/errors.js'
import type { CallersService } from '../src/services/callers.js'
import type { AccessTokens } from '../src/services/access-tokens.js'
import type { RouteAuth } from './route-context.js'

const forbidden = (message: string) => new RecflowError('forbidden', message)

/** The bearer token of a request; none, or another scheme, is an auth error. */
function bearerOf(request: FastifyRequest): string {
  const header = request.headers.authorization
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
  if (!match?.[1]) throw new RecflowError('auth', 'this route needs a bearer access token', { hint: 'send Authorization: Bearer <access_token> from POST /api/v1/auth/login' })
  return match[1]
}

/** Checks a request against its route's `config.auth` (default 'user') and sets `request.caller`. */
export function authHook(tokens: AccessTokens, callers: () => Promise<CallersService>) {
  return async (request: FastifyRequest): Promise<void> => {
    const auth: RouteAuth = request.routeOptions.config?.auth ?? 'user'
    if (auth === 'public') return
    const claims = await tokens.verify(bearerOf(request))
    const caller = await (await callers()).resolve(claims.userId)
    if (auth === 'admin' && caller.role !== 'admin') throw forbidden('this route is for administrators')
    if (typeof auth === 'object' && caller.role !== 'admin' && caller.permissions[auth.permission] !== true)
      throw forbidden(`your account lacks the permission ${auth.permission}`)
    request.caller = caller
  }
}
