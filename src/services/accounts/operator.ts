import type { Page, Plan, User } from '../../db/index.js'
import { emailSchema, parseAccountInput, type Role } from '../../domain/accounts/index.js'
import { RecflowError } from '../../domain/errors.js'
import type { ServiceDeps, UserRef } from '../context.js'
import type { ListOptions } from '../paging.js'
import { createAccount, toProfile, type Profile } from './profile.js'
import { generatePassword } from './password-hash.js'

/** One row of `recflow users list` / an admin listing. */
export interface UserSummary extends Profile {
  plan: string
}

export interface CreateUserInput {
  email: string
  /** Omitted: a random one is generated and returned once. */
  password?: string
  full_name?: string | null
  role?: Role
  plan?: string
}

export interface PlanChange {
  user_id: number
  email: string
  old_plan: string
  new_plan: string
  changed: boolean
}

const USERS_HINT = 'run `recflow users list` to see the users'

/**
 * What the operator does to accounts (`recflow users ...`, later the admin routes): create, list, change plans.
 * The actor must be an admin (the CLI's local user is one).
 */
export function userOperations(deps: ServiceDeps) {
  const { scopes } = deps
  const system = () => scopes.system()

  const requireAdmin = async (actor: UserRef): Promise<void> => {
    const row = await scopes.forUser(actor.id).profile.get()
    if (row === undefined || !row.is_active || row.role !== 'admin') throw new RecflowError('forbidden', 'only an administrator may manage users')
  }

  const planNames = async (): Promise<string> => (await system().plans.list({ activeOnly: true })).map((p) => p.name).join(', ')

  const planOf = async (userId: number): Promise<Plan> => {
    const found = await scopes.forUser(userId).subscription.getWithPlan()
    if (found === undefined) throw new RecflowError('internal', `user ${userId} has no subscription`)
    return found.plan
  }

  const checkPlan = async (name: string): Promise<Plan> => {
    const plan = await system().plans.getByName(name)
    if (plan === undefined || !plan.is_active) throw new RecflowError('not_found', `plan ${name} not found`, { hint: `use one of: ${await planNames()}` })
    return plan
  }

  const summary = async (u: User): Promise<UserSummary> => ({ ...toProfile(u), plan: (await planOf(u.id)).name })

  /** A user by id (digits) or email. */
  const resolve = async (ref: string): Promise<User> => {
    const user = /^\d+$/.test(ref) ? await system().users.get(Number(ref)) : await system().users.findByEmail(ref)
    if (user === undefined) throw new RecflowError('not_found', `user ${ref} not found`, { hint: USERS_HINT })
    return user
  }

  return {
    async createUser(actor: UserRef, input: CreateUserInput): Promise<{ user: UserSummary; generated_password?: string }> {
      await requireAdmin(actor)
      const email = parseAccountInput(emailSchema, input.email, 'email')
      const plan = await checkPlan(input.plan ?? 'free')
      const generated = input.password === undefined ? generatePassword() : undefined
      const password = input.password ?? generated!
      const created = await createAccount(deps, { email, password, full_name: input.full_name, role: input.role ?? 'user', plan: plan.name }, USERS_HINT)
      return { user: await summary(created), ...(generated === undefined ? {} : { generated_password: generated }) }
    },

    async listUsers(actor: UserRef, opts: ListOptions = {}): Promise<Page<UserSummary>> {
      await requireAdmin(actor)
      const page = await system().users.list({ limit: opts.limit, cursor: opts.cursor })
      return { items: await Promise.all(page.items.map(summary)), nextCursor: page.nextCursor }
    },

    /** Moves a user to another plan and records the change in quota_change_history (who, from, to). */
    async setPlan(actor: UserRef, userRef: string, planName: string, notes?: string): Promise<PlanChange> {
      await requireAdmin(actor)
      const user = await resolve(userRef)
      const plan = await checkPlan(planName)
      return scopes.forUser(user.id).transaction(async (tx) => {
        const current = await tx.subscription.getWithPlan()
        if (current === undefined) throw new RecflowError('internal', `user ${user.id} has no subscription`)
        const change = { user_id: user.id, email: user.email, old_plan: current.plan.name, new_plan: plan.name }
        if (current.plan.id === plan.id) return { ...change, changed: false }
        await tx.subscription.update({ plan_id: plan.id })
        await tx.quota.recordChange({
          changed_by: actor.id,
          change_type: 'plan',
          old_value: { plan: current.plan.name },
          new_value: { plan: plan.name },
          notes: notes ?? null,
        })
        return { ...change, changed: true }
      })
    },
  }
}
