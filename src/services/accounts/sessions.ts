import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { User, UserScope } from '../../db/index.js'
import { RecflowError } from '../../domain/errors.js'
import type { ServiceDeps } from '../context.js'

/** How long a refresh token lives; every use replaces it with a new one that lives this long again. */
export const REFRESH_TOKEN_TTL_MS = 7 * 24 * 3_600_000

/** What login and refresh answer (the shape of REST-API.md's /auth/login). */
export interface TokenPair {
  access_token: string
  refresh_token: string
  token_type: 'bearer'
  expires_in: number
}

/** The access-token issuer the sessions need (the daemon's AccessTokens). */
export interface AccessTokenIssuer {
  issue(user: { id: number; role: 'user' | 'admin' }): Promise<{ access_token: string; expires_in: number }>
}

const SIGN_IN_HINT = 'sign in again: POST /api/v1/auth/login'

/** Only the SHA-256 of a refresh token is stored: a copy of the table signs nobody in. */
export const hashRefreshToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex')

type Rotation =
  | { kind: 'rotated'; user: User; token: string }
  | { kind: 'reused'; revoked: number }
  | { kind: 'expired' | 'unknown' | 'inactive' }

/**
 * Refresh-token sessions. A login starts a family; each refresh revokes the token it was given and issues the
 * next one of the same family; presenting a token that was already rotated (or logged out) means two parties hold
 * it, so the whole family is revoked and both must sign in again.
 */
export function sessions({ scopes, clock }: Pick<ServiceDeps, 'scopes' | 'clock'>, tokens: () => Promise<AccessTokenIssuer>) {
  const mint = () => {
    const token = randomBytes(32).toString('base64url')
    return { token, token_hash: hashRefreshToken(token), expires_at: new Date(clock.now().getTime() + REFRESH_TOKEN_TTL_MS) }
  }

  const pair = async (user: User, refresh_token: string): Promise<TokenPair> => {
    const access = await (await tokens()).issue({ id: user.id, role: user.role })
    return { access_token: access.access_token, refresh_token, token_type: 'bearer', expires_in: access.expires_in }
  }

  return {
    /**
     * A new family for a user who just proved who they are. Sign-ins also purge tokens that expired more than a
     * week ago, so the table does not grow forever (a week after expiry, reuse detection has nothing left to guard).
     */
    async start(scope: UserScope, user: User): Promise<TokenPair> {
      const { token, ...row } = mint()
      await scope.refreshTokens.create({ ...row, family_id: randomUUID() })
      await scopes.system().refreshTokens.removeExpired(new Date(clock.now().getTime() - REFRESH_TOKEN_TTL_MS))
      return pair(user, token)
    },

    async refresh(refreshToken: string): Promise<TokenPair> {
      const found = await scopes.system().refreshTokens.findByHash(hashRefreshToken(refreshToken))
      if (found === undefined) throw new RecflowError('auth', 'the refresh token is not valid', { hint: SIGN_IN_HINT })
      // Read again inside the transaction: of two refreshes racing with one token, exactly one rotates it.
      const outcome = await scopes.forUser(found.user_id).transaction(async (tx): Promise<Rotation> => {
        const current = await tx.refreshTokens.get(found.id)
        if (current === undefined) return { kind: 'unknown' }
        if (current.revoked_at !== null) return { kind: 'reused', revoked: await tx.refreshTokens.revokeFamily(current.family_id) }
        if (Date.parse(current.expires_at) <= clock.now().getTime()) return { kind: 'expired' }
        const user = await tx.profile.get()
        if (user === undefined || !user.is_active) return { kind: 'inactive' }
        const { token, ...row } = mint()
        const next = await tx.refreshTokens.create({ ...row, family_id: current.family_id })
        await tx.refreshTokens.revoke(current.id, next.id)
        return { kind: 'rotated', user, token }
      })
      switch (outcome.kind) {
        case 'rotated':
          return pair(outcome.user, outcome.token)
        case 'reused':
          throw new RecflowError('auth', 'this refresh token was already used; every session started with it is now signed out', { hint: SIGN_IN_HINT })
        case 'expired':
          throw new RecflowError('auth', 'the refresh token has expired', { hint: SIGN_IN_HINT })
        case 'inactive':
          throw new RecflowError('auth', 'this account no longer exists or is disabled', { hint: SIGN_IN_HINT })
        case 'unknown':
          throw new RecflowError('auth', 'the refresh token is not valid', { hint: SIGN_IN_HINT })
      }
    },

    /** Revokes one refresh token (its family's other tokens are already revoked by rotation). Unknown: nothing. */
    async logout(refreshToken: string): Promise<{ revoked: boolean }> {
      const found = await scopes.system().refreshTokens.findByHash(hashRefreshToken(refreshToken))
      if (found === undefined || found.revoked_at !== null) return { revoked: false }
      await scopes.forUser(found.user_id).refreshTokens.revoke(found.id)
      return { revoked: true }
    },

    /** Revokes every refresh token of the user (logout-all, password change). */
    revokeAll: async (scope: UserScope): Promise<{ revoked: number }> => ({ revoked: await scope.refreshTokens.revokeAll() }),
  }
}
