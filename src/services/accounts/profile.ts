import type { User } from '../../db/index.js'
import { passwordProblems, permissionsOf, type Permissions, type Role } from '../../domain/accounts/index.js'
import { RecflowError } from '../../domain/errors.js'
import { ensureDir } from '../../platform/atomic-fs.js'
import type { ServiceDeps } from '../context.js'
import { userMediaDir } from '../pipeline/recording-files.js'
import { hashPassword } from './password-hash.js'

/** What /users/me shows (REST-API.md): never the password hash. */
export interface Profile {
  id: number
  email: string
  full_name: string | null
  timezone: string
  role: 'user' | 'admin'
  permissions: Permissions
  is_active: boolean
  created_at: string
  last_login_at: string | null
}

export const toProfile = (u: User): Profile => ({
  id: u.id,
  email: u.email,
  full_name: u.full_name,
  timezone: u.timezone,
  role: u.role,
  permissions: permissionsOf(u.permissions),
  is_active: u.is_active,
  created_at: u.created_at,
  last_login_at: u.last_login_at,
})

/** The password policy as one validation error listing every problem. */
export function assertPasswordPolicy(password: string, email: string, field = 'password'): void {
  const problems = passwordProblems(password, email)
  if (problems.length > 0) {
    throw new RecflowError('validation', `${field}: ${problems.join('; ')}`, { hint: 'choose at least 10 characters mixing letters, digits or symbols' })
  }
}


/**
 * A new account (registration or the operator): the password checked against the policy, the email free, then
 * the user with its config and subscription (one transaction, in the repository) and its private media folder.
 */
export async function createAccount(
  { scopes, env }: Pick<ServiceDeps, 'scopes' | 'env'>,
  input: { email: string; password: string; full_name?: string | null; role: Role; plan: string },
  conflictHint: string,
): Promise<User> {
  assertPasswordPolicy(input.password, input.email)
  const users = scopes.system().users
  if ((await users.findByEmail(input.email)) !== undefined) {
    throw new RecflowError('conflict', `an account with the email ${input.email} already exists`, { hint: conflictHint })
  }
  const user = await users.create({
    email: input.email,
    password_hash: await hashPassword(input.password, env.scryptLogN),
    full_name: input.full_name ?? null,
    role: input.role,
    plan: input.plan,
  })
  ensureDir(userMediaDir(env.mediaDir, user.id), 0o700)
  return user
}
