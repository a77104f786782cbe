import { LOCAL_USER_EMAIL } from '../../db/index.js'
import { notFound, RecflowError } from '../../domain/errors.js'
import { decideRecordingStart, periodEnd, usagePeriod, type StartDecision } from '../../domain/quota/index.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { userPlan } from './effective-limits.js'
import { describeBytes } from './describe.js'

export interface RecordingStart {
  period: string
  /** Counted now (false: counted earlier this period, or the CLI's own user, who is never limited). */
  counted: boolean
  overage: boolean
  overageCostCents: number
}

type Refusal = Extract<StartDecision, { allowed: false }>

function refusal(d: Refusal, period: string): RecflowError {
  const details = { quota: d.quota, limit: d.limit, usage: d.usage, period }
  const renews = periodEnd(period).toISOString().slice(0, 10)
  if (d.quota === 'concurrent_tasks') {
    return new RecflowError('quota', 'your plan allows no processing tasks', { hint: 'ask an administrator to change your plan', details })
  }
  if (d.quota === 'storage_bytes') {
    return new RecflowError('quota', `your media takes ${describeBytes(d.usage)} and your plan allows ${describeBytes(d.limit)}: no new processing until space is freed`, {
      hint: 'reset or delete recordings you no longer need, or ask an administrator for more storage',
      details,
    })
  }
  const why =
    d.reason === 'forbidden'
      ? 'your plan allows no recordings'
      : `your plan allows ${d.limit} recording${d.limit === 1 ? '' : 's'} a month and ${d.usage} ${d.usage === 1 ? 'was' : 'were'} started this month (UTC)`
  const hint =
    d.reason === 'no_overage_price'
      ? 'your plan has no overage price: ask an administrator to raise your limit'
      : d.reason === 'forbidden'
        ? 'ask an administrator to change your plan'
        : `the allowance renews on ${renews} (UTC); an administrator can raise your limit or turn on pay-as-you-go`
  return new RecflowError('quota', why, { hint, details })
}

/**
 * Counts a recording against its user's monthly allowance when its pipeline starts: check and consume in one
 * short (BEGIN IMMEDIATE) transaction, so concurrent starts, in this process or another, never count past the
 * limit. Idempotent per recording and UTC month: a retry, a resume or a second run in the same month costs
 * nothing. Over the allowance: pay-as-you-go records the overage at the plan's price, else a `quota` error with
 * the limit and the usage. Storage used up, or tasks forbidden, refuse as well. The CLI's own user is never refused.
 */
export async function startRecording(deps: ServiceDeps, user: UserRef, recordingId: number): Promise<RecordingStart> {
  const period = usagePeriod(deps.clock.now())
  return deps.scopes.forUser(user.id).transaction(async (tx) => {
    if ((await tx.recordings.get(recordingId)) === undefined) throw notFound('recording', recordingId, 'run `recflow recordings list` to see recording ids')
    const none = { period, counted: false, overage: false, overageCostCents: 0 }
    if (await tx.quota.isCounted(period, recordingId)) return none
    if ((await tx.profile.get())?.email === LOCAL_USER_EMAIL) return none
    const [{ plan, subscription, limits }, usage, storageBytes] = await Promise.all([userPlan(tx), tx.quota.getUsage(period), tx.quota.storedBytes()])
    const decision = decideRecordingStart(
      limits,
      { recordings: usage?.recordings_count ?? 0, storageBytes },
      { enabled: subscription?.pay_as_you_go_enabled === true, pricePerRecordingCents: plan?.overage_price_per_recording_cents ?? null },
    )
    if (!decision.allowed) throw refusal(decision, period)
    await tx.quota.markCounted(period, recordingId, decision.overageCostCents)
    await tx.quota.addUsage(period, decision.overage ? { recordings: 1, overage_recordings: 1, overage_cost_cents: decision.overageCostCents } : { recordings: 1 })
    return { period, counted: true, overage: decision.overage, overageCostCents: decision.overageCostCents }
  })
}

/** Gives a start back (its task could not be queued): the mark, the count and any overage cost. */
export async function undoRecordingStart(deps: ServiceDeps, user: UserRef, recordingId: number, start: RecordingStart): Promise<void> {
  if (!start.counted) return
  await deps.scopes.forUser(user.id).transaction(async (tx) => {
    const removed = await tx.quota.unmarkCounted(start.period, recordingId)
    if (removed === undefined) return
    const overage = removed.overageCostCents > 0
    await tx.quota.addUsage(start.period, overage ? { recordings: -1, overage_recordings: -1, overage_cost_cents: -removed.overageCostCents } : { recordings: -1 })
  })
}
