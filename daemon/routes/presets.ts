import { z } from 'zod'
import { idParams, isoTime, jsonObject, pageOf, pageQuery, problems, queryFlag, storedJson, toApiPage } from '../schemas.js'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'

const preset = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string().nullable(),
  platform: z.enum(['youtube', 'vk', 'local']),
  credential_id: z.number().int().nullable(),
  preset_metadata: storedJson,
  is_active: z.boolean(),
  created_at: isoTime,
  updated_at: isoTime,
})

const renderBody = z
  .object({
    recording_id: z.number().int().positive().optional(),
    sample: z
      .object({
        display_name: z.string().max(500).optional(),
        start_time: z.string().max(64).optional(),
        duration: z.number().nonnegative().optional(),
        summary: z.string().max(5000).optional(),
        topics: z.array(z.object({ title: z.string().max(500), start: z.number().nonnegative().optional() })).max(500).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()

const tags = ['presets']

/** /presets: the caller's output presets (REST-API.md "Output presets"). */
export function registerPresetRoutes(server: ApiServer, ctx: RouteContext): void {
  const presets = () => ctx.app.service('presets')

  server.get(
    '/presets',
    {
      schema: {
        tags,
        summary: 'List your output presets',
        querystring: pageQuery.extend({ platform: z.enum(['youtube', 'vk', 'local']).optional(), active_only: queryFlag.optional() }),
        response: { 200: pageOf(preset), ...problems(400, 401) },
      },
    },
    async (request) => {
      const { limit, cursor, platform, active_only } = request.query
      return toApiPage(await (await presets()).list(callerOf(request), { limit, cursor, platform, activeOnly: active_only }))
    },
  )

  server.get('/presets/:id', { schema: { tags, summary: 'One output preset', params: idParams, response: { 200: preset, ...problems(400, 401, 404) } } }, async (request) =>
    (await presets()).get(callerOf(request), request.params.id),
  )

  server.post(
    '/presets',
    { schema: { tags, summary: 'Add an output preset (metadata validated per platform)', body: jsonObject, response: { 201: preset, ...problems(400, 401, 404, 409, 422) } } },
    async (request, reply) => reply.code(201).send(await (await presets()).create(callerOf(request), request.body)),
  )

  server.patch(
    '/presets/:id',
    { schema: { tags, summary: 'Change an output preset', params: idParams, body: jsonObject, response: { 200: preset, ...problems(400, 401, 404, 409, 422) } } },
    async (request) => (await presets()).update(callerOf(request), request.params.id, request.body),
  )

  server.delete(
    '/presets/:id',
    {
      schema: {
        tags,
        summary: 'Remove an output preset (refused while templates or configs name it, unless force=true)',
        params: idParams,
        querystring: z.object({ force: queryFlag.optional() }),
        response: { 200: z.object({ id: z.number().int(), removed: z.literal(true) }).catchall(z.unknown()), ...problems(400, 401, 404, 409) },
      },
    },
    async (request) => (await presets()).remove(callerOf(request), request.params.id, { force: request.query.force }),
  )

  server.post(
    '/presets/:id/render',
    {
      schema: {
        tags,
        summary: 'Preview the title, description and tags (and the platform request) for a recording or sample values',
        params: idParams,
        body: renderBody.optional(),
        response: { 200: z.object({ title: z.string(), description: z.string(), tags: z.array(z.string()) }).catchall(z.unknown()), ...problems(400, 401, 404, 422) },
      },
    },
    async (request) =>
      (await presets()).render(callerOf(request), {
        presetId: request.params.id,
        recordingId: request.body?.recording_id,
        sample: request.body?.sample,
      }),
  )
}
