import { DEFAULT_PERMISSIONS } from '../../domain/accounts/permissions.js'
import { RecflowError } from '../../domain/errors.js'
import { codec, toJsonText, type Decoded } from '../codec.js'
import { guardWrite } from '../constraint-errors.js'
import { decodeCursor, pageLimit, toPage, type Page, type PageRequest } from '../cursor.js'
import type { RawRow, UserRole } from '../schema.js'
import { inTransaction, type Executor } from '../transaction.js'
import { isId, nowIso } from '../values.js'

export type User = Decoded<RawRow<'users'>, 'permissions', 'is_active'>

/** The per-user permission flags of the reference system, every one granted (its default for a new user). */
export const ALL_PERMISSIONS = DEFAULT_PERMISSIONS

export const LOCAL_USER_EMAIL = 'local@recflow'

export interface NewUser {
  email: string
  password_hash?: string | null
  full_name?: string | null
  timezone?: string
  role?: UserRole
  /** Default: every permission granted. */
  permissions?: unknown
  is_active?: boolean
  /** Name of the plan to subscribe to; default "free". */
  plan?: string
}

/** What a user may change about themselves. */
export interface ProfilePatch {
  full_name?: string | null
  timezone?: string
  password_hash?: string | null
  last_login_at?: string | Date | null
}

/** What an admin may change about any user. */
export interface UserAdminPatch extends ProfilePatch {
  email?: string
  role?: UserRole
  permissions?: unknown
  is_active?: boolean
}

const PROFILE_COLUMNS = ['full_name', 'timezone', 'password_hash', 'last_login_at'] as const
const shape = { json: ['permissions'], flags: ['is_active'], times: ['last_login_at'] }
const profileCodec = codec<User>({ ...shape, writable: PROFILE_COLUMNS })
const adminCodec = codec<User>({ ...shape, writable: [...PROFILE_COLUMNS, 'email', 'role', 'permissions', 'is_active'] })

// Emails compare case-insensitively; storing them lowercased keeps the UNIQUE index meaningful on every dialect.
const normalizeEmail = (email: string): string => email.trim().toLowerCase()

async function getUser(executor: Executor, id: number): Promise<User | undefined> {
  if (!isId(id)) return undefined
  const raw = await executor.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
  return raw === undefined ? undefined : adminCodec.decode(raw)
}

async function updateUser(
  executor: Executor,
  id: number,
  values: Record<string, unknown>,
): Promise<User | undefined> {
  if (!isId(id)) return undefined
  if (typeof values.email === 'string') values.email = normalizeEmail(values.email)
  if (Object.keys(values).length === 0) return getUser(executor, id)
  const raw = await guardWrite('user', () =>
    executor
      .updateTable('users')
      .set({ ...values, updated_at: nowIso() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst(),
  )
  return raw === undefined ? undefined : adminCodec.decode(raw)
}

/** The signed-in user's own row. */
export function profileRepository(executor: Executor, userId: number) {
  return {
    get: (): Promise<User | undefined> => getUser(executor, userId),
    update: (patch: ProfilePatch): Promise<User | undefined> => updateUser(executor, userId, profileCodec.encode(patch)),
  }
}

/** Cross-user account management (registration, login lookup, admin). */
export function userAdminRepository(executor: Executor) {
  const findByEmail = async (email: string): Promise<User | undefined> => {
    const raw = await executor
      .selectFrom('users')
      .selectAll()
      .where('email', '=', normalizeEmail(email))
      .executeTakeFirst()
    return raw === undefined ? undefined : adminCodec.decode(raw)
  }

  /** Creates the user with an empty config and a subscription to `input.plan`, all or nothing. */
  const create = (input: NewUser): Promise<User> =>
    inTransaction(executor, async (tx) => {
      const planName = input.plan ?? 'free'
      const plan = await tx.selectFrom('subscription_plans').select('id').where('name', '=', planName).executeTakeFirst()
      if (plan === undefined) throw new RecflowError('not_found', `plan ${planName} not found`)
      const now = nowIso()
      const values = adminCodec.encode({
        ...input,
        email: normalizeEmail(input.email),
        permissions: input.permissions ?? ALL_PERMISSIONS,
      })
      const raw = await guardWrite('user', () =>
        tx
          .insertInto('users')
          .values({ ...(values as { email: string }), created_at: now, updated_at: now })
          .returningAll()
          .executeTakeFirstOrThrow(),
      )
      await tx
        .insertInto('user_configs')
        .values({ user_id: raw.id, config: toJsonText('config', {}), created_at: now, updated_at: now })
        .execute()
      await tx
        .insertInto('user_subscriptions')
        .values({ user_id: raw.id, plan_id: plan.id, starts_at: now, created_at: now, updated_at: now })
        .execute()
      return adminCodec.decode(raw)
    })

  return {
    get: (id: number): Promise<User | undefined> => getUser(executor, id),
    findByEmail,
    create,

    async list(page?: PageRequest): Promise<Page<User>> {
      const limit = pageLimit(page)
      let query = executor.selectFrom('users').selectAll()
      if (page?.cursor) query = query.where('id', '>', decodeCursor(page.cursor, { id: 'number' }).id)
      const rows = await query.orderBy('id', 'asc').limit(limit + 1).execute()
      return toPage(rows.map((r) => adminCodec.decode(r)), limit, (u) => ({ id: u.id }))
    },

    update: (id: number, patch: UserAdminPatch): Promise<User | undefined> =>
      updateUser(executor, id, adminCodec.encode(patch)),

    /** Deletes the user and, by cascade, everything the user owns. */
    async remove(id: number): Promise<boolean> {
      if (!isId(id)) return false
      const result = await executor.deleteFrom('users').where('id', '=', id).executeTakeFirst()
      return result.numDeletedRows > 0n
    },

    /** The CLI's user: admin, enterprise plan, every permission. Idempotent. */
    ensureLocalUser: (): Promise<User> =>
      inTransaction(executor, async (tx) => {
        const existing = await userAdminRepository(tx).findByEmail(LOCAL_USER_EMAIL)
        if (existing !== undefined) return existing
        return userAdminRepository(tx).create({
          email: LOCAL_USER_EMAIL,
          full_name: 'Local user',
          role: 'admin',
          permissions: ALL_PERMISSIONS,
          plan: 'enterprise',
        })
      }),
  }
}
