import type { RouteContext } from './route-context.js'

/** The per-IP limits of the password routes (`strict`) and the token routes (`loose`), from the server options. */
export function authRateLimits(ctx: RouteContext) {
  const max = ctx.options.authRateLimit?.max ?? 10
  const timeWindow = ctx.options.authRateLimit?.timeWindowMs ?? 60_000
  return { strict: { max, timeWindow }, loose: { max: max * 6, timeWindow } }
}
