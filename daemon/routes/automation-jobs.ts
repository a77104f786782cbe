import { z } from 'zod'
import { accepted, idParams, isoTime, jsonObject, pageOf, pageQuery, problems, queryFlag, storedJson, taskAccepted, toApiPage } from '../schemas.js'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'

const job = z.object({
  id: z.number().int(),
  name: z.string(),
  source_ids: storedJson.describe('source ids (JSON array)'),
  template_ids: storedJson.describe('template ids (JSON array)'),
  schedule: storedJson,
  /** The schedule in words ("every day at 09:00 (Europe/Berlin)"). */
  description: z.string(),
  upload: z.boolean(),
  max_parallel: z.number().int(),
  is_active: z.boolean(),
  last_run_at: isoTime.nullable(),
  next_run_at: isoTime.nullable(),
  created_at: isoTime,
  updated_at: isoTime,
})

const jobDetails = job.extend({ next_runs: z.array(z.object({ local: z.string(), utc: z.string() })) })

const jobRun = z.object({
  id: z.number().int(),
  job_id: z.number().int(),
  started_at: isoTime,
  finished_at: isoTime.nullable(),
  status: z.string(),
  result: storedJson,
  error: z.string().nullable(),
})

const runBody = z.strictObject({ dry_run: z.boolean().optional() })

const tags = ['automation']
const JOB_BODY =
  '{name, source_ids, template_ids, schedule: {type: time_of_day|hours|weekdays|cron, ..., timezone?}, upload?, max_parallel?, is_active?}; plan limits (job count, minimum interval) are 429 QUOTA_EXCEEDED'

/** /automation/jobs: the caller's scheduled jobs and their runs (REST-API.md "Automation"), the `recflow jobs` service. */
export function registerAutomationJobRoutes(server: ApiServer, ctx: RouteContext): void {
  const jobs = () => ctx.app.service('jobs')

  server.get(
    '/automation/jobs',
    { schema: { tags, summary: 'List your automation jobs', querystring: pageQuery.extend({ active_only: queryFlag.optional() }), response: { 200: pageOf(job), ...problems(400, 401) } } },
    async (request) => {
      const { limit, cursor, active_only } = request.query
      return toApiPage(await (await jobs()).list(callerOf(request), { limit, cursor, activeOnly: active_only }))
    },
  )

  server.post(
    '/automation/jobs',
    { schema: { tags, summary: `Add an automation job: ${JOB_BODY}`, body: jsonObject, response: { 201: job, ...problems(400, 401, 404, 422, 429) } } },
    async (request, reply) => reply.code(201).send(await (await jobs()).add(callerOf(request), request.body)),
  )

  server.get('/automation/jobs/:id', { schema: { tags, summary: 'One automation job with its next 5 runs', params: idParams, response: { 200: jobDetails, ...problems(400, 401, 404) } } }, async (request) =>
    (await jobs()).show(callerOf(request), request.params.id),
  )

  server.patch(
    '/automation/jobs/:id',
    {
      schema: {
        tags,
        summary: 'Change an automation job (the fields given replace the stored ones; the schedule is re-validated and the next run recomputed)',
        params: idParams,
        body: jsonObject,
        response: { 200: job, ...problems(400, 401, 404, 422, 429) },
      },
    },
    async (request) => (await jobs()).edit(callerOf(request), request.params.id, request.body),
  )

  server.delete(
    '/automation/jobs/:id',
    { schema: { tags, summary: 'Remove an automation job and its run history', params: idParams, response: { 200: z.object({ id: z.number().int(), removed: z.literal(true) }), ...problems(400, 401, 404) } } },
    async (request) => (await jobs()).remove(callerOf(request), request.params.id),
  )

  server.post(
    '/automation/jobs/:id/run',
    {
      schema: {
        tags,
        summary: 'Run a job now in a task; dry_run: the task result is what a run would sync, match, process and publish, and nothing is written',
        params: idParams,
        body: runBody.nullish(),
        response: { 202: taskAccepted, ...problems(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const task = await (await jobs()).queueRun(callerOf(request), request.params.id, { dryRun: request.body?.dry_run })
      return reply.code(202).send(accepted(task.id))
    },
  )

  server.get(
    '/automation/jobs/:id/runs',
    { schema: { tags, summary: "A job's recorded runs, newest first", params: idParams, querystring: pageQuery, response: { 200: pageOf(jobRun), ...problems(400, 401, 404) } } },
    async (request) => {
      const { limit, cursor } = request.query
      return toApiPage(await (await jobs()).runs(callerOf(request), request.params.id, { limit, cursor }))
    },
  )
}
