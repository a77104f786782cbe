import { z } from 'zod'
import { RECORDING_FILE_KINDS } from '../../src/domain/resources/recording-file-kinds.js'
import { idParams, isoTime, pageOf, pageQuery, problems, queryList, queryFlag, storedJson } from '../schemas.js'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'

const optionalId = idParams.shape.id.optional()

/** A recording as every route returns it (POST /recordings too). */
export const recording = z.object({
  id: z.number().int(),
  display_name: z.string(),
  start_time: isoTime,
  duration: z.number().nullable(),
  status: z.string(),
  is_mapped: z.boolean(),
  failed: z.boolean(),
  failed_stage: z.string().nullable(),
  failed_reason: z.string().nullable(),
  failed_at: isoTime.nullable(),
  template_id: z.number().int().nullable(),
  input_source_id: z.number().int().nullable(),
  size_bytes: z.number().nullable(),
  blank_record: z.boolean(),
  created_at: isoTime,
  updated_at: isoTime,
})

const stage = z.object({
  stage_type: z.string(),
  status: z.string(),
  failed_reason: z.string().nullable(),
  skip_reason: z.string().nullable(),
  started_at: isoTime.nullable(),
  completed_at: isoTime.nullable(),
  attempts: z.number().int(),
})

// No target_meta: it holds the uploader's checkpoint (an upload session URL is a credential of its own).
const target = z.object({
  id: z.number().int(),
  preset_id: z.number().int().nullable(),
  target_type: z.string(),
  status: z.string(),
  failed_reason: z.string().nullable(),
  uploaded_at: isoTime.nullable(),
  url: z.string().nullable(),
})

const topicVersion = z.object({
  version: z.number().int(),
  active: z.boolean(),
  main_topic: z.string(),
  granularity: z.string(),
  provider: z.string(),
  model: z.string(),
  created_at: isoTime,
})

const listQuery = pageQuery.extend({
  status: queryList.optional(),
  failed: queryFlag.optional(),
  mapped: queryFlag.optional(),
  template_id: optionalId,
  source_id: optionalId,
  search: z.string().min(1).max(200).optional(),
  from: z.string().min(1).max(40).optional(),
  to: z.string().min(1).max(40).optional(),
})

const tags = ['recordings']

/** A page of recordings; its items have exactly RECORDING_SUMMARY_FIELDS (the list's JSON is made by the database). */
export const recordingPage = pageOf(recording)

/** /recordings (REST-API.md "Recordings"): list, one recording, reset; the rest answer 501 until built. */
export function registerRecordingRoutes(server: ApiServer, ctx: RouteContext): void {
  const recordings = () => ctx.app.service('recordings')
  // The reply text of a page the service keeps (it hands back the same page object while it is current): a
  // 25 kB string built again on every request was most of the list route's garbage.
  const bodies = new WeakMap<object, string>()

  server.get(
    '/recordings',
    { schema: { tags, summary: 'List your recordings, newest first, with filters', querystring: listQuery, response: { 200: recordingPage, ...problems(400, 401) } } },
    async (request, reply) => {
      const q = request.query
      const page = await (await recordings()).listJson(callerOf(request), {
        status: q.status,
        failed: q.failed,
        mapped: q.mapped,
        templateId: q.template_id,
        sourceId: q.source_id,
        search: q.search,
        from: q.from,
        to: q.to,
        limit: q.limit,
        cursor: q.cursor,
      })
      // The items are JSON text made by the database in the shape of `recording` (test/daemon/recordings.test.ts
      // compares the two), sent as they are: no rows read into objects, nothing serialised again.
      let body = bodies.get(page)
      if (body === undefined) bodies.set(page, (body = `{"items":${page.itemsJson},"next_cursor":${JSON.stringify(page.nextCursor)}}`))
      return reply.type('application/json; charset=utf-8').send(body as unknown as z.infer<typeof recordingPage>)
    },
  )

  server.get(
    '/recordings/:id',
    {
      schema: {
        tags,
        summary: 'One recording; detailed=true adds its stages, output targets, topic versions and the files it has',
        params: idParams,
        querystring: z.object({ detailed: queryFlag.optional() }),
        response: { 200: recording.extend({ stages: z.array(stage).optional(), targets: z.array(target).optional(), files: z.array(z.enum(RECORDING_FILE_KINDS)).optional(), topic_versions: z.array(topicVersion).optional(), zoom_trash: storedJson.optional() }), ...problems(400, 401, 404) },
      },
    },
    async (request) => {
      const service = await recordings()
      const user = callerOf(request)
      return request.query.detailed ? service.show(user, request.params.id) : service.get(user, request.params.id)
    },
  )

  server.post(
    '/recordings/:id/reset',
    {
      schema: {
        tags,
        summary: 'Back to the start: delete artefacts, stages and unpublished targets; keep the template binding (409 while a task runs it)',
        params: idParams,
        querystring: z.object({ forget_published: queryFlag.optional() }),
        response: {
          200: z.object({ id: z.number().int(), status: z.string(), removed_stages: z.number().int(), removed_targets: z.number().int(), kept_targets: z.number().int() }),
          ...problems(400, 401, 404, 409),
        },
      },
    },
    async (request) => {
      const r = await (await recordings()).reset(callerOf(request), request.params.id, { forgetPublished: request.query.forget_published })
      return { id: r.id, status: r.status, removed_stages: r.removedStages, removed_targets: r.removedTargets, kept_targets: r.keptTargets }
    },
  )

  server.delete(
    '/recordings/:id',
    {
      schema: {
        tags,
        summary: 'Delete it with its media (its storage is given back); 409 while a task runs it. A synced recording keeps a hidden row so no sync brings it back',
        params: idParams,
        response: { 200: z.object({ id: z.number().int(), row: z.enum(['removed', 'tombstone']), freed_bytes: z.number() }), ...problems(400, 401, 403, 404, 409) },
      },
      config: { auth: { permission: 'can_delete_recordings' } },
    },
    async (request) => (await recordings()).remove(callerOf(request), request.params.id),
  )
}
