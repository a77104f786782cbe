import { RecflowError } from '../../domain/errors.js'
import { codec, type Decoded } from '../codec.js'
import { guardWrite } from '../constraint-errors.js'
import type { RawRow } from '../schema.js'
import type { Executor } from '../transaction.js'
import { isId, nowIso } from '../values.js'

/** A plan. NULL limit = unlimited, 0 = forbidden; NULL price = custom. */
export type Plan = Decoded<RawRow<'subscription_plans'>, never, 'is_active'>
/** A user's subscription. NULL `custom_*` = the plan's value applies. */
export type Subscription = Decoded<RawRow<'user_subscriptions'>, never, 'pay_as_you_go_enabled'>

export interface SubscriptionPatch {
  /** Switch plans by name (or by `plan_id`). */
  plan?: string
  plan_id?: number
  custom_recordings_per_month?: number | null
  custom_storage_bytes?: number | null
  custom_max_concurrent_tasks?: number | null
  custom_max_automation_jobs?: number | null
  custom_min_automation_interval_hours?: number | null
  pay_as_you_go_enabled?: boolean
  starts_at?: string | Date
  expires_at?: string | Date | null
}

const planCodec = codec<Plan>({ writable: [], flags: ['is_active'], bytes: ['included_storage_bytes'] })
const subscriptionCodec = codec<Subscription>({
  writable: [
    'plan_id',
    'custom_recordings_per_month',
    'custom_storage_bytes',
    'custom_max_concurrent_tasks',
    'custom_max_automation_jobs',
    'custom_min_automation_interval_hours',
    'pay_as_you_go_enabled',
    'starts_at',
    'expires_at',
  ],
  flags: ['pay_as_you_go_enabled'],
  bytes: ['custom_storage_bytes'],
  times: ['starts_at', 'expires_at'],
})

/** Plans are shared by everyone (read-only here; changed by migrations). */
export function planRepository(executor: Executor) {
  return {
    async list(filters: { activeOnly?: boolean } = {}): Promise<Plan[]> {
      let query = executor.selectFrom('subscription_plans').selectAll()
      if (filters.activeOnly) query = query.where('is_active', '=', 1)
      return (await query.orderBy('id', 'asc').execute()).map((r) => planCodec.decode(r))
    },
    async get(id: number): Promise<Plan | undefined> {
      if (!isId(id)) return undefined
      const raw = await executor.selectFrom('subscription_plans').selectAll().where('id', '=', id).executeTakeFirst()
      return raw === undefined ? undefined : planCodec.decode(raw)
    },
    async getByName(name: string): Promise<Plan | undefined> {
      const raw = await executor.selectFrom('subscription_plans').selectAll().where('name', '=', name).executeTakeFirst()
      return raw === undefined ? undefined : planCodec.decode(raw)
    },
  }
}

export function subscriptionRepository(executor: Executor, userId: number) {
  const get = async (): Promise<Subscription | undefined> => {
    const raw = await executor
      .selectFrom('user_subscriptions')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return raw === undefined ? undefined : subscriptionCodec.decode(raw)
  }

  return {
    get,

    async getWithPlan(): Promise<{ subscription: Subscription; plan: Plan } | undefined> {
      const subscription = await get()
      if (subscription === undefined) return undefined
      const plan = await planRepository(executor).get(subscription.plan_id)
      if (plan === undefined) throw new RecflowError('internal', `plan ${subscription.plan_id} of user ${userId} is missing`)
      return { subscription, plan }
    },

    async update(patch: SubscriptionPatch): Promise<Subscription | undefined> {
      const values = subscriptionCodec.encode(patch)
      const plans = planRepository(executor)
      if (patch.plan !== undefined) {
        const plan = await plans.getByName(patch.plan)
        if (plan === undefined) throw new RecflowError('not_found', `plan ${patch.plan} not found`)
        values.plan_id = plan.id
      } else if (patch.plan_id !== undefined && (await plans.get(patch.plan_id)) === undefined) {
        throw new RecflowError('not_found', `plan ${patch.plan_id} not found`)
      }
      if (Object.keys(values).length === 0) return get()
      const raw = await guardWrite('subscription', () =>
        executor
          .updateTable('user_subscriptions')
          .set({ ...values, updated_at: nowIso() })
          .where('user_id', '=', userId)
          .returningAll()
          .executeTakeFirst(),
      )
      return raw === undefined ? undefined : subscriptionCodec.decode(raw)
    },
  }
}
