import { availability, type EffectiveLimits, type QuotaName } from './limits.js'

/** What counting one more recording this period costs, or which quota refuses it. */
export type StartDecision =
  | { allowed: true; overage: boolean; overageCostCents: number }
  | { allowed: false; quota: QuotaName; limit: number; usage: number; reason: 'forbidden' | 'exhausted' | 'no_overage_price' }

export interface StartUsage {
  /** Recordings already counted this period. */
  recordings: number
  /** Bytes stored now (all periods). */
  storageBytes: number
}

export interface PayAsYouGo {
  enabled: boolean
  /** The plan's overage_price_per_recording_cents; null = the plan has no overage. */
  pricePerRecordingCents: number | null
}

/**
 * Whether a recording's pipeline may start (it is not yet counted this period). Refused when tasks are forbidden
 * (limit 0), storage is used up, or the monthly allowance is used up without pay-as-you-go; with it, the start
 * is allowed as an overage priced at the plan's rate. A limit of 0 is forbidden even with pay-as-you-go.
 */
export function decideRecordingStart(limits: EffectiveLimits, usage: StartUsage, payg: PayAsYouGo): StartDecision {
  if (limits.concurrent_tasks === 0) return { allowed: false, quota: 'concurrent_tasks', limit: 0, usage: 0, reason: 'forbidden' }
  const storage = availability(limits.storage_bytes, usage.storageBytes)
  if (storage.exhausted) {
    return { allowed: false, quota: 'storage_bytes', limit: storage.limit ?? 0, usage: usage.storageBytes, reason: storage.limit === 0 ? 'forbidden' : 'exhausted' }
  }
  const recordings = availability(limits.recordings_per_month, usage.recordings)
  if (!recordings.exhausted) return { allowed: true, overage: false, overageCostCents: 0 }
  const limit = recordings.limit ?? 0
  const refused = { allowed: false, quota: 'recordings_per_month', limit, usage: usage.recordings } as const
  if (limit === 0) return { ...refused, reason: 'forbidden' }
  if (!payg.enabled) return { ...refused, reason: 'exhausted' }
  if (payg.pricePerRecordingCents === null) return { ...refused, reason: 'no_overage_price' }
  return { allowed: true, overage: true, overageCostCents: payg.pricePerRecordingCents }
}
