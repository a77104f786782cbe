import fs from 'node:fs/promises'
import { LOCAL_USER_EMAIL, type User } from '../../db/index.js'
import {
  deleteAccountSchema,
  loginSchema,
  parseAccountInput,
  passwordChangeSchema,
  profilePatchSchema,
  refreshTokenSchema,
  registerSchema,
} from '../../domain/accounts/index.js'
import { RecflowError } from '../../domain/errors.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { userMediaDir } from '../pipeline/recording-files.js'
import { userOperations } from './operator.js'
import { assertPasswordPolicy, createAccount, toProfile, type Profile } from './profile.js'
import { hashPassword, needsRehash, spendVerificationTime, verifyPassword } from './password-hash.js'
import { sessions, type AccessTokenIssuer, type TokenPair } from './sessions.js'

const BAD_LOGIN = 'wrong email or password'

/**
 * Accounts of the multi-user daemon: registration, sign-in sessions (access + rotating refresh tokens), the
 * profile, password change and account deletion. The CLI's local user has no password and cannot sign in here.
 */
export function accountsService(deps: ServiceDeps, tokens: () => Promise<AccessTokenIssuer>) {
  const { scopes, env, clock, logger } = deps
  const session = sessions(deps, tokens)

  const currentUser = async (user: UserRef): Promise<User> => {
    const row = await scopes.forUser(user.id).profile.get()
    if (row === undefined || !row.is_active) throw new RecflowError('auth', 'this account no longer exists or is disabled', { hint: 'sign in again' })
    return row
  }

  const checkPassword = async (row: User, password: string, field: string): Promise<void> => {
    if (!(await verifyPassword(password, row.password_hash))) throw new RecflowError('auth', `${field} is wrong`, { hint: 'type your current password' })
  }

  return {
    ...userOperations(deps),

    /** A new user: the Free plan, an empty config, every permission flag, a media folder. */
    async register(input: unknown): Promise<Profile> {
      const data = parseAccountInput(registerSchema, input, 'registration')
      const user = await createAccount(deps, { ...data, role: 'user', plan: 'free' }, 'sign in instead: POST /api/v1/auth/login')
      logger.info('account registered', { userId: user.id })
      return toProfile(user)
    },

    /** Email and password -> a token pair. An unknown email and a wrong password answer the same, equally slowly. */
    async login(input: unknown): Promise<TokenPair> {
      const data = parseAccountInput(loginSchema, input, 'login')
      const row = await scopes.system().users.findByEmail(data.email)
      if (row === undefined || row.password_hash === null) {
        await spendVerificationTime(data.password, env.scryptLogN)
        throw new RecflowError('auth', BAD_LOGIN, { hint: 'check the email and password' })
      }
      if (!(await verifyPassword(data.password, row.password_hash))) throw new RecflowError('auth', BAD_LOGIN, { hint: 'check the email and password' })
      if (!row.is_active) throw new RecflowError('auth', 'this account is disabled', { hint: 'ask an administrator to enable it' })
      const scope = scopes.forUser(row.id)
      const rehash = needsRehash(row.password_hash, env.scryptLogN) ? await hashPassword(data.password, env.scryptLogN) : undefined
      const user = (await scope.profile.update({ last_login_at: clock.now(), ...(rehash ? { password_hash: rehash } : {}) })) ?? row
      return session.start(scope, user)
    },

    refresh: async (input: unknown): Promise<TokenPair> => session.refresh(parseAccountInput(refreshTokenSchema, input, 'refresh request').refresh_token),
    logout: async (input: unknown): Promise<{ revoked: boolean }> => session.logout(parseAccountInput(refreshTokenSchema, input, 'logout request').refresh_token),
    logoutAll: async (user: UserRef): Promise<{ revoked: number }> => session.revokeAll(scopes.forUser((await currentUser(user)).id)),

    profile: async (user: UserRef): Promise<Profile> => toProfile(await currentUser(user)),

    async updateProfile(user: UserRef, input: unknown): Promise<Profile> {
      const patch = parseAccountInput(profilePatchSchema, input, 'profile')
      const row = await currentUser(user)
      if (patch.email !== undefined && patch.email !== row.email) {
        if (row.email === LOCAL_USER_EMAIL) throw new RecflowError('conflict', 'the local user keeps its email')
        await scopes.system().users.update(row.id, { email: patch.email })
      }
      const { email: _email, ...own } = patch
      const updated = await scopes.forUser(row.id).profile.update(own)
      if (updated === undefined) throw new RecflowError('auth', 'this account no longer exists', { hint: 'sign in again' })
      return toProfile(updated)
    },

    /** Checks the current password, stores the new one and signs out every session (refresh tokens). */
    async changePassword(user: UserRef, input: unknown): Promise<{ revoked: number }> {
      const data = parseAccountInput(passwordChangeSchema, input, 'password change')
      const row = await currentUser(user)
      await checkPassword(row, data.current_password, 'current_password')
      assertPasswordPolicy(data.new_password, row.email, 'new_password')
      const scope = scopes.forUser(row.id)
      await scope.profile.update({ password_hash: await hashPassword(data.new_password, env.scryptLogN) })
      return session.revokeAll(scope)
    },

    /** Deletes the account: its rows (by cascade) and then its media folder. The CLI's local user is kept. */
    async deleteAccount(user: UserRef, input: unknown): Promise<{ deleted: true; media_removed: boolean }> {
      const data = parseAccountInput(deleteAccountSchema, input, 'account deletion')
      const row = await currentUser(user)
      if (row.email === LOCAL_USER_EMAIL) throw new RecflowError('conflict', 'the CLI local user cannot be deleted', { hint: 'remove the recflow home folder instead' })
      await checkPassword(row, data.password, 'password')
      await scopes.system().users.remove(row.id)
      let media_removed = true
      try {
        await fs.rm(userMediaDir(env.mediaDir, row.id), { recursive: true, force: true })
      } catch (e) {
        media_removed = false
        logger.warn('the deleted account media folder could not be removed', { userId: row.id, error: (e as Error).message })
      }
      logger.info('account deleted', { userId: row.id })
      return { deleted: true, media_removed }
    },
  }
}

export type AccountsService = ReturnType<typeof accountsService>
