import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALL_PERMISSIONS, LOCAL_USER_EMAIL } from '../../../src/db/index.js'
import { forUser, systemScope, type SystemScope } from '../../../src/db/scope.js'
import { tempDatabase, type TempDatabase } from './temp-db.js'

let t: TempDatabase
let sys: SystemScope

beforeEach(async () => {
  t = await tempDatabase()
  sys = systemScope(t.database.db)
})
afterEach(() => t.cleanup())

describe('creating a user', () => {
  it('also creates an empty config and a subscription to the named plan', async () => {
    const user = await sys.users.create({ email: 'Ann@Example.com', plan: 'plus' })
    const scope = forUser(t.database.db, user.id)
    expect(user).toMatchObject({ email: 'ann@example.com', role: 'user', timezone: 'UTC', is_active: true, permissions: ALL_PERMISSIONS })
    expect((await scope.configs.get())?.config).toEqual({})
    const sub = await scope.subscription.getWithPlan()
    expect(sub?.plan.name).toBe('plus')
    expect(sub?.subscription.pay_as_you_go_enabled).toBe(false)
  })

  it('subscribes to the free plan by default', async () => {
    const user = await sys.users.create({ email: 'b@example.com' })
    expect((await forUser(t.database.db, user.id).subscription.getWithPlan())?.plan.name).toBe('free')
  })

  it('creates nothing at all when the plan does not exist', async () => {
    await expect(sys.users.create({ email: 'c@example.com', plan: 'gold' })).rejects.toMatchObject({ code: 'not_found' })
    expect(await sys.users.findByEmail('c@example.com')).toBeUndefined()
    expect(await t.database.db.selectFrom('user_configs').selectAll().execute()).toEqual([])
  })

  it('answers conflict for an email already taken, whatever its case', async () => {
    await sys.users.create({ email: 'd@example.com' })
    await expect(sys.users.create({ email: 'D@EXAMPLE.COM' })).rejects.toMatchObject({
      code: 'conflict',
      message: 'a user with this email already exists',
    })
  })
})

describe('the local CLI user', () => {
  it('is an admin on the enterprise plan with every permission', async () => {
    const local = await sys.users.ensureLocalUser()
    expect(local).toMatchObject({ email: LOCAL_USER_EMAIL, role: 'admin', permissions: ALL_PERMISSIONS })
    expect((await forUser(t.database.db, local.id).subscription.getWithPlan())?.plan.name).toBe('enterprise')
  })

  it('is created once however often it is ensured', async () => {
    const first = await sys.users.ensureLocalUser()
    const again = await Promise.all([sys.users.ensureLocalUser(), sys.users.ensureLocalUser()])
    expect(again.map((u) => u.id)).toEqual([first.id, first.id])
    expect((await sys.users.list()).items).toHaveLength(1)
  })
})

describe('profiles and subscriptions', () => {
  it('lets a user change their own profile but not their role or permissions', async () => {
    const user = await sys.users.create({ email: 'e@example.com' })
    const scope = forUser(t.database.db, user.id)
    const patch = { full_name: 'Eve', timezone: 'Europe/Berlin', role: 'admin', permissions: {} }
    const updated = await scope.profile.update(patch as Parameters<typeof scope.profile.update>[0])
    expect(updated).toMatchObject({ full_name: 'Eve', timezone: 'Europe/Berlin', role: 'user', permissions: ALL_PERMISSIONS })
  })

  it('lets an admin change role, permissions and active flag', async () => {
    const user = await sys.users.create({ email: 'f@example.com' })
    const updated = await sys.users.update(user.id, { role: 'admin', is_active: false, permissions: { can_export_data: false } })
    expect(updated).toMatchObject({ role: 'admin', is_active: false, permissions: { can_export_data: false } })
  })

  it('switches plans by name and keeps custom overrides, refusing unknown plans', async () => {
    const user = await sys.users.create({ email: 'g@example.com' })
    const scope = forUser(t.database.db, user.id)
    await scope.subscription.update({ plan: 'pro', custom_storage_bytes: 500 * 1024 ** 3, pay_as_you_go_enabled: true })
    const sub = await scope.subscription.getWithPlan()
    expect(sub?.plan.name).toBe('pro')
    expect(sub?.subscription).toMatchObject({ custom_storage_bytes: 500 * 1024 ** 3, pay_as_you_go_enabled: true })
    await expect(scope.subscription.update({ plan: 'gold' })).rejects.toMatchObject({ code: 'not_found' })
    await expect(scope.subscription.update({ plan_id: 999 })).rejects.toMatchObject({ code: 'not_found' })
  })
})
