import type { UserScope } from '../../db/index.js'
import { effectiveLimits, type EffectiveLimits } from '../../domain/quota/index.js'
import type { Plan, Subscription } from '../../db/index.js'

export interface UserPlan {
  plan: Plan | undefined
  subscription: Subscription | undefined
  limits: EffectiveLimits
}

/** The user's plan, subscription and effective limits (custom ?? plan), read through the user's scope. */
export async function userPlan(scope: UserScope): Promise<UserPlan> {
  const found = await scope.subscription.getWithPlan()
  return { plan: found?.plan, subscription: found?.subscription, limits: effectiveLimits(found?.plan, found?.subscription) }
}
