import { z } from 'zod'
import type { StageStatus } from '../status/index.js'

/**
 * What happens to the Zoom cloud copy of a recording once recflow holds it (a template's
 * `output_config.zoom_after_archive`): `keep` (the default) leaves it; `trash` moves it to Zoom's trash (Zoom keeps
 * it there 30 days, recoverable). recflow never deletes a cloud recording for good.
 */
export const ZOOM_AFTER_ARCHIVE = ['keep', 'trash'] as const
export const zoomAfterArchiveSchema = z.enum(ZOOM_AFTER_ARCHIVE)
export type ZoomAfterArchive = (typeof ZOOM_AFTER_ARCHIVE)[number]

/** What the trash decision looks at: plain facts the service gathers about one recording. */
export interface TrashFacts {
  /** The template's `output_config.zoom_after_archive` (absent, or no template: keep). */
  policy: ZoomAfterArchive | undefined
  /** The platform of the recording's source (null: added by hand, no source). */
  sourcePlatform: string | null
  /** The Zoom meeting UUID from source_metadata (null when sync recorded none). */
  meetingUuid: string | null
  /** When it was already moved to Zoom's trash (then nothing more is done). */
  trashedAt: string | null
  /** The DOWNLOAD stage's status: COMPLETED means the copy was size-checked and probed when it was fetched. */
  downloadStatus: StageStatus | null
  /** The local copy as it is now: its size on disk, or null when the file is gone. */
  localSizeBytes: number | null
  /** The size the copy must have (what the DOWNLOAD stage verified, else what Zoom said); null when unknown. */
  expectedSizeBytes: number | null
  /** The presets the recording publishes to (the template's, plus the config's upload.preset_ids). */
  presetIds: readonly number[]
  /** Its output targets. */
  targets: ReadonlyArray<{ presetId: number | null; status: string }>
}

export type TrashDecision =
  /** Move the meeting's cloud recording to Zoom's trash now. */
  | { action: 'trash'; meetingUuid: string }
  /** Nothing to do, and nothing will be (the policy is keep, not a Zoom recording, or already trashed). */
  | { action: 'none'; reason: string }
  /** The policy is trash, but a condition is not met yet: a later run tries again. */
  | { action: 'wait'; reason: string }

/**
 * Whether the Zoom cloud copy of a recording may go to Zoom's trash now. Only with `trash` as the policy, only a
 * Zoom recording, only once: after the local copy is verified (DOWNLOAD completed, and the file still there with
 * the size it was verified at) and, when the recording publishes, after every one of its presets has an UPLOADED
 * target (a preset left out, inactive or failed holds it back: the cloud copy may be the only other one).
 */
export function decideZoomTrash(f: TrashFacts): TrashDecision {
  if ((f.policy ?? 'keep') === 'keep') return { action: 'none', reason: 'zoom_after_archive is keep' }
  if (f.sourcePlatform !== 'zoom') return { action: 'none', reason: 'not a Zoom recording' }
  if (f.trashedAt !== null) return { action: 'none', reason: `already moved to Zoom's trash at ${f.trashedAt}` }
  if (f.meetingUuid === null || f.meetingUuid === '') return { action: 'wait', reason: 'the Zoom meeting UUID is not known: run `recflow sync`' }
  if (f.downloadStatus !== 'COMPLETED') return { action: 'wait', reason: 'the local copy is not downloaded and verified yet' }
  if (f.localSizeBytes === null) return { action: 'wait', reason: 'the local copy is missing' }
  if (f.expectedSizeBytes !== null && f.localSizeBytes !== f.expectedSizeBytes) {
    return { action: 'wait', reason: `the local copy is ${f.localSizeBytes} bytes, not the ${f.expectedSizeBytes} verified at download` }
  }
  if (f.localSizeBytes === 0) return { action: 'wait', reason: 'the local copy is empty' }
  const notUploaded = f.presetIds.filter((id) => !f.targets.some((t) => t.presetId === id && t.status === 'UPLOADED'))
  if (notUploaded.length > 0) {
    return { action: 'wait', reason: `not published yet to preset${notUploaded.length > 1 ? 's' : ''} ${notUploaded.join(', ')}` }
  }
  return { action: 'trash', meetingUuid: f.meetingUuid }
}
