import { sql, type SqlBool } from 'kysely'
import { decodeCursor, pageLimit, toPage, type Page, type PageRequest } from '../cursor.js'
import type { Executor } from '../transaction.js'

/** One user's usage against their effective limits (custom ?? plan; null = unlimited). */
export interface UserQuotaRow {
  user_id: number
  email: string
  role: string
  is_active: boolean
  plan: string
  pay_as_you_go: boolean
  recordings: number
  recordings_limit: number | null
  storage_bytes: number
  storage_limit: number | null
  overage_recordings: number
  overage_cost_cents: number
  /** At or over the recordings or the storage limit (nothing more can start). */
  exceeded: boolean
}

export interface UserQuotaFilters {
  /** The period whose recordings are counted (YYYYMM). */
  period: string
  plan?: string
  exceededOnly?: boolean
}

export interface PeriodTotals {
  period: string
  users: number
  recordings: number
  overage_recordings: number
  overage_cost_cents: number
  storage_delta_bytes: number
}

export interface PlanAggregate {
  plan: string
  users: number
  recordings: number
  storage_bytes: number
  overage_recordings: number
  overage_cost_cents: number
}

const num = (v: unknown): number => Number(v ?? 0)
const limitOf = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

/**
 * Cross-tenant quota figures for the admin endpoints, computed in SQL (filters and paging included): usage per
 * user against the effective limits, totals per period, aggregates per plan. Reached through systemScope only.
 */
export function quotaStatsRepository(executor: Executor) {
  /** Per user: recordings and overage of `period`, stored bytes over all periods. */
  const usageOf = (period: string) =>
    executor
      .selectFrom('quota_usage')
      .select((eb) => [
        'user_id',
        eb.fn.sum<number>(sql`case when period = ${period} then recordings_count else 0 end`).as('recordings'),
        eb.fn.sum<number>(sql`case when period = ${period} then overage_recordings else 0 end`).as('overage_recordings'),
        eb.fn.sum<number>(sql`case when period = ${period} then overage_cost_cents else 0 end`).as('overage_cost_cents'),
        eb.fn.sum<number>('storage_bytes').as('storage_bytes'),
      ])
      .groupBy('user_id')

  const subscribed = (period: string) =>
    executor
      .selectFrom('users as u')
      .innerJoin('user_subscriptions as s', 's.user_id', 'u.id')
      .innerJoin('subscription_plans as p', 'p.id', 's.plan_id')
      .leftJoin(usageOf(period).as('q'), 'q.user_id', 'u.id')

  const recordingsLimit = sql<number | null>`coalesce(s.custom_recordings_per_month, p.included_recordings_per_month)`
  const storageLimit = sql<number | null>`coalesce(s.custom_storage_bytes, p.included_storage_bytes)`
  const recordings = sql<number>`coalesce(q.recordings, 0)`
  const stored = sql<number>`coalesce(q.storage_bytes, 0)`
  const exceeded = sql<SqlBool>`((${recordingsLimit} is not null and ${recordings} >= ${recordingsLimit}) or (${storageLimit} is not null and ${stored} >= ${storageLimit}))`

  return {
    /** Users per plan name (every plan, with 0 for an empty one). */
    async usersByPlan(): Promise<Record<string, number>> {
      const rows = await executor
        .selectFrom('subscription_plans as p')
        .leftJoin('user_subscriptions as s', 's.plan_id', 'p.id')
        .select((eb) => ['p.name', eb.fn.count<number>('s.id').as('n')])
        .groupBy('p.name')
        .orderBy('p.name')
        .execute()
      return Object.fromEntries(rows.map((r) => [r.name, num(r.n)]))
    },

    /** Bytes stored by everyone (the storage deltas of every period added up). */
    async storedBytes(): Promise<number> {
      const row = await executor.selectFrom('quota_usage').select((eb) => eb.fn.sum<number>('storage_bytes').as('n')).executeTakeFirstOrThrow()
      return num(row.n)
    },

    /** Usage against limits per user, ordered by user id; `plan` and `exceededOnly` filter in SQL. */
    async userUsage(filters: UserQuotaFilters, page?: PageRequest): Promise<Page<UserQuotaRow>> {
      const limit = pageLimit(page)
      let query = subscribed(filters.period).select([
        'u.id as user_id',
        'u.email',
        'u.role',
        'u.is_active',
        'p.name as plan',
        's.pay_as_you_go_enabled',
        recordings.as('recordings'),
        recordingsLimit.as('recordings_limit'),
        stored.as('storage_bytes'),
        storageLimit.as('storage_limit'),
        sql<number>`coalesce(q.overage_recordings, 0)`.as('overage_recordings'),
        sql<number>`coalesce(q.overage_cost_cents, 0)`.as('overage_cost_cents'),
        sql<number>`case when ${exceeded} then 1 else 0 end`.as('exceeded'),
      ])
      if (filters.plan !== undefined) query = query.where('p.name', '=', filters.plan)
      if (filters.exceededOnly) query = query.where(exceeded)
      if (page?.cursor) query = query.where('u.id', '>', decodeCursor(page.cursor, { id: 'number' }).id)
      const rows = await query.orderBy('u.id', 'asc').limit(limit + 1).execute()
      const items = rows.map((r) => ({
        user_id: r.user_id,
        email: r.email,
        role: r.role,
        is_active: r.is_active === 1,
        plan: r.plan,
        pay_as_you_go: r.pay_as_you_go_enabled === 1,
        recordings: num(r.recordings),
        recordings_limit: limitOf(r.recordings_limit),
        storage_bytes: num(r.storage_bytes),
        storage_limit: limitOf(r.storage_limit),
        overage_recordings: num(r.overage_recordings),
        overage_cost_cents: num(r.overage_cost_cents),
        exceeded: num(r.exceeded) === 1,
      }))
      return toPage(items, limit, (r) => ({ id: r.user_id }))
    },

    /** Totals per period, newest first (at most `periods`). */
    async periodTotals(periods: number): Promise<PeriodTotals[]> {
      const rows = await executor
        .selectFrom('quota_usage')
        .select((eb) => [
          'period',
          eb.fn.count<number>('user_id').distinct().as('users'),
          eb.fn.sum<number>('recordings_count').as('recordings'),
          eb.fn.sum<number>('overage_recordings').as('overage_recordings'),
          eb.fn.sum<number>('overage_cost_cents').as('overage_cost_cents'),
          eb.fn.sum<number>('storage_bytes').as('storage_delta_bytes'),
        ])
        .groupBy('period')
        .orderBy('period', 'desc')
        .limit(periods)
        .execute()
      return rows.map((r) => ({
        period: r.period,
        users: num(r.users),
        recordings: num(r.recordings),
        overage_recordings: num(r.overage_recordings),
        overage_cost_cents: num(r.overage_cost_cents),
        storage_delta_bytes: num(r.storage_delta_bytes),
      }))
    },

    /** Per plan: its users, their recordings and overage in `period`, and what they store. */
    async planAggregates(period: string): Promise<PlanAggregate[]> {
      const rows = await subscribed(period)
        .select((eb) => [
          'p.name as plan',
          eb.fn.count<number>('u.id').as('users'),
          eb.fn.sum<number>(recordings).as('recordings'),
          eb.fn.sum<number>(stored).as('storage_bytes'),
          eb.fn.sum<number>(sql`coalesce(q.overage_recordings, 0)`).as('overage_recordings'),
          eb.fn.sum<number>(sql`coalesce(q.overage_cost_cents, 0)`).as('overage_cost_cents'),
        ])
        .groupBy('p.name')
        .orderBy('p.name')
        .execute()
      return rows.map((r) => ({
        plan: r.plan,
        users: num(r.users),
        recordings: num(r.recordings),
        storage_bytes: num(r.storage_bytes),
        overage_recordings: num(r.overage_recordings),
        overage_cost_cents: num(r.overage_cost_cents),
      }))
    },
  }
}
