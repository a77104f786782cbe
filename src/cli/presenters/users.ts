import type { PlanChange, UserSummary } from '../../services/accounts/operator.js'
import { table } from './table.js'

/** `recflow users list`: one line per account. */
export function usersTable(users: readonly UserSummary[]): string {
  return table(
    users,
    [
      { header: 'id', value: (u) => u.id },
      { header: 'email', value: (u) => u.email, max: 40 },
      { header: 'name', value: (u) => u.full_name, max: 24 },
      { header: 'role', value: (u) => u.role },
      { header: 'plan', value: (u) => u.plan },
      { header: 'active', value: (u) => u.is_active },
      { header: 'last login', value: (u) => u.last_login_at?.slice(0, 16).replace('T', ' ') },
    ],
    'no users yet: add one with `recflow users create EMAIL`',
  )
}

export function createdUserText({ user, generated_password }: { user: UserSummary; generated_password?: string }): string[] {
  const lines = [`Created user ${user.id} ${user.email} (${user.role}, plan ${user.plan}).`]
  if (generated_password !== undefined) {
    lines.push(
      `Initial password (shown only now): ${generated_password}`,
      'Hand it over privately; they change it with POST /api/v1/users/me/password after signing in.',
    )
  }
  return lines
}

export function planChangeText(c: PlanChange): string {
  return c.changed
    ? `User ${c.user_id} ${c.email}: plan ${c.old_plan} -> ${c.new_plan} (recorded in the quota history).`
    : `User ${c.user_id} ${c.email} is already on plan ${c.new_plan}; nothing changed.`
}
