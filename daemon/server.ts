import Fastify, { type FastifyInstance } from 'fastify'
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import type { App } from '../src/app.js'
import { RecflowError } from '../src/domain/errors.js'
import { authHook } from './auth-hook.js'
import { requestMetrics } from './metrics.js'
import { problem, sendProblem, toProblem } from './problem.js'
import { jsonDepthWithin, MAX_JSON_DEPTH } from './schemas.js'
import { serializerCompiler } from './serializer.js'
import type { ApiServer, DaemonServerOptions, RouteAuth, RouteContext } from './route-context.js'
import { registerHealthRoutes } from './routes/health.js'
import { registerApiRoutes } from './routes/index.js'

export const API_PREFIX = '/api/v1'

/** A route any client may call without a token (its `config.auth` is 'public'; private is the default). */
export const isPublicRoute = (config: unknown): boolean => (config as { auth?: RouteAuth } | undefined)?.auth === 'public'

/**
 * The daemon's HTTP server over `app` (REST-API.md): every /api/v1 route, /health, /metrics, the OpenAPI 3.1
 * document at /openapi.json (generated from the routes' zod schemas) and Swagger UI at /docs. Built, not
 * listening: the caller listens (the daemon process, or a test on port 0).
 */
export async function buildServer(app: App, options: DaemonServerOptions = {}): Promise<FastifyInstance> {
  const server = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Ids and cursors only: a long path parameter is malformed input, answered before any route runs.
    routerOptions: { maxParamLength: 200 },
    // A path fastify cannot decode (`%FF`) or a too-long parameter: problem+json like every other error.
    frameworkErrors: (error, request, reply) => sendProblem(reply, toProblem(error, request)),
  }).withTypeProvider<ZodTypeProvider>()
  // Every JSON body is bounded in depth before any route sees it: the services' recursive merges and validation
  // errors (which echo the input) overflowed the stack on a 50,000-level body and answered 500.
  const parseJson = server.getDefaultJsonParser('error', 'error')
  server.removeContentTypeParser('application/json')
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    parseJson(request, body as string, (error, value) => {
      if (error) done(error, undefined)
      else if (!jsonDepthWithin(value, MAX_JSON_DEPTH)) done(new RecflowError('usage', `the JSON body nests more than ${MAX_JSON_DEPTH} levels deep`), undefined)
      else done(null, value)
    }),
  )
  server.setValidatorCompiler(validatorCompiler)
  server.setSerializerCompiler(serializerCompiler)

  const ctx: RouteContext = { app, tokens: await app.service('accessTokens'), options }
  const metrics = requestMetrics()

  server.setErrorHandler((error, request, reply) => sendProblem(reply, toProblem(error, request)))
  server.setNotFoundHandler((request, reply) => sendProblem(reply, problem(404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`)))
  server.addHook('onResponse', async (request, reply) => {
    metrics.observe(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000)
    options.onResponse?.({ method: request.method, path: request.url.split('?')[0] ?? '', status: reply.statusCode, ms: Math.round(reply.elapsedTime) })
  })
  server.addHook('onRequest', authHook(ctx.tokens, () => app.service('callers')))

  // Swagger UI's own routes are public (the OpenAPI document lists routes, never data). A public route says so in
  // the OpenAPI document (`security: []`), so clients and the route checks read the public set from one place.
  server.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...(route.config as object), auth: 'public' }
    if (isPublicRoute(route.config)) route.schema = { ...route.schema, security: [] }
  })
  const [{ default: swagger }, { default: swaggerUi }] = await Promise.all([import('@fastify/swagger'), import('@fastify/swagger-ui')])
  await server.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'recflow daemon API', version: options.version ?? '0.0.0', description: 'Recordings from Zoom or a folder to YouTube, VK or a folder.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  })
  await server.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } })
  server.get('/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => server.swagger())

  // Opt-in per route (config.rateLimit): only the auth routes are limited (daemon/routes/auth.ts).
  await server.register((await import('@fastify/rate-limit')).default, { global: false })

  registerHealthRoutes(server as ApiServer, ctx, metrics)
  await server.register(
    async (api) => {
      registerApiRoutes(api as ApiServer, ctx)
    },
    { prefix: API_PREFIX },
  )
  await server.ready()
  return server
}
