import { z } from 'zod'
import { loginSchema, refreshTokenSchema, registerSchema } from '../../src/domain/accounts/index.js'
import { authRateLimits } from '../auth-rate-limits.js'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'
import { problems } from '../schemas.js'
import { profileReply } from './users-me.js'

const tags = ['auth']
const tokenPair = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal('bearer'),
  expires_in: z.number().int(),
})

/** /auth: register, login, refresh (rotating), logout, logout-all (REST-API.md "Auth and account"). */
export function registerAuthRoutes(server: ApiServer, ctx: RouteContext): void {
  const accounts = () => ctx.app.service('accounts')
  const limits = authRateLimits(ctx)
  const open = (rateLimit: { max: number; timeWindow: number }) => ({ auth: 'public' as const, rateLimit })

  server.post(
    '/auth/register',
    {
      config: open(limits.strict),
      schema: { tags, summary: 'Create an account (Free plan)', security: [], body: registerSchema, response: { 201: profileReply, ...problems(400, 409, 422, 429) } },
    },
    async (request, reply) => reply.code(201).send(await (await accounts()).register(request.body)),
  )

  server.post(
    '/auth/login',
    {
      config: open(limits.strict),
      schema: { tags, summary: 'Sign in: an access token (30 min) and a refresh token (7 days)', security: [], body: loginSchema, response: { 200: tokenPair, ...problems(400, 401, 429) } },
    },
    async (request) => (await accounts()).login(request.body),
  )

  server.post(
    '/auth/refresh',
    {
      config: open(limits.loose),
      schema: {
        tags,
        summary: 'A new token pair; the refresh token given is revoked, and reusing a revoked one revokes its whole family',
        security: [],
        body: refreshTokenSchema,
        response: { 200: tokenPair, ...problems(400, 401, 429) },
      },
    },
    async (request) => (await accounts()).refresh(request.body),
  )

  server.post(
    '/auth/logout',
    {
      config: open(limits.loose),
      schema: { tags, summary: 'Revoke one refresh token', security: [], body: refreshTokenSchema, response: { 200: z.object({ revoked: z.boolean() }), ...problems(400, 429) } },
    },
    async (request) => (await accounts()).logout(request.body),
  )

  server.post(
    '/auth/logout-all',
    { schema: { tags, summary: 'Revoke every refresh token of the caller', response: { 200: z.object({ revoked: z.number().int() }), ...problems(401) } } },
    async (request) => (await accounts()).logoutAll(callerOf(request)),
  )
}
