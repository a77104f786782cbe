import { describe, expect, it } from 'vitest'
import { forUser } from '../../src/db/index.js'
import { expectJson as json, useTestDaemon } from '../support/daemon.js'

const daemon = useTestDaemon()

describe('quota routes', () => {
  it("GET /users/me/quota shows the caller's plan, limits, usage and availability; the history is newest first", async () => {
    const user = await daemon.user('me-quota@example.org')
    await (await daemon.app.service('quota')).addStorage({ id: user.id, timezone: 'UTC' }, 4096)
    const status = await json(await daemon.fetch('/api/v1/users/me/quota', { token: user.token }), 200)
    expect(status).toMatchObject({
      plan: { name: 'free', overage_price_per_recording_cents: 50 },
      pay_as_you_go: false,
      limits: { recordings_per_month: 10, concurrent_tasks: 1, automation_jobs: 0 },
      usage: { recordings: 0, storage_bytes: 4096 },
      availability: { recordings_per_month: { limit: 10, used: 0, remaining: 10, exhausted: false, exceeded: false } },
    })
    const history = await json(await daemon.fetch('/api/v1/users/me/quota/history?limit=3', { token: user.token }), 200)
    expect(history.items).toEqual([{ period: status.period, recordings: 0, overage_recordings: 0, overage_cost_cents: 0, storage_bytes: 4096 }])
    expect((await json(await daemon.fetch('/api/v1/users/me/quota/history?limit=25', { token: user.token }), 400)).code).toBe('usage')
    expect((await daemon.fetch('/api/v1/users/me/quota')).status).toBe(401)
  })

  it('admin routes answer 403 to a user who is not an admin', async () => {
    const user = await daemon.user('not-admin@example.org')
    for (const path of ['/api/v1/admin/stats/overview', '/api/v1/admin/stats/users', '/api/v1/admin/stats/quotas', `/api/v1/admin/users/${user.id}/subscription`]) {
      expect((await json(await daemon.fetch(path, { token: user.token }), 403)).code).toBe('forbidden')
    }
    const patch = await daemon.fetch(`/api/v1/admin/users/${user.id}/subscription`, { method: 'PATCH', token: user.token, body: { plan: 'pro' } })
    expect(patch.status).toBe(403)
  })

  it('PATCH /admin/users/{id}/subscription sets plan and custom limits, records the change, and the stats follow', async () => {
    const admin = await daemon.user('admin@example.org', { role: 'admin', plan: 'enterprise' })
    const target = await daemon.user('target@example.org')
    const path = `/api/v1/admin/users/${target.id}/subscription`
    const changed = await json(
      await daemon.fetch(path, { method: 'PATCH', token: admin.token, body: { plan: 'plus', custom_recordings_per_month: 0, pay_as_you_go_enabled: true, notes: 'pilot' } }),
      200,
    )
    expect(changed).toMatchObject({ user_id: target.id, plan: 'plus', pay_as_you_go: true, changed: true, limits: { recordings_per_month: 0, automation_jobs: 3 } })
    const history = (await forUser(daemon.app.database.db, target.id).quota.listChanges()).items
    expect(history).toMatchObject([
      {
        changed_by: admin.id,
        change_type: 'subscription',
        old_value: { plan: 'free', custom_recordings_per_month: null, pay_as_you_go_enabled: false },
        new_value: { plan: 'plus', custom_recordings_per_month: 0, pay_as_you_go_enabled: true },
        notes: 'pilot',
      },
    ])
    // The same again changes nothing and records nothing; null gives the plan's value back.
    expect((await json(await daemon.fetch(path, { method: 'PATCH', token: admin.token, body: { plan: 'plus' } }), 200)).changed).toBe(false)
    expect((await forUser(daemon.app.database.db, target.id).quota.listChanges()).items).toHaveLength(1)

    // Exceeded (a 0 limit is used up at once) and filtered by plan, in SQL.
    const exceeded = await json(await daemon.fetch('/api/v1/admin/stats/users?exceeded_only=true&plan=plus', { token: admin.token }), 200)
    expect(exceeded.items.map((u: { email: string }) => u.email)).toEqual(['target@example.org'])
    expect(exceeded.items[0]).toMatchObject({ plan: 'plus', recordings: 0, recordings_limit: 0, exceeded: true, pay_as_you_go: true })
    const page = await json(await daemon.fetch('/api/v1/admin/stats/users?limit=1', { token: admin.token }), 200)
    expect(page.items).toHaveLength(1)
    const next = await json(await daemon.fetch(`/api/v1/admin/stats/users?limit=1&cursor=${page.next_cursor}`, { token: admin.token }), 200)
    expect(next.items[0].user_id).toBeGreaterThan(page.items[0].user_id)

    await json(await daemon.fetch(path, { method: 'PATCH', token: admin.token, body: { custom_recordings_per_month: null } }), 200)
    expect((await json(await daemon.fetch('/api/v1/admin/stats/users?exceeded_only=true&plan=plus', { token: admin.token }), 200)).items).toEqual([])

    const overview = await json(await daemon.fetch('/api/v1/admin/stats/overview', { token: admin.token }), 200)
    expect(overview.users).toBeGreaterThanOrEqual(3)
    expect(overview.users_by_plan).toMatchObject({ plus: 1, enterprise: 2 })
    const quotas = await json(await daemon.fetch('/api/v1/admin/stats/quotas?periods=2', { token: admin.token }), 200)
    expect(quotas.plans.find((p: { plan: string }) => p.plan === 'plus')).toMatchObject({ users: 1, recordings: 0 })
  })

  it('refuses a bad subscription change with a 4xx problem, an unknown user or plan with 404', async () => {
    const admin = await daemon.user('admin2@example.org', { role: 'admin' })
    const target = await daemon.user('target2@example.org')
    const path = `/api/v1/admin/users/${target.id}/subscription`
    for (const body of [{ custom_storage_bytes: -1 }, { pay_as_you_go_enabled: 'yes' }, { unknown: 1 }, { custom_max_concurrent_tasks: 1.5 }]) {
      expect((await json(await daemon.fetch(path, { method: 'PATCH', token: admin.token, body }), 422)).code).toBe('validation')
    }
    expect((await json(await daemon.fetch(path, { method: 'PATCH', token: admin.token, body: { plan: 'platinum' } }), 404)).hint).toMatch(/free, plus, pro, enterprise/)
    expect((await daemon.fetch('/api/v1/admin/users/999999/subscription', { method: 'PATCH', token: admin.token, body: { plan: 'pro' } })).status).toBe(404)
    expect((await daemon.fetch('/api/v1/admin/users/abc/subscription', { token: admin.token })).status).toBe(400)
    expect((await forUser(daemon.app.database.db, target.id).quota.listChanges()).items).toEqual([])
  })
})
