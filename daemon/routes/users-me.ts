import { z } from 'zod'
import { deleteAccountSchema, passwordChangeSchema, PERMISSION_FLAGS, profilePatchSchema } from '../../src/domain/accounts/index.js'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'
import { isoTime, problems } from '../schemas.js'
import { authRateLimits } from '../auth-rate-limits.js'

/** The caller's profile (never the password hash: the reply schema lists every field it sends). */
export const profileReply = z.object({
  id: z.number().int(),
  email: z.string(),
  full_name: z.string().nullable(),
  timezone: z.string(),
  role: z.enum(['user', 'admin']),
  permissions: z.object(Object.fromEntries(PERMISSION_FLAGS.map((f) => [f, z.boolean()]))),
  is_active: z.boolean(),
  created_at: isoTime,
  last_login_at: isoTime.nullable(),
})

const tags = ['users']

/** /users/me: profile, password change, account deletion (REST-API.md "Auth and account"). */
export function registerUsersMeRoutes(server: ApiServer, ctx: RouteContext): void {
  const accounts = () => ctx.app.service('accounts')
  const { strict } = authRateLimits(ctx)

  server.get('/users/me', { schema: { tags, summary: 'Your profile', response: { 200: profileReply, ...problems(401) } } }, async (request) =>
    (await accounts()).profile(callerOf(request)),
  )

  server.patch(
    '/users/me',
    { schema: { tags, summary: 'Change your name, email or time zone', body: profilePatchSchema, response: { 200: profileReply, ...problems(400, 401, 409, 422) } } },
    async (request) => (await accounts()).updateProfile(callerOf(request), request.body),
  )

  server.post(
    '/users/me/password',
    {
      config: { rateLimit: strict },
      schema: {
        tags,
        summary: 'Change your password (the current one is required); every session is signed out',
        body: passwordChangeSchema,
        response: { 200: z.object({ revoked: z.number().int() }), ...problems(400, 401, 422, 429) },
      },
    },
    async (request) => (await accounts()).changePassword(callerOf(request), request.body),
  )

  server.delete(
    '/users/me',
    {
      config: { rateLimit: strict },
      schema: {
        tags,
        summary: 'Delete your account, its data and its media files ({password, confirmation: "DELETE"})',
        body: deleteAccountSchema,
        response: { 200: z.object({ deleted: z.literal(true), media_removed: z.boolean() }), ...problems(400, 401, 409, 429) },
      },
    },
    async (request) => (await accounts()).deleteAccount(callerOf(request), request.body),
  )
}
