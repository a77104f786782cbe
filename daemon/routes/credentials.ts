import { z } from 'zod'
import { notImplemented } from '../not-implemented.js'
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

  notImplemented(server, 'POST', '/credentials/vk', 'pasting a VK implicit-flow address is not wired to HTTP yet (sign in with /oauth/vk/authorize)')

  server.get(
    '/credentials/:id',
    { schema: { tags, summary: 'One credential: metadata and what uses it', params: idParams, response: { 200: credential.extend({ used_by: z.array(z.unknown()) }), ...problems(400, 401, 404) } } },
    async (request) => (await credentials()).show(callerOf(request), request.params.id),
  )

  notImplemented(server, 'PATCH', '/credentials/:id', 'replacing a secret in place is not built yet (remove it and store it again)')
  notImplemented(server, 'GET', '/credentials/:id/status', 'per-credential token health is not built yet (GET /credentials/status lists every sign-in)')

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
