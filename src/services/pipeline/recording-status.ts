import type { Recording, UserScope } from '../../db/index.js'
import { deriveRecordingStatus, type StageType } from '../../domain/status/index.js'
import { listAll } from '../paging.js'

/**
 * Recomputes the recording status from its stages and targets and stores it (DESIGN.md §2: persisted while true).
 * `unrecordedFailures` are upload failures with no target row (a preset or template that is gone): they count as
 * failed targets, so such a recording is FAILED at UPLOAD, never READY with nothing published.
 */
export async function persistDerivedStatus(
  scope: UserScope,
  rec: Recording,
  failure?: { stage: string; reason: string },
  unrecordedFailures: string[] = [],
) {
  const [stages, targets] = await Promise.all([
    listAll((page) => scope.stages.list({ recording_id: rec.id }, page)),
    listAll((page) => scope.targets.list({ recording_id: rec.id }, page)),
  ])
  const derived = deriveRecordingStatus({
    base: rec.status === 'EXPIRED' ? 'EXPIRED' : 'INITIALIZED',
    stages: stages.map((s) => ({ type: s.stage_type as StageType, status: s.status })),
    targets: [...targets.map((t) => ({ status: t.status })), ...unrecordedFailures.map(() => ({ status: 'FAILED' as const }))],
  })
  if (derived.failed) {
    const reason =
      failure?.reason ??
      stages.find((s) => s.stage_type === derived.failedStage)?.failed_reason ??
      (derived.failedStage === 'UPLOAD' ? unrecordedFailures[0] : undefined) ??
      targets.find((t) => t.status === 'FAILED')?.failed_reason ??
      'failed'
    return scope.recordings.markFailed(rec.id, { stage: derived.failedStage ?? failure?.stage ?? 'UNKNOWN', reason, status: derived.status })
  }
  await scope.recordings.clearFailure(rec.id)
  return scope.recordings.setStatus(rec.id, derived.status)
}

