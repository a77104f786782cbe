import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { forUser, systemScope, type UserScope } from '../../../src/db/scope.js'
import { tempDatabase, type TempDatabase } from './temp-db.js'

let t: TempDatabase
let a: UserScope

beforeEach(async () => {
  t = await tempDatabase()
  a = forUser(t.database.db, (await systemScope(t.database.db).users.create({ email: 'a@example.com' })).id)
})
afterEach(() => t.cleanup())

describe('scope transactions', () => {
  it('roll back every write when the callback throws', async () => {
    await expect(
      a.transaction(async (tx) => {
        await tx.templates.create({ name: 'kept?' })
        await tx.quota.addUsage('202401', { recordings: 1 })
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect((await a.templates.list()).items).toEqual([])
    expect(await a.quota.getUsage('202401')).toBeUndefined()
  })

  it('join an enclosing transaction instead of failing on nesting', async () => {
    const names = await a.transaction(async (outer) => {
      await outer.templates.create({ name: 'outer' })
      return outer.transaction(async (inner) => {
        await inner.templates.create({ name: 'inner' })
        return (await inner.templates.list()).items.map((x) => x.name)
      })
    })
    expect(names).toEqual(['outer', 'inner'])
  })

  it('bind the same user as the scope they come from', async () => {
    expect(await a.transaction(async (tx) => tx.userId)).toBe(a.userId)
  })
})

describe('forUser', () => {
  it('refuses anything that is not a user id', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => forUser(t.database.db, bad)).toThrow(/user id/)
  })
})

describe('times', () => {
  it('are stored as UTC ISO text whatever offset they were given in', async () => {
    const rec = await a.recordings.create({ display_name: 'r', start_time: '2024-05-01T12:30:00+03:00' })
    expect(rec.start_time).toBe('2024-05-01T09:30:00.000Z')
    const fromDate = await a.recordings.create({ display_name: 'd', start_time: new Date(Date.UTC(2024, 0, 2)) })
    expect(fromDate.start_time).toBe('2024-01-02T00:00:00.000Z')
  })

  it('are refused without a zone, because a naive time means something different on every machine', async () => {
    await expect(a.recordings.create({ display_name: 'r', start_time: '2024-05-01T12:30:00' })).rejects.toMatchObject({
      code: 'validation',
      hint: expect.stringMatching(/Z/),
    })
    await expect(a.recordings.create({ display_name: 'r', start_time: 'yesterday' })).rejects.toMatchObject({ code: 'validation' })
  })
})

describe('quota usage', () => {
  it('accumulates per UTC month and gives storage back with negative deltas', async () => {
    await a.quota.addUsage('202405', { recordings: 1, storage_bytes: 1000 })
    await a.quota.addUsage('202405', { recordings: 1, overage_recordings: 1, overage_cost_cents: 50 })
    const usage = await a.quota.addUsage('202405', { storage_bytes: -400 })
    expect(usage).toMatchObject({ recordings_count: 2, storage_bytes: 600, overage_recordings: 1, overage_cost_cents: 50 })
    expect(await a.quota.getUsage('202406')).toBeUndefined()
  })

  it('rejects a period that is not YYYYMM', async () => {
    for (const period of ['2024-05', '202413', '24052']) {
      await expect(a.quota.addUsage(period, { recordings: 1 })).rejects.toMatchObject({ code: 'validation' })
    }
  })

  it('records quota changes with their JSON values', async () => {
    const change = await a.quota.recordChange({ change_type: 'plan', old_value: { plan: 'free' }, new_value: { plan: 'pro' } })
    expect(change).toMatchObject({ user_id: a.userId, old_value: { plan: 'free' }, new_value: { plan: 'pro' } })
    expect((await a.quota.listChanges()).items.map((c) => c.id)).toEqual([change.id])
  })
})
