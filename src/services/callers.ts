import { permissionsOf, type Permissions } from '../domain/accounts/index.js'
import { RecflowError } from '../domain/errors.js'
import type { ServiceDeps, UserRef } from './context.js'

/** Who is calling the REST API: the user behind a verified access token, as the routes pass it to services. */
export interface Caller extends UserRef {
  readonly email: string
  readonly role: 'user' | 'admin'
  readonly permissions: Readonly<Permissions>
}

/**
 * The caller for a token's user id. A deleted or deactivated user is an auth error (their tokens stop working at
 * once, not after 30 minutes).
 */
export function callersService({ scopes }: ServiceDeps) {
  return {
    async resolve(userId: number): Promise<Caller> {
      const user = await scopes.forUser(userId).profile.get()
      if (!user || !user.is_active) throw new RecflowError('auth', 'this account no longer exists or is disabled', { hint: 'sign in again' })
      // A flag missing from the stored JSON is granted (the reference system's default), as /users/me shows it.
      return { id: user.id, timezone: user.timezone, email: user.email, role: user.role, permissions: permissionsOf(user.permissions) }
    },
  }
}

export type CallersService = ReturnType<typeof callersService>
