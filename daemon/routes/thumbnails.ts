import { z } from 'zod'
import { sniffImageType, THUMBNAIL_MAX_BYTES, THUMBNAIL_NAME } from '../../src/domain/publish/index.js'
import { problem, sendProblem } from '../problem.js'
import { pageOf, pageQuery, problems, queryFlag, toApiPage } from '../schemas.js'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'

const thumbnail = z.object({
  name: z.string(),
  scope: z.enum(['user', 'shared']),
  content_type: z.enum(['image/png', 'image/jpeg']),
  size_bytes: z.number().int(),
  modified_at: z.string(),
  path: z.string().describe("the file to name in a preset's or template's thumbnail field"),
})
const reference = z.object({ kind: z.enum(['preset', 'template', 'config']), id: z.number().int().optional(), name: z.string(), field: z.string() })

const nameParams = z.object({ name: z.string().regex(THUMBNAIL_NAME, 'must be a thumbnail name such as thumb_0123abcd.png') })

const tags = ['thumbnails']

/**
 * /thumbnails: the caller's images (+ the shared ones). Uploads are multipart with one file part: at most 2 MB
 * (413), PNG or JPEG by content (415), stored under a generated name; the multipart parser exists only in the
 * upload route's own scope, so no other route accepts multipart bodies.
 */
export function registerThumbnailRoutes(server: ApiServer, ctx: RouteContext): void {
  const thumbnails = () => ctx.app.service('thumbnails')

  server.get(
    '/thumbnails',
    { schema: { tags, summary: 'Your thumbnail images and the shared ones, by name', querystring: pageQuery, response: { 200: pageOf(thumbnail), ...problems(400, 401) } } },
    async (request) => {
      const { limit, cursor } = request.query
      return toApiPage(await (await thumbnails()).list(callerOf(request), { limit, cursor }))
    },
  )

  server.get(
    '/thumbnails/:name',
    { schema: { tags, summary: 'One image (yours, else a shared one of that name)', params: nameParams, response: { 200: z.any().describe('the image bytes (image/png or image/jpeg)'), ...problems(400, 401, 404) } } },
    async (request, reply) => {
      const { thumbnail: t, bytes } = await (await thumbnails()).read(callerOf(request), request.params.name)
      return reply.type(t.content_type).header('x-content-type-options', 'nosniff').header('cache-control', 'private, max-age=300').send(bytes)
    },
  )

  server.delete(
    '/thumbnails/:name',
    {
      schema: {
        tags,
        summary: 'Delete one of your images (409 while a preset, template or your config names it, unless force=true)',
        params: nameParams,
        querystring: z.object({ force: queryFlag.optional() }),
        response: { 200: z.object({ name: z.string(), removed: z.literal(true), references: z.array(reference) }), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => (await thumbnails()).remove(callerOf(request), request.params.name, { force: request.query.force }),
  )

  void server.register(async (scope) => {
    await scope.register((await import('@fastify/multipart')).default, { limits: { fileSize: THUMBNAIL_MAX_BYTES, files: 1, fields: 4, parts: 5, fieldSize: 1024 } })
    scope.post(
      '/thumbnails',
      {
        schema: {
          tags,
          summary: 'Upload an image (multipart/form-data, one file part): PNG or JPEG by content, at most 2 MB, counted towards your storage; stored under a generated name',
          response: { 201: thumbnail, ...problems(400, 401, 413, 415, 422, 429) },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart()) return sendProblem(reply, problem(415, 'usage', 'send the image as multipart/form-data with one file part'))
        const part = await request.file()
        if (!part) return sendProblem(reply, problem(400, 'usage', 'the form has no file part'))
        const bytes = await part.toBuffer()
        if (sniffImageType(bytes) === null) return sendProblem(reply, problem(415, 'usage', 'only PNG and JPEG images are accepted (checked by their content, not the name)'))
        return reply.code(201).send(await (await thumbnails()).save(callerOf(request), bytes))
      },
    )
  })
}
