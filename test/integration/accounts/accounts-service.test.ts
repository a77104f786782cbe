import fs from 'node:fs'
import path from 'node:path'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { forUser, LOCAL_USER_EMAIL } from '../../../src/db/index.js'
import { PERMISSION_FLAGS } from '../../../src/domain/accounts/index.js'
import { openSecretStore } from '../../../src/platform/secrets.js'
import { openAccountsApp, rejection, type AccountsTestApp } from './support.js'

// One app for the file (a fresh database costs more than all these tests); each test signs up its own Ann.
let t: AccountsTestApp
beforeAll(async () => {
  t = await openAccountsApp()
})
afterAll(() => t.close())
let n = 0
let ANN = { email: '', password: 'correct horse 1', full_name: 'Ann' }
beforeEach(() => {
  n += 1
  ANN = { ...ANN, email: `Ann${n}@Example.com` }
})

const accounts = () => t.app.service('accounts')
const tokens = () => t.app.service('accessTokens')
const MIN = 60_000
const DAY = 24 * 60 * MIN

async function registerAnn() {
  const profile = await (await accounts()).register(ANN)
  return { profile, user: { id: profile.id, timezone: profile.timezone } }
}
const OWNED = ['refresh_tokens', 'recording_templates', 'user_configs', 'user_subscriptions'] as const
/** How many rows the user has: the users row and a few owned tables. */
async function rowsOf(userId: number): Promise<Record<string, number>> {
  const db = t.app.database.db
  const count = async (table: 'users' | (typeof OWNED)[number]) =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where(table === 'users' ? 'id' : 'user_id', '=', userId).executeTakeFirstOrThrow()).n)
  return Object.fromEntries(await Promise.all((['users', ...OWNED] as const).map(async (table) => [table, await count(table)])))
}
const login = async (password = ANN.password) => (await accounts()).login({ email: ANN.email.toLowerCase(), password })

describe('register and login', () => {
  it('registers with the Free plan, a config, every permission and a private media folder', async () => {
    const { profile } = await registerAnn()
    expect(profile).toMatchObject({ email: ANN.email.toLowerCase(), full_name: 'Ann', role: 'user', timezone: 'UTC', is_active: true, last_login_at: null })
    expect(Object.entries(profile.permissions)).toEqual(PERMISSION_FLAGS.map((f) => [f, true]))
    expect(profile).not.toHaveProperty('password_hash')
    const plan = await t.app.database.db
      .selectFrom('user_subscriptions')
      .innerJoin('subscription_plans', 'subscription_plans.id', 'user_subscriptions.plan_id')
      .select('subscription_plans.name')
      .where('user_id', '=', profile.id)
      .executeTakeFirst()
    expect(plan?.name).toBe('free')
    expect(await rowsOf(profile.id)).toMatchObject({ user_configs: 1 })
    const folder = path.join(t.app.env.mediaDir, `user_${profile.id}`)
    expect(fs.statSync(folder).mode & 0o777).toBe(0o700)

    await rejection((await accounts()).register({ ...ANN, email: ` ${ANN.email.toUpperCase()}` }), 'conflict', /already exists/)
    await rejection((await accounts()).register({ ...ANN, email: 'bob0@example.com', password: 'short1' }), 'validation', /at least 10 characters/)
    await rejection((await accounts()).register({ ...ANN, email: 'bob0@example.com', password: 'bob0@example.com' }), 'validation', /must not be your email/)
    const bad = await rejection((await accounts()).register({ email: 'nope', password: 'hunter2-hunter2' }), 'validation', /email/)
    expect(JSON.stringify(bad)).not.toContain('hunter2')
  })

  it('signs in with a token pair, and answers an unknown email like a wrong password', async () => {
    const { profile } = await registerAnn()
    const pair = await login()
    expect(pair).toMatchObject({ token_type: 'bearer', expires_in: 1800 })
    expect(pair.refresh_token).toMatch(/^[\w-]{43}$/)
    expect(await (await tokens()).verify(pair.access_token)).toEqual({ userId: profile.id, role: 'user' })
    expect((await (await accounts()).profile({ id: profile.id, timezone: 'UTC' })).last_login_at).toBe(t.now)

    const wrong = await rejection(login('correct horse 2'), 'auth')
    const unknown = await rejection((await accounts()).login({ email: 'nobody@example.com', password: ANN.password }), 'auth')
    expect(unknown.message).toBe(wrong.message)
    // The CLI's local user has no password: it never signs in over HTTP.
    await rejection((await accounts()).login({ email: LOCAL_USER_EMAIL, password: 'anything-at-all-1' }), 'auth', /wrong email or password/)
  })
})

describe('access tokens (Must-show: expired, tampered, alg none)', () => {
  it('accepts a fresh token and refuses expired, tampered, unsigned and foreign ones', async () => {
    await registerAnn()
    const { access_token } = await login()
    const verify = async (token: string) => (await tokens()).verify(token)
    expect((await verify(access_token)).role).toBe('user')

    const [header, payload, signature] = access_token.split('.') as [string, string, string]
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')
    await rejection(verify(`${header}.${forged}.${signature}`), 'auth', /not valid/)
    await rejection(verify(`${header}.${payload}.${signature.slice(0, -2)}AA`), 'auth', /not valid/)
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')
    await rejection(verify(`${none}.${forged}.`), 'auth', /not valid/)
    await rejection(verify('not a token'), 'auth')

    // Signed with the daemon's own secret, but for another issuer or audience.
    const store = await openSecretStore({ preference: 'file', configDir: t.app.env.configDir, platform: process.platform })
    const secret = Buffer.from((await store.get('daemon:jwt-secret'))!, 'base64url')
    const sign = (iss: string, aud: string) =>
      new SignJWT({ role: 'user' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(String(claims.sub))
        .setIssuer(iss)
        .setAudience(aud)
        .setIssuedAt(claims.iat)
        .setExpirationTime(claims.exp)
        .sign(secret)
    expect((await verify(await sign(claims.iss, claims.aud))).userId).toBe(Number(claims.sub))
    await rejection(verify(await sign('someone-else', claims.aud)), 'auth')
    await rejection(verify(await sign(claims.iss, 'another-api')), 'auth')

    t.advance(30 * MIN + 1000)
    await rejection(verify(access_token), 'auth', /expired/)
  })
})

describe('refresh tokens', () => {
  it('rotates on every use; reusing a rotated token revokes its whole family, not other sign-ins', async () => {
    await registerAnn()
    const first = await login()
    const other = await login() // a second device: its own family
    const second = await (await accounts()).refresh({ refresh_token: first.refresh_token })
    expect(second.refresh_token).not.toBe(first.refresh_token)
    const third = await (await accounts()).refresh({ refresh_token: second.refresh_token })

    await rejection((await accounts()).refresh({ refresh_token: first.refresh_token }), 'auth', /already used/)
    await rejection((await accounts()).refresh({ refresh_token: third.refresh_token }), 'auth', /already used/)
    expect((await (await accounts()).refresh({ refresh_token: other.refresh_token })).token_type).toBe('bearer')
    await rejection((await accounts()).refresh({ refresh_token: 'x'.repeat(43) }), 'auth', /not valid/)
  })

  it('lets exactly one of two racing refreshes with the same token through', async () => {
    await registerAnn()
    const { refresh_token } = await login()
    const results = await Promise.allSettled([0, 1].map(async () => (await accounts()).refresh({ refresh_token })))
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
  })

  it('expires after 7 days and stops working for a disabled account', async () => {
    const { profile } = await registerAnn()
    const a = await login()
    const b = await login()
    t.advance(7 * DAY - MIN)
    const renewed = await (await accounts()).refresh({ refresh_token: a.refresh_token }) // each use gives 7 more days
    t.advance(2 * MIN)
    await rejection((await accounts()).refresh({ refresh_token: b.refresh_token }), 'auth', /expired/)
    t.advance(6 * DAY)
    expect((await (await accounts()).refresh({ refresh_token: renewed.refresh_token })).token_type).toBe('bearer')

    const c = await login()
    await t.app.database.db.updateTable('users').set({ is_active: 0 }).where('id', '=', profile.id).execute()
    await rejection((await accounts()).refresh({ refresh_token: c.refresh_token }), 'auth', /disabled/)
    await rejection(login(), 'auth', /disabled/)
  })

  it('purges tokens that expired more than a week ago when someone signs in', async () => {
    const { user } = await registerAnn()
    await login()
    const count = () => rowsOf(user.id).then((r) => r.refresh_tokens)
    expect(await count()).toBe(1)
    t.advance(14 * DAY - MIN) // expired 7 days - 1 min ago: kept
    await login()
    expect(await count()).toBe(2)
    t.advance(2 * MIN)
    await login()
    expect(await count()).toBe(2)
  })

  it('logout revokes one token; logout-all revokes every session', async () => {
    const { user } = await registerAnn()
    const a = await login()
    const b = await login()
    const c = await login()
    expect(await (await accounts()).logout({ refresh_token: a.refresh_token })).toEqual({ revoked: true })
    expect(await (await accounts()).logout({ refresh_token: a.refresh_token })).toEqual({ revoked: false })
    await rejection((await accounts()).refresh({ refresh_token: a.refresh_token }), 'auth')

    expect(await (await accounts()).logoutAll(user)).toEqual({ revoked: 2 })
    for (const pair of [b, c]) await rejection((await accounts()).refresh({ refresh_token: pair.refresh_token }), 'auth')
    expect((await login()).token_type).toBe('bearer') // signing in again still works
  })
})

describe('profile, password, deletion', () => {
  it('patches the profile with a validated time zone and a free email', async () => {
    const { user } = await registerAnn()
    await (await accounts()).register({ email: 'bob@example.com', password: 'another pass 2' })
    const patched = await (await accounts()).updateProfile(user, { full_name: 'Ann B', timezone: 'Europe/Berlin', email: 'ann.b@example.com' })
    expect(patched).toMatchObject({ full_name: 'Ann B', timezone: 'Europe/Berlin', email: 'ann.b@example.com' })
    ANN.email = 'ann.b@example.com'
    await rejection((await accounts()).updateProfile(user, { timezone: 'Mars/Olympus' }), 'validation', /unknown time zone/)
    await rejection((await accounts()).updateProfile(user, { email: 'BOB@example.com' }), 'conflict')
    await rejection((await accounts()).updateProfile(user, { role: 'admin' }), 'validation', /unknown key 'role'/)
    expect((await (await accounts()).profile(user)).role).toBe('user')
  })

  it('changes the password only with the current one, and signs out every session', async () => {
    const { user } = await registerAnn()
    const pair = await login()
    await rejection((await accounts()).changePassword(user, { current_password: 'wrong one 123', new_password: 'brand new pass 9' }), 'auth', /current_password/)
    await rejection((await accounts()).changePassword(user, { current_password: ANN.password, new_password: 'short' }), 'validation', /new_password/)
    expect(await (await accounts()).changePassword(user, { current_password: ANN.password, new_password: 'brand new pass 9' })).toEqual({ revoked: 1 })
    await rejection((await accounts()).refresh({ refresh_token: pair.refresh_token }), 'auth')
    await rejection(login(), 'auth')
    expect((await login('brand new pass 9')).token_type).toBe('bearer')
  })

  it('deletes the account with its rows and media, after the password and the word DELETE', async () => {
    const { user } = await registerAnn()
    const pair = await login()
    await forUser(t.app.database.db, user.id).templates.create({ name: 'talks', matching_rules: { keywords: ['talk'] } })
    expect(await rowsOf(user.id)).toEqual({ users: 1, refresh_tokens: 1, recording_templates: 1, user_configs: 1, user_subscriptions: 1 })
    const media = path.join(t.app.env.mediaDir, `user_${user.id}`, 'rec_1')
    fs.mkdirSync(media, { recursive: true })
    fs.writeFileSync(path.join(media, 'source.mp4'), 'x')

    await rejection((await accounts()).deleteAccount(user, { password: ANN.password, confirmation: 'delete' }), 'validation', /DELETE/)
    await rejection((await accounts()).deleteAccount(user, { password: 'wrong one 123', confirmation: 'DELETE' }), 'auth')
    expect(await (await accounts()).deleteAccount(user, { password: ANN.password, confirmation: 'DELETE' })).toEqual({ deleted: true, media_removed: true })

    expect(fs.existsSync(path.dirname(media))).toBe(false)
    expect(await rowsOf(user.id)).toEqual({ users: 0, refresh_tokens: 0, recording_templates: 0, user_configs: 0, user_subscriptions: 0 })
    await rejection((await accounts()).refresh({ refresh_token: pair.refresh_token }), 'auth')
    await rejection((await accounts()).profile(user), 'auth')

    const local = { id: t.app.localUser.id, timezone: 'UTC' }
    await rejection((await accounts()).deleteAccount(local, { password: 'anything-1234', confirmation: 'DELETE' }), 'conflict', /local user/)
  })
})

describe('operator functions', () => {
  it('are for administrators only', async () => {
    const { user } = await registerAnn()
    await rejection((await accounts()).listUsers(user), 'forbidden', /administrator/)
    await rejection((await accounts()).createUser(user, { email: 'mallory@example.com' }), 'forbidden')
    await rejection((await accounts()).setPlan(user, String(user.id), 'enterprise'), 'forbidden')
    const admin = { id: t.app.localUser.id, timezone: 'UTC' }
    expect((await (await accounts()).setPlan(admin, ANN.email, 'pro')).changed).toBe(true)
  })
})

