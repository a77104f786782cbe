import { describe, expect, it } from 'vitest'
import { availability, decideRecordingStart, effectiveLimits, periodEnd, usagePeriod, type EffectiveLimits } from '../../../../src/domain/quota/index.js'

const FREE = { included_recordings_per_month: 10, included_storage_bytes: 5 * 1024 ** 3, max_concurrent_tasks: 1, max_automation_jobs: 0, min_automation_interval_hours: null }
const NO_CUSTOM = { custom_recordings_per_month: null, custom_storage_bytes: null, custom_max_concurrent_tasks: null, custom_max_automation_jobs: null, custom_min_automation_interval_hours: null }
const limits = (patch: Partial<EffectiveLimits> = {}): EffectiveLimits => ({ ...effectiveLimits(FREE, NO_CUSTOM), ...patch })
const payg = (enabled: boolean, price: number | null = 50) => ({ enabled, pricePerRecordingCents: price })

describe('quota periods', () => {
  it('are UTC months, whatever the local clock says', () => {
    expect(usagePeriod(new Date('2026-12-31T23:59:59.999Z'))).toBe('202612')
    expect(usagePeriod(new Date('2027-01-01T00:00:00.000Z'))).toBe('202701')
    expect(usagePeriod(new Date('2026-03-01T00:30:00+01:00'))).toBe('202602')
    expect(periodEnd('202612').toISOString()).toBe('2027-01-01T00:00:00.000Z')
    expect(periodEnd('202602').toISOString()).toBe('2026-03-01T00:00:00.000Z')
  })
})

describe('effective limits', () => {
  it('take a custom value over the plan, and the plan where the custom value is NULL', () => {
    const custom = { ...NO_CUSTOM, custom_recordings_per_month: 0, custom_max_automation_jobs: 4 }
    expect(effectiveLimits(FREE, custom)).toEqual({
      recordings_per_month: 0,
      storage_bytes: 5 * 1024 ** 3,
      concurrent_tasks: 1,
      automation_jobs: 4,
      min_automation_interval_hours: null,
    })
  })

  it('allow nothing without a subscription', () => {
    expect(effectiveLimits(undefined, undefined)).toMatchObject({ recordings_per_month: 0, storage_bytes: 0, automation_jobs: 0 })
  })

  it('report availability: NULL unlimited, 0 exhausted at once, over the limit exceeded', () => {
    expect(availability(null, 7)).toEqual({ limit: null, used: 7, remaining: null, exhausted: false, exceeded: false })
    expect(availability(0, 0)).toEqual({ limit: 0, used: 0, remaining: 0, exhausted: true, exceeded: false })
    expect(availability(10, 4)).toEqual({ limit: 10, used: 4, remaining: 6, exhausted: false, exceeded: false })
    expect(availability(10, 12)).toEqual({ limit: 10, used: 12, remaining: 0, exhausted: true, exceeded: true })
  })
})

describe('a recording start', () => {
  const usage = (recordings: number, storageBytes = 0) => ({ recordings, storageBytes })

  it('is allowed under the allowance and refused at it without pay-as-you-go', () => {
    expect(decideRecordingStart(limits(), usage(9), payg(false))).toEqual({ allowed: true, overage: false, overageCostCents: 0 })
    expect(decideRecordingStart(limits(), usage(10), payg(false))).toEqual({ allowed: false, quota: 'recordings_per_month', limit: 10, usage: 10, reason: 'exhausted' })
  })

  it('is an overage at the plan price with pay-as-you-go, refused when the plan has no overage price', () => {
    expect(decideRecordingStart(limits(), usage(10), payg(true, 50))).toEqual({ allowed: true, overage: true, overageCostCents: 50 })
    expect(decideRecordingStart(limits(), usage(10), payg(true, null))).toMatchObject({ allowed: false, reason: 'no_overage_price' })
  })

  it('is forbidden by a 0 limit even with pay-as-you-go, and unlimited by NULL', () => {
    expect(decideRecordingStart(limits({ recordings_per_month: 0 }), usage(0), payg(true))).toMatchObject({ allowed: false, quota: 'recordings_per_month', reason: 'forbidden' })
    expect(decideRecordingStart(limits({ recordings_per_month: null }), usage(100_000), payg(false))).toMatchObject({ allowed: true, overage: false })
    expect(decideRecordingStart(limits({ concurrent_tasks: 0 }), usage(0), payg(true))).toMatchObject({ allowed: false, quota: 'concurrent_tasks', reason: 'forbidden' })
  })

  it('is refused once storage is used up, before the monthly count is looked at', () => {
    expect(decideRecordingStart(limits({ storage_bytes: 1000 }), usage(0, 1000), payg(true))).toEqual({ allowed: false, quota: 'storage_bytes', limit: 1000, usage: 1000, reason: 'exhausted' })
    expect(decideRecordingStart(limits({ storage_bytes: 1000 }), usage(0, 999), payg(false))).toMatchObject({ allowed: true })
    expect(decideRecordingStart(limits({ storage_bytes: null }), usage(0, 2 ** 50), payg(false))).toMatchObject({ allowed: true })
  })
})
