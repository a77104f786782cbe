import { z } from 'zod'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'
import { idParams, isoTime, pageOf, pageQuery, problems, queryFlag, toApiPage } from '../schemas.js'

/** A credential as the API shows it: where its secret is (`store`), never the secret. */
const credential = z.object({
  id: z.number().int(),
  kind: z.string(),
  name: z.string(),
  base_url: z.string().nullable(),
  store: z.string(),
  status: z.string(),
  created_at: isoTime,
  updated_at: isoTime,
})

const signIn = z.object({
  id: z.number().int(),
  platform: z.string(),
  name: z.string(),
  account: z.string(),
  grant: z.string().nullable(),
  scopes: z.array(z.string()),
  expires_at: isoTime.nullable(),
  refreshes: z.boolean(),
  status: z.string(),
  needs_reauth: z.boolean(),
  store: z.string(),
  updated_at: isoTime,
})

/** POST /credentials: an API key (fireworks, openai-compatible, deepseek) or a Zoom app's webhook secret token. */
const newCredential = z.object({
  platform: z.enum(['fireworks', 'openai', 'deepseek', 'zoom-webhook']),
  account_name: z.string().min(1).max(100).optional(),
  credentials: z.union([
    z.object({ api_key: z.string().min(1).max(1024), base_url: z.string().max(2048).optional() }).strict(),
    z.object({ secret_token: z.string().min(1).max(256) }).strict(),
  ]),
})

const apiKeySecret = z.object({ api_key: z.string().min(1).max(1024), base_url: z.string().max(2048).optional() }).strict()
const tokenSecret = z.object({ secret_token: z.string().min(1).max(256) }).strict()
const accountName = z.string().min(1).max(100)

/** PATCH /credentials/{id}: a new name and/or a new secret of the credential's own shape (checked like create). */
const credentialPatch = z
  .object({ account_name: accountName.optional(), credentials: z.union([apiKeySecret, tokenSecret]).optional() })
  .strict()
  .refine((b) => b.account_name !== undefined || b.credentials !== undefined, { message: 'give account_name and/or credentials' })

/** POST /credentials/vk: the pasted blank.html address (preferred: its state is checked), or a bare access token. */
const vkPaste = z.union([
  z.object({ redirect_url: z.string().min(1).max(4096), account_name: accountName.optional() }).strict(),
  z
    .object({
      access_token: z.string().regex(/^[A-Za-z0-9._-]{16,512}$/, 'must be a VK access token'),
      expires_in: z.number().int().min(0).max(10 * 365 * 86_400).optional(),
      app_id: z.string().regex(/^\d{1,20}$/, "must be the VK app's numeric ID").optional(),
      account_name: accountName.optional(),
    })
    .strict(),
])

const health = z.object({
  id: z.number().int(),
  platform: z.string(),
  name: z.string(),
  type: z.enum(['sign_in', 'secret']),
  status: z.string(),
  grant: z.string().nullable(),
  expires_at: isoTime.nullable(),
  seconds_left: z.number().int().nullable(),
  expired: z.boolean(),
  needs_refresh: z.boolean(),
  refreshes: z.boolean(),
  needs_reauth: z.boolean(),
  checked_at: isoTime,
})

const tags = ['credentials']

/** /credentials (REST-API.md "Credentials, OAuth, webhooks"): metadata only, never a secret. */
export function registerCredentialRoutes(server: ApiServer, ctx: RouteContext): void {
  const credentials = () => ctx.app.service('credentials')

  server.get(
    '/credentials',
    {
      schema: {
        tags,
        summary: 'List your credentials (never their secrets)',
        querystring: pageQuery.extend({ platform: z.string().min(1).max(40).optional() }),
        response: { 200: pageOf(credential), ...problems(400, 401) },
      },
    },
    async (request) => toApiPage(await (await credentials()).page(callerOf(request), request.query)),
  )

  server.get(
    '/credentials/status',
    { schema: { tags, summary: 'Your sign-ins (YouTube, VK, Zoom) and their token health', response: { 200: z.object({ items: z.array(signIn) }), ...problems(401) } } },
    async (request) => ({ items: await (await ctx.app.service('auth')).status(callerOf(request)) }),
  )

  server.post(
    '/credentials',
    { schema: { tags, summary: 'Store an API key or a Zoom webhook secret token', body: newCredential, response: { 201: credential, ...problems(400, 401, 409, 422) } } },
    async (request, reply) => {
      const { platform, account_name, credentials: secret } = request.body
      const input =
        'api_key' in secret
          ? { kind: platform, apiKey: secret.api_key, baseUrl: secret.base_url, name: account_name }
          : { kind: platform, apiKey: secret.secret_token, name: account_name }
      return reply.code(201).send(await (await credentials()).add(callerOf(request), input))
    },
  )

  server.post(
    '/credentials/vk',
    {
      schema: {
        tags,
        summary: 'Store a VK sign-in from the legacy implicit flow: the pasted blank.html address (see GET /oauth/vk/authorize/implicit) or a bare token',
        body: vkPaste,
        response: { 201: signIn.extend({ replaced: z.boolean() }), 200: signIn.extend({ replaced: z.boolean() }), ...problems(400, 401, 422, 502) },
      },
    },
    async (request, reply) => {
      const b = request.body
      const input =
        'redirect_url' in b
          ? { redirectUrl: b.redirect_url, name: b.account_name }
          : { accessToken: b.access_token, expiresIn: b.expires_in, appId: b.app_id, name: b.account_name }
      const stored = await (await ctx.app.service('webSignIn')).paste(callerOf(request), input)
      return reply.code(stored.replaced ? 200 : 201).send(stored)
    },
  )

  server.get(
    '/credentials/:id',
    { schema: { tags, summary: 'One credential: metadata and what uses it', params: idParams, response: { 200: credential.extend({ used_by: z.array(z.unknown()) }), ...problems(400, 401, 404) } } },
    async (request) => (await credentials()).show(callerOf(request), request.params.id),
  )

  server.patch(
    '/credentials/:id',
    {
      schema: {
        tags,
        summary: "Rename it and/or replace its secret (an API key or a Zoom webhook secret token, checked like create); sign-ins are replaced by signing in again",
        params: idParams,
        body: credentialPatch,
        response: { 200: credential, ...problems(400, 401, 404, 409, 422) },
      },
    },
    async (request) => {
      const { account_name, credentials: secret } = request.body
      const change =
        secret === undefined
          ? undefined
          : 'api_key' in secret
            ? { kind: 'api_key' as const, value: secret.api_key, baseUrl: secret.base_url }
            : { kind: 'secret_token' as const, value: secret.secret_token }
      return (await credentials()).update(callerOf(request), request.params.id, { name: account_name, secret: change })
    },
  )

  server.get(
    '/credentials/:id/status',
    { schema: { tags, summary: 'Token health of one credential: expiry, time left, whether it needs a refresh or a new sign-in (no secrets)', params: idParams, response: { 200: health, ...problems(400, 401, 404) } } },
    async (request) => (await credentials()).health(callerOf(request), request.params.id),
  )

  server.delete(
    '/credentials/:id',
    {
      schema: {
        tags,
        summary: 'Remove a credential (409 while presets, sources, templates or the config use it, unless force=true)',
        params: idParams,
        querystring: z.object({ force: queryFlag.optional() }),
        response: { 200: z.object({ id: z.number().int(), removed: z.literal(true), detached: z.array(z.unknown()), key_deleted: z.boolean() }), ...problems(400, 401, 404, 409) },
      },
    },
    async (request) => (await credentials()).remove(callerOf(request), request.params.id, { force: request.query.force }),
  )
}
