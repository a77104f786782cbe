import { permissionsOf, type Permissions } from '../domain/accounts/index.js'
import { RecflowError } from '../domain/errors.js'
import type { ServiceDeps, UserRef } from './context.js'
import { readCache } from './read-cache.js'

/** Who is calling the REST API: the user behind a verified access token, as the routes pass it to services. */
export interface Caller extends UserRef {
  readonly email: string
  readonly role: 'user' | 'admin'
  readonly permissions: Readonly<Permissions>
}

/** Callers kept between requests (one per active user; a daemon serves a few hundred at most). */
const CALLERS_KEPT = 1000

/**
 * The caller for a token's user id. A deleted or deactivated user is an auth error (their tokens stop working at
 * once, not after 30 minutes). Every API request asks, so the answer is kept while the database is unchanged (a
 * write by any process, a deactivation from the CLI included, reads the user again): read-cache.ts.
 */
export function callersService({ scopes, databaseChanges }: ServiceDeps) {
  const kept = readCache<number, Caller | undefined>(databaseChanges, CALLERS_KEPT)
  const read = async (userId: number): Promise<Caller | undefined> => {
    const user = await scopes.forUser(userId).profile.get()
    if (!user || !user.is_active) return undefined
    // A flag missing from the stored JSON is granted (the reference system's default), as /users/me shows it.
    // Frozen: one object answers many requests.
    return Object.freeze({ id: user.id, timezone: user.timezone, email: user.email, role: user.role, permissions: Object.freeze(permissionsOf(user.permissions)) })
  }
  return {
    async resolve(userId: number): Promise<Caller> {
      const caller = await kept.get(userId, () => read(userId))
      if (caller === undefined) throw new RecflowError('auth', 'this account no longer exists or is disabled', { hint: 'sign in again' })
      return caller
    },
  }
}

export type CallersService = ReturnType<typeof callersService>
