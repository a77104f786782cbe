import { RecflowError } from '../errors.js'
import {
  PIPELINE_STATUSES,
  isPipelineStatus,
  isRuntimeStatus,
  type RecordingStatus,
  type RuntimeStatus,
  type StableStatus,
} from './statuses.js'

/**
 * Which status changes are legal. The status is derived from stages and targets (derive-status.ts), so this
 * guards the writes that set it: a service asserts the change before persisting it.
 *
 * | from                  | to                                   | allowed | because                                      |
 * |-----------------------|--------------------------------------|---------|----------------------------------------------|
 * | any                   | the same status                      | no      | not a change                                 |
 * | pipeline status       | a later pipeline status              | yes     | work advances; skipped stages jump ahead     |
 * | runtime (…ING)        | an earlier stable status             | yes     | failure or cancel rolls back                 |
 * | runtime               | an earlier runtime status            | no      | a stage is running                           |
 * | runtime               | SKIPPED, EXPIRED                     | no      | a stage is running: cancel it first          |
 * | stable                | an earlier pipeline status           | yes     | re-run a stage, reset, add an output target  |
 * | stable                | SKIPPED                              | yes     | a rematch left it without a template         |
 * | stable                | EXPIRED                              | yes     | its media was cleaned up                     |
 * | SKIPPED               | INITIALIZED, EXPIRED                 | yes     | a template matches now / media cleaned up    |
 * | SKIPPED               | anything else                        | no      | match it to a template first                 |
 * | EXPIRED               | INITIALIZED                          | yes     | reset: download again                        |
 * | EXPIRED               | anything else                        | no      | the media is gone                            |
 * | PENDING_SOURCE        | INITIALIZED, SKIPPED                 | yes     | the source finished preparing the media      |
 * | PENDING_SOURCE        | anything else                        | no      | there is no media yet to work on             |
 * | anything else         | PENDING_SOURCE                       | no      | only sync creates a recording in it          |
 */
export function canTransition(from: RecordingStatus, to: RecordingStatus): boolean {
  if (from === to) return false
  if (from === 'PENDING_SOURCE') return to === 'INITIALIZED' || to === 'SKIPPED'
  if (to === 'PENDING_SOURCE') return false
  if (from === 'SKIPPED') return to === 'INITIALIZED' || to === 'EXPIRED'
  if (from === 'EXPIRED') return to === 'INITIALIZED'
  if (!isPipelineStatus(from)) return false
  if (to === 'SKIPPED' || to === 'EXPIRED') return !isRuntimeStatus(from)
  if (!isPipelineStatus(to)) return false
  const forward = PIPELINE_STATUSES.indexOf(to) > PIPELINE_STATUSES.indexOf(from)
  if (forward) return true
  return isRuntimeStatus(from) ? !isRuntimeStatus(to) : true
}

function transitionHint(from: RecordingStatus, to: RecordingStatus): string | undefined {
  if (from === to) return undefined
  if (isRuntimeStatus(from)) return 'a stage is running: wait for it to finish or cancel its task first'
  if (from === 'SKIPPED') return 'no template matches this recording: bind it to a template (or rematch) first'
  if (from === 'EXPIRED') return 'its media was cleaned up: reset the recording to download it again'
  if (from === 'PENDING_SOURCE') return 'the source is still preparing its media: run `recflow sync` later to pick it up'
  return undefined
}

/** Throws RecflowError('conflict') when `from -> to` is not a legal change (see canTransition). */
export function assertTransition(from: RecordingStatus, to: RecordingStatus): void {
  if (canTransition(from, to)) return
  const message =
    from === to ? `the recording is already ${to}` : `a recording cannot go from ${from} to ${to}`
  throw new RecflowError('conflict', message, { hint: transitionHint(from, to), details: { from, to } })
}

const ROLLBACK: Record<RuntimeStatus, StableStatus> = {
  DOWNLOADING: 'INITIALIZED',
  PROCESSING: 'DOWNLOADED',
  TRANSCRIBING: 'PROCESSED',
  UPLOADING: 'TRANSCRIBED',
}

/**
 * The stable status a runtime status falls back to when its work fails (PROCESSING -> DOWNLOADED); any other
 * status is already stable and is returned as is. deriveRecordingStatus refines this with the actual stages
 * and targets (an upload that fails after another target succeeded stays UPLOADED).
 */
export function stableStatusBefore(status: RecordingStatus): Exclude<RecordingStatus, RuntimeStatus> {
  return isRuntimeStatus(status) ? ROLLBACK[status] : (status as Exclude<RecordingStatus, RuntimeStatus>)
}
