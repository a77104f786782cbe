import { z } from 'zod'
import { idParams, jsonObject, problems } from '../schemas.js'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'
import { fromRecordingBody, template } from './templates.js'

const recordingConfig = z.object({
  recording_id: z.number().int(),
  template_id: z.number().int().nullable(),
  config: jsonObject,
  /** Config path -> the layer its value came from: default, user, template or recording. */
  sources: z.record(z.string(), z.string()),
  override: jsonObject.nullable(),
})

const tags = ['recordings']

/** /recordings/{id}/config: the resolved config with its layers, and the recording's manual override layer. */
export function registerRecordingConfigRoutes(server: ApiServer, ctx: RouteContext): void {
  const recordings = () => ctx.app.service('recordings')

  server.get(
    '/recordings/:id/config',
    {
      schema: {
        tags,
        summary: "The recording's resolved config, the layer each value came from (default < user < template < recording), and its override",
        params: idParams,
        response: { 200: recordingConfig, ...problems(400, 401, 404, 422) },
      },
    },
    async (request) => (await recordings()).config(callerOf(request), request.params.id),
  )

  server.put(
    '/recordings/:id/config',
    {
      schema: {
        tags,
        summary: 'Store the manual override layer (only the values that differ; validated by the config schema; {} drops it)',
        params: idParams,
        body: jsonObject,
        response: { 200: recordingConfig, ...problems(400, 401, 404, 422) },
      },
    },
    async (request) => (await recordings()).setConfig(callerOf(request), request.params.id, request.body),
  )

  server.delete(
    '/recordings/:id/config',
    { schema: { tags, summary: 'Drop the manual override layer', params: idParams, response: { 200: recordingConfig, ...problems(400, 401, 404, 422) } } },
    async (request) => (await recordings()).setConfig(callerOf(request), request.params.id, null),
  )

  server.post(
    '/recordings/:id/config/save-as-template',
    {
      schema: {
        tags,
        summary: "A template with this recording's override as its processing_config, matching its title (or a pattern)",
        params: idParams,
        body: fromRecordingBody,
        response: { 201: template, ...problems(400, 401, 403, 404, 409, 422) },
      },
      config: { auth: { permission: 'can_create_templates' } },
    },
    async (request, reply) => {
      const { name, match_pattern, match_source_id } = request.body
      const created = await (await ctx.app.service('templates')).fromRecording(callerOf(request), {
        recordingId: request.params.id,
        name,
        matchPattern: match_pattern,
        matchSourceId: match_source_id,
      })
      return reply.code(201).send(created)
    },
  )
}
