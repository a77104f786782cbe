import { usageError } from '../../domain/errors.js'
import { availability, periodEnd, usagePeriod, type Availability, type EffectiveLimits } from '../../domain/quota/index.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { userPlan } from './effective-limits.js'
import { startRecording, undoRecordingStart } from './start-recording.js'
import { addStorage, measureRecordingStorage } from './storage.js'

export interface QuotaStatus {
  period: string
  /** When this period's allowance renews (the next UTC month). */
  renews_at: string
  plan: { name: string; display_name: string; price_monthly_cents: number | null; overage_price_per_recording_cents: number | null } | null
  pay_as_you_go: boolean
  limits: EffectiveLimits
  usage: {
    recordings: number
    storage_bytes: number
    concurrent_tasks: number
    automation_jobs: number
    overage_recordings: number
    overage_cost_cents: number
  }
  availability: Record<'recordings_per_month' | 'storage_bytes' | 'concurrent_tasks' | 'automation_jobs', Availability>
}

export interface QuotaPeriod {
  period: string
  recordings: number
  overage_recordings: number
  overage_cost_cents: number
  /** Bytes stored at the end of the period (at present for the current one). */
  storage_bytes: number
}

export const MAX_HISTORY = 24

/**
 * A user's plan limits and usage: what `GET /users/me/quota` shows, the check-and-consume of a pipeline start,
 * storage accounting, and the effective limits other services check (automation jobs).
 */
export function quotaService(deps: ServiceDeps) {
  const scope = (user: UserRef) => deps.scopes.forUser(user.id)

  return {
    /** The effective limits (custom ?? plan) of a user. */
    limits: async (user: UserRef): Promise<EffectiveLimits> => (await userPlan(scope(user))).limits,

    async status(user: UserRef): Promise<QuotaStatus> {
      const s = scope(user)
      const period = usagePeriod(deps.clock.now())
      const [{ plan, subscription, limits }, usage, stored, running, jobs] = await Promise.all([
        userPlan(s),
        s.quota.getUsage(period),
        s.quota.storedBytes(),
        s.tasks.countRunning(),
        s.automationJobs.countActive(),
      ])
      const recordings = usage?.recordings_count ?? 0
      return {
        period,
        renews_at: periodEnd(period).toISOString(),
        plan: plan
          ? { name: plan.name, display_name: plan.display_name, price_monthly_cents: plan.price_monthly_cents, overage_price_per_recording_cents: plan.overage_price_per_recording_cents }
          : null,
        pay_as_you_go: subscription?.pay_as_you_go_enabled === true,
        limits,
        usage: {
          recordings,
          storage_bytes: stored,
          concurrent_tasks: running,
          automation_jobs: jobs,
          overage_recordings: usage?.overage_recordings ?? 0,
          overage_cost_cents: usage?.overage_cost_cents ?? 0,
        },
        availability: {
          recordings_per_month: availability(limits.recordings_per_month, recordings),
          storage_bytes: availability(limits.storage_bytes, stored),
          concurrent_tasks: availability(limits.concurrent_tasks, running),
          automation_jobs: availability(limits.automation_jobs, jobs),
        },
      }
    },

    /** Usage per period, newest first, at most `limit` (1-24) periods. */
    async history(user: UserRef, opts: { limit?: number } = {}): Promise<QuotaPeriod[]> {
      const limit = opts.limit ?? 12
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY) throw usageError(`limit must be an integer from 1 to ${MAX_HISTORY}, got ${limit}`)
      let level = 0
      const periods = (await scope(user).quota.allUsage()).map((row) => {
        level += row.storage_bytes
        return { period: row.period, recordings: row.recordings_count, overage_recordings: row.overage_recordings, overage_cost_cents: row.overage_cost_cents, storage_bytes: level }
      })
      return periods.reverse().slice(0, limit)
    },

    startRecording: (user: UserRef, recordingId: number) => startRecording(deps, user, recordingId),
    undoRecordingStart: (user: UserRef, recordingId: number, start: Awaited<ReturnType<typeof startRecording>>) => undoRecordingStart(deps, user, recordingId, start),
    measureRecordingStorage: (user: UserRef, recordingId: number) => measureRecordingStorage(deps, user, recordingId),
    addStorage: (user: UserRef, deltaBytes: number) => addStorage(deps, user, deltaBytes),
  }
}

export type QuotaService = ReturnType<typeof quotaService>
