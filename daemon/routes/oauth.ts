import { z } from 'zod'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'
import { problems } from '../schemas.js'

const platformParams = z.object({ platform: z.enum(['youtube', 'vk', 'zoom']) })
const tags = ['oauth']
const callbackValue = z.string().max(4096)

/**
 * /oauth/{platform}/authorize and /callback: sign-in for web clients (src/services/auth/web-sign-in.ts). The
 * callback is public (the provider redirects the browser there): the single-use state names the user.
 */
export function registerOAuthRoutes(server: ApiServer, ctx: RouteContext): void {
  const web = () => ctx.app.service('webSignIn')

  server.get(
    '/oauth/vk/authorize/implicit',
    {
      schema: {
        tags,
        summary: "VK's legacy implicit flow: the URL to open (single-use state, 10 minutes) and what to paste back to POST /credentials/vk",
        querystring: z.object({ app_id: z.string().regex(/^\d{1,20}$/, "must be the VK app's numeric ID").optional() }),
        response: {
          200: z.object({
            authorization_url: z.string(),
            state: z.string(),
            expires_in: z.number().int(),
            redirect_uri: z.string(),
            paste_to: z.string(),
            instructions: z.string(),
          }),
          ...problems(400, 401, 422),
        },
      },
    },
    async (request) => (await web()).authorizeImplicit(callerOf(request), { appId: request.query.app_id }),
  )

  server.get(
    '/oauth/:platform/authorize',
    {
      schema: {
        tags,
        summary: 'Start a sign-in: the provider URL to open, with a single-use state (10 minutes) and PKCE S256',
        params: platformParams,
        response: { 200: z.object({ authorization_url: z.string(), state: z.string(), expires_in: z.number().int() }), ...problems(400, 401, 422) },
      },
    },
    async (request) => (await web()).authorize(callerOf(request), request.params.platform),
  )

  server.get(
    '/oauth/:platform/callback',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: "The provider's redirect: trades the code, stores the credential, then 302 to the return URL (status=success|error)",
        params: platformParams,
        // The provider's parameters by name (a z.record would come out of the OpenAPI transform as parameters named
        // type/propertyNames/additionalProperties); whatever else it sends is kept as text.
        querystring: z
          .object({ code: callbackValue, state: callbackValue, error: callbackValue, error_description: callbackValue })
          .partial()
          .catchall(callbackValue),
        response: { 302: z.null(), ...problems(400) },
      },
    },
    async (request, reply) => reply.redirect((await (await web()).callback(request.params.platform, request.query)).location, 302),
  )
}
