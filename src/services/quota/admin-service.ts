import { z } from 'zod'
import type { Page, PeriodTotals, PlanAggregate, UserQuotaRow } from '../../db/index.js'
import { notFound, RecflowError, validationError } from '../../domain/errors.js'
import { formatZodError } from '../../domain/format-zod-error.js'
import { effectiveLimits, usagePeriod, type EffectiveLimits } from '../../domain/quota/index.js'
import type { ServiceDeps, UserRef } from '../context.js'
import type { ListOptions } from '../paging.js'

const limit = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable()

/** PATCH /admin/users/{id}/subscription: custom limits replace the plan's (0 forbids; null = the plan's value). */
export const subscriptionChangeSchema = z
  .object({
    plan: z.string().min(1).max(64).optional(),
    custom_recordings_per_month: limit.optional(),
    custom_storage_bytes: limit.optional(),
    custom_max_concurrent_tasks: limit.optional(),
    custom_max_automation_jobs: limit.optional(),
    custom_min_automation_interval_hours: limit.optional(),
    pay_as_you_go_enabled: z.boolean().optional(),
    notes: z.string().max(1000).optional(),
  })
  .strict()

export type SubscriptionChange = z.infer<typeof subscriptionChangeSchema>

export interface SubscriptionView {
  user_id: number
  plan: string
  pay_as_you_go: boolean
  custom: Record<string, number | null>
  limits: EffectiveLimits
}

const CUSTOM_KEYS = [
  'custom_recordings_per_month',
  'custom_storage_bytes',
  'custom_max_concurrent_tasks',
  'custom_max_automation_jobs',
  'custom_min_automation_interval_hours',
] as const

export const MAX_PERIODS = 24

/**
 * The administrator's view of plans and usage (GET /admin/stats/*) and subscription changes. Every figure is
 * computed in SQL through the system scope; the caller is checked to be an active admin here too, not only by
 * the route.
 */
export function quotaAdminService(deps: ServiceDeps) {
  const { scopes } = deps
  const period = () => usagePeriod(deps.clock.now())

  const requireAdmin = async (actor: UserRef): Promise<void> => {
    const row = await scopes.forUser(actor.id).profile.get()
    if (row === undefined || !row.is_active || row.role !== 'admin') throw new RecflowError('forbidden', 'only an administrator may see or change plans and usage')
  }

  const view = async (userId: number): Promise<SubscriptionView> => {
    const found = await scopes.forUser(userId).subscription.getWithPlan()
    if (found === undefined) throw new RecflowError('internal', `user ${userId} has no subscription`)
    const { subscription, plan } = found
    return {
      user_id: userId,
      plan: plan.name,
      pay_as_you_go: subscription.pay_as_you_go_enabled,
      custom: Object.fromEntries(CUSTOM_KEYS.map((k) => [k, subscription[k]])),
      limits: effectiveLimits(plan, subscription),
    }
  }

  return {
    async overview(actor: UserRef) {
      await requireAdmin(actor)
      const system = scopes.system()
      const [counts, byPlan, stored] = await Promise.all([system.stats.counts(), system.quotaStats.usersByPlan(), system.quotaStats.storedBytes()])
      return {
        period: period(),
        users: counts.users,
        active_users: counts.activeUsers,
        recordings: counts.recordings,
        recordings_by_status: counts.recordingsByStatus,
        storage_bytes: stored,
        source_bytes: counts.storageBytes,
        users_by_plan: byPlan,
      }
    },

    async users(actor: UserRef, opts: ListOptions & { plan?: string; exceededOnly?: boolean } = {}): Promise<Page<UserQuotaRow> & { period: string }> {
      await requireAdmin(actor)
      const p = period()
      const page = await scopes.system().quotaStats.userUsage({ period: p, plan: opts.plan, exceededOnly: opts.exceededOnly }, opts)
      return { ...page, period: p }
    },

    async quotas(actor: UserRef, opts: { periods?: number } = {}): Promise<{ period: string; periods: PeriodTotals[]; plans: PlanAggregate[] }> {
      await requireAdmin(actor)
      const periods = opts.periods ?? 12
      if (!Number.isInteger(periods) || periods < 1 || periods > MAX_PERIODS) throw validationError(`periods must be an integer from 1 to ${MAX_PERIODS}, got ${periods}`)
      const system = scopes.system()
      const p = period()
      const [totals, plans] = await Promise.all([system.quotaStats.periodTotals(periods), system.quotaStats.planAggregates(p)])
      return { period: p, periods: totals, plans }
    },

    async getSubscription(actor: UserRef, userId: number): Promise<SubscriptionView> {
      await requireAdmin(actor)
      if ((await scopes.system().users.get(userId)) === undefined) throw notFound('user', userId)
      return view(userId)
    },

    /**
     * Changes a user's plan, custom limits or pay-as-you-go, and records what changed (old and new values, by whom)
     * in quota_change_history, in one transaction. A change that changes nothing records nothing.
     */
    async setSubscription(actor: UserRef, userId: number, input: unknown): Promise<SubscriptionView & { changed: boolean }> {
      await requireAdmin(actor)
      const parsed = subscriptionChangeSchema.safeParse(input)
      if (!parsed.success) throw validationError(formatZodError(parsed.error, 'subscription change'))
      const { notes, plan: planName, ...custom } = parsed.data
      if ((await scopes.system().users.get(userId)) === undefined) throw notFound('user', userId)
      const plan = planName === undefined ? undefined : await scopes.system().plans.getByName(planName)
      if (planName !== undefined && (plan === undefined || !plan.is_active)) {
        const names = (await scopes.system().plans.list({ activeOnly: true })).map((p) => p.name).join(', ')
        throw notFound('plan', planName, `use one of: ${names}`)
      }
      const changed = await scopes.forUser(userId).transaction(async (tx) => {
        const current = await tx.subscription.getWithPlan()
        if (current === undefined) throw new RecflowError('internal', `user ${userId} has no subscription`)
        const before: Record<string, unknown> = { plan: current.plan.name, pay_as_you_go_enabled: current.subscription.pay_as_you_go_enabled }
        for (const k of CUSTOM_KEYS) before[k] = current.subscription[k]
        const after: Record<string, unknown> = { ...before, ...custom, ...(plan ? { plan: plan.name } : {}) }
        const keys = Object.keys(after).filter((k) => after[k] !== before[k])
        if (keys.length === 0) return false
        await tx.subscription.update({ ...custom, ...(plan ? { plan_id: plan.id } : {}) })
        await tx.quota.recordChange({
          changed_by: actor.id,
          change_type: keys.length === 1 && keys[0] === 'plan' ? 'plan' : 'subscription',
          old_value: Object.fromEntries(keys.map((k) => [k, before[k]])),
          new_value: Object.fromEntries(keys.map((k) => [k, after[k]])),
          notes: notes ?? null,
        })
        return true
      })
      return { ...(await view(userId)), changed }
    },
  }
}

export type QuotaAdminService = ReturnType<typeof quotaAdminService>
