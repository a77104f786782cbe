import { z } from 'zod'
import { idParams, isoTime, jsonObject, pageOf, pageQuery, problems, queryFlag, storedJson, toApiPage } from '../schemas.js'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'

export const template = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string().nullable(),
  matching_rules: storedJson,
  processing_config: storedJson,
  metadata_config: storedJson,
  output_config: storedJson,
  is_draft: z.boolean(),
  is_active: z.boolean(),
  problems: z.array(z.string()).optional(),
  created_at: isoTime,
  updated_at: isoTime,
})

const fromRecordingParams = z.object({ recording_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) })
export const fromRecordingBody = z
  .object({
    name: z.string().min(1).max(200),
    match_pattern: z.string().min(1).max(500).optional(),
    match_source_id: z.number().int().positive().optional(),
  })
  .strict()

const stats = z.object({
  template: z.object({ id: z.number().int(), name: z.string() }),
  total: z.number().int(),
  by_status: z.record(z.string(), z.number().int()),
  failed: z.number().int(),
  matched_count: z.number().int(),
  last_matched_at: isoTime.nullable(),
  last_activity_at: isoTime.nullable(),
})

const rematchBody = z.object({ only_unmapped: z.boolean().optional() }).strict()
const rematchResult = z.object({
  template: z.object({ id: z.number().int(), name: z.string() }),
  only_unmapped: z.boolean(),
  considered: z.number().int(),
  changes: z.array(
    z.object({
      recording_id: z.number().int(),
      display_name: z.string(),
      from_template_id: z.number().int().nullable(),
      to_template_id: z.number().int().nullable(),
      reason: z.string().nullable(),
    }),
  ),
  applied: z.boolean(),
})

const tags = ['templates']
const perm = { auth: { permission: 'can_create_templates' as const } }

/** /templates: the caller's templates (REST-API.md "Templates"); writes need can_create_templates. */
export function registerTemplateRoutes(server: ApiServer, ctx: RouteContext): void {
  const templates = () => ctx.app.service('templates')

  server.get(
    '/templates',
    {
      schema: { tags, summary: 'List your templates', querystring: pageQuery.extend({ include_drafts: queryFlag.optional() }), response: { 200: pageOf(template), ...problems(400, 401) } },
    },
    async (request) => {
      const { limit, cursor, include_drafts } = request.query
      return toApiPage(await (await templates()).list(callerOf(request), { limit, cursor, includeDrafts: include_drafts }))
    },
  )

  server.post(
    '/templates/from-recording/:recording_id',
    {
      schema: {
        tags,
        summary: "A template that matches this recording's title (or a pattern), with its config override",
        params: fromRecordingParams,
        body: fromRecordingBody,
        response: { 201: template, ...problems(400, 401, 403, 404, 409, 422) },
      },
      config: perm,
    },
    async (request, reply) => {
      const { name, match_pattern, match_source_id } = request.body
      const created = await (await templates()).fromRecording(callerOf(request), {
        recordingId: request.params.recording_id,
        name,
        matchPattern: match_pattern,
        matchSourceId: match_source_id,
      })
      return reply.code(201).send(created)
    },
  )

  server.get('/templates/:id', { schema: { tags, summary: 'One template, with references to presets or sources that are gone', params: idParams, response: { 200: template, ...problems(400, 401, 404) } } }, async (request) =>
    (await templates()).show(callerOf(request), request.params.id),
  )

  server.post(
    '/templates',
    { schema: { tags, summary: 'Add a template (validated like `recflow templates add`)', body: jsonObject, response: { 201: template, ...problems(400, 401, 403, 404, 409, 422) } }, config: perm },
    async (request, reply) => {
      // auto_rematch (default true) is the API's option, not a template field: the new template takes the unmapped
      // recordings it now wins (see /rematch).
      const { auto_rematch: autoRematch, ...input } = request.body
      return reply.code(201).send(await (await templates()).create(callerOf(request), input, { rematch: autoRematch !== false }))
    },
  )

  server.patch(
    '/templates/:id',
    { schema: { tags, summary: 'Change a template (validated exactly like create)', params: idParams, body: jsonObject, response: { 200: template, ...problems(400, 401, 403, 404, 409, 422) } }, config: perm },
    async (request) => (await templates()).update(callerOf(request), request.params.id, request.body),
  )

  server.delete(
    '/templates/:id',
    {
      schema: {
        tags,
        summary: 'Remove a template (its recordings become unmapped; refused while automation jobs use it, unless force=true)',
        params: idParams,
        querystring: z.object({ force: queryFlag.optional() }),
        response: { 200: z.object({ id: z.number().int(), removed: z.literal(true) }).catchall(z.unknown()), ...problems(400, 401, 403, 404, 409) },
      },
      config: perm,
    },
    async (request) => (await templates()).remove(callerOf(request), request.params.id, { force: request.query.force }),
  )

  server.post(
    '/templates/:id/preview-match',
    {
      schema: {
        tags,
        summary: 'Which unmapped recordings this template would match now (no writes)',
        params: idParams,
        response: { 200: z.object({ template: z.object({ id: z.number().int(), name: z.string() }), considered: z.number().int(), matches: z.array(z.unknown()) }), ...problems(400, 401, 404) },
      },
    },
    async (request) => (await templates()).preview(callerOf(request), request.params.id),
  )

  server.get(
    '/templates/:id/stats',
    { schema: { tags, summary: 'Its recordings by status, how many failed, how many it matched and when it last did', params: idParams, response: { 200: stats, ...problems(400, 401, 404) } } },
    async (request) => (await templates()).stats(callerOf(request), request.params.id),
  )

  server.post(
    '/templates/:id/rematch',
    {
      schema: {
        tags,
        summary:
          'Match again now (synchronous: one transaction): unmapped recordings it wins are bound to it and, unless only_unmapped, its recordings that no longer match move to the template that wins or to unmapped. Only recordings not yet started (INITIALIZED, SKIPPED, waiting for their source) change',
        params: idParams,
        body: rematchBody.nullish(),
        response: { 200: rematchResult, ...problems(400, 401, 404, 422) },
      },
    },
    async (request) => (await templates()).rematch(callerOf(request), request.params.id, { onlyUnmapped: request.body?.only_unmapped }),
  )

  server.post(
    '/templates/:id/preview-rematch',
    {
      schema: { tags, summary: 'What /rematch would change (the same selection), without writing', params: idParams, body: rematchBody.nullish(), response: { 200: rematchResult, ...problems(400, 401, 404, 422) } },
    },
    async (request) => (await templates()).previewRematch(callerOf(request), request.params.id, { onlyUnmapped: request.body?.only_unmapped }),
  )
}
