/*
 * Plan arithmetic. A limit is a number or null: null = unlimited, 0 = forbidden. A subscription's custom value,
 * when set, replaces the plan's (custom NULL = the plan's value applies).
 */

export type Limit = number | null

/** The plan columns the limits come from (structurally: the subscription_plans row). */
export interface PlanLimits {
  included_recordings_per_month: Limit
  included_storage_bytes: Limit
  max_concurrent_tasks: Limit
  max_automation_jobs: Limit
  min_automation_interval_hours: Limit
}

/** The subscription's per-user overrides (structurally: the user_subscriptions row). */
export interface CustomLimits {
  custom_recordings_per_month: Limit
  custom_storage_bytes: Limit
  custom_max_concurrent_tasks: Limit
  custom_max_automation_jobs: Limit
  custom_min_automation_interval_hours: Limit
}

export interface EffectiveLimits {
  recordings_per_month: Limit
  storage_bytes: Limit
  concurrent_tasks: Limit
  automation_jobs: Limit
  /** A minimum, not an allowance: null = any interval; never "forbidden". */
  min_automation_interval_hours: Limit
}

export type QuotaName = Exclude<keyof EffectiveLimits, 'min_automation_interval_hours'>

/** Every limit of a user: custom ?? plan. Without a subscription nothing is allowed but one task at a time. */
export function effectiveLimits(plan: PlanLimits | undefined, custom: CustomLimits | undefined): EffectiveLimits {
  if (plan === undefined || custom === undefined) {
    return { recordings_per_month: 0, storage_bytes: 0, concurrent_tasks: 1, automation_jobs: 0, min_automation_interval_hours: null }
  }
  return {
    recordings_per_month: custom.custom_recordings_per_month ?? plan.included_recordings_per_month,
    storage_bytes: custom.custom_storage_bytes ?? plan.included_storage_bytes,
    concurrent_tasks: custom.custom_max_concurrent_tasks ?? plan.max_concurrent_tasks,
    automation_jobs: custom.custom_max_automation_jobs ?? plan.max_automation_jobs,
    min_automation_interval_hours: custom.custom_min_automation_interval_hours ?? plan.min_automation_interval_hours,
  }
}

export interface Availability {
  limit: Limit
  used: number
  /** What is left (0 when used up or over); null when unlimited. */
  remaining: number | null
  /** Nothing more is allowed (0 = forbidden counts). */
  exhausted: boolean
  /** Usage is above the limit (pay-as-you-go overage, a limit lowered under the usage). */
  exceeded: boolean
}

export function availability(limit: Limit, used: number): Availability {
  if (limit === null) return { limit, used, remaining: null, exhausted: false, exceeded: false }
  return { limit, used, remaining: Math.max(0, limit - used), exhausted: used >= limit, exceeded: used > limit }
}
