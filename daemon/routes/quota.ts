import { z } from 'zod'
import { callerOf, type ApiServer, type RouteContext } from '../route-context.js'
import { idParams, jsonObject, pageOf, pageQuery, problems, queryFlag, toApiPage } from '../schemas.js'

const limit = z.number().int().nullable()
const limits = z.object({
  recordings_per_month: limit,
  storage_bytes: limit,
  concurrent_tasks: limit,
  automation_jobs: limit,
  min_automation_interval_hours: limit,
})
const availability = z.object({ limit, used: z.number(), remaining: z.number().nullable(), exhausted: z.boolean(), exceeded: z.boolean() })

const quotaStatus = z.object({
  period: z.string(),
  renews_at: z.string(),
  plan: z
    .object({ name: z.string(), display_name: z.string(), price_monthly_cents: limit, overage_price_per_recording_cents: limit })
    .nullable(),
  pay_as_you_go: z.boolean(),
  limits,
  usage: z.object({
    recordings: z.number(),
    storage_bytes: z.number(),
    concurrent_tasks: z.number(),
    automation_jobs: z.number(),
    overage_recordings: z.number(),
    overage_cost_cents: z.number(),
  }),
  availability: z.object({ recordings_per_month: availability, storage_bytes: availability, concurrent_tasks: availability, automation_jobs: availability }),
})

const quotaPeriod = z.object({ period: z.string(), recordings: z.number(), overage_recordings: z.number(), overage_cost_cents: z.number(), storage_bytes: z.number() })

const userUsage = z.object({
  user_id: z.number().int(),
  email: z.string(),
  role: z.string(),
  is_active: z.boolean(),
  plan: z.string(),
  pay_as_you_go: z.boolean(),
  recordings: z.number(),
  recordings_limit: limit,
  storage_bytes: z.number(),
  storage_limit: limit,
  overage_recordings: z.number(),
  overage_cost_cents: z.number(),
  exceeded: z.boolean(),
})

const subscription = z.object({
  user_id: z.number().int(),
  plan: z.string(),
  pay_as_you_go: z.boolean(),
  custom: z.record(z.string(), limit),
  limits,
  changed: z.boolean().optional(),
})

/** /users/me/quota (the caller's plan and usage) and /admin/* (REST-API.md "Admin"). */
export function registerQuotaRoutes(server: ApiServer, ctx: RouteContext): void {
  const quota = () => ctx.app.service('quota')
  const admin = () => ctx.app.service('quotaAdmin')

  server.get(
    '/users/me/quota',
    { schema: { tags: ['users'], summary: 'Your plan, effective limits, usage this period and availability per quota', response: { 200: quotaStatus, ...problems(401) } } },
    async (request) => (await quota()).status(callerOf(request)),
  )

  server.get(
    '/users/me/quota/history',
    {
      schema: {
        tags: ['users'],
        summary: 'Your usage per period, newest first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(24).default(12) }),
        response: { 200: z.object({ items: z.array(quotaPeriod) }), ...problems(400, 401) },
      },
    },
    async (request) => ({ items: await (await quota()).history(callerOf(request), { limit: request.query.limit }) }),
  )

  const tags = ['admin']
  server.get(
    '/admin/stats/overview',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: 'Users, active users, recordings, storage, users by plan',
        response: {
          200: z.object({
            period: z.string(),
            users: z.number(),
            active_users: z.number(),
            recordings: z.number(),
            recordings_by_status: z.record(z.string(), z.number()),
            storage_bytes: z.number(),
            source_bytes: z.number(),
            users_by_plan: z.record(z.string(), z.number()),
          }),
          ...problems(401, 403),
        },
      },
    },
    async (request) => (await admin()).overview(callerOf(request)),
  )

  server.get(
    '/admin/stats/users',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: 'Usage against limits per user (this period); filters plan and exceeded_only',
        querystring: pageQuery.extend({ plan: z.string().min(1).max(64).optional(), exceeded_only: queryFlag.optional() }),
        response: { 200: pageOf(userUsage).extend({ period: z.string() }), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit, cursor, plan, exceeded_only } = request.query
      const page = await (await admin()).users(callerOf(request), { limit, cursor, plan, exceededOnly: exceeded_only })
      return { ...toApiPage(page), period: page.period }
    },
  )

  server.get(
    '/admin/stats/quotas',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: 'Totals per period and aggregates per plan',
        querystring: z.object({ periods: z.coerce.number().int().min(1).max(24).default(12) }),
        response: {
          200: z.object({
            period: z.string(),
            periods: z.array(
              z.object({ period: z.string(), users: z.number(), recordings: z.number(), overage_recordings: z.number(), overage_cost_cents: z.number(), storage_delta_bytes: z.number() }),
            ),
            plans: z.array(
              z.object({ plan: z.string(), users: z.number(), recordings: z.number(), storage_bytes: z.number(), overage_recordings: z.number(), overage_cost_cents: z.number() }),
            ),
          }),
          ...problems(400, 401, 403),
        },
      },
    },
    async (request) => (await admin()).quotas(callerOf(request), { periods: request.query.periods }),
  )

  server.get(
    '/admin/users/:id/subscription',
    { config: { auth: 'admin' }, schema: { tags, summary: "A user's plan, custom limits and pay-as-you-go", params: idParams, response: { 200: subscription, ...problems(400, 401, 403, 404) } } },
    async (request) => (await admin()).getSubscription(callerOf(request), request.params.id),
  )

  server.patch(
    '/admin/users/:id/subscription',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: 'Set plan, custom limits (null: the plan applies, 0 forbids) and pay-as-you-go; recorded in quota_change_history',
        params: idParams,
        body: jsonObject,
        response: { 200: subscription, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request) => (await admin()).setSubscription(callerOf(request), request.params.id, request.body),
  )
}
