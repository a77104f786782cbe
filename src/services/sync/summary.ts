import type { ErrorCode } from '../../domain/errors.js'

/** What one `recflow sync` did to one source (the `--json` shape). */
export interface SourceSyncSummary {
  sourceId: number
  name: string
  platform: string
  /** skipped: not synced; error: could not be synced, other sources went on. */
  status: 'synced' | 'skipped' | 'error'
  /** Why a source was skipped. */
  message?: string
  error?: { code: ErrorCode; message: string; hint?: string }
  /** Media files the folder offers (after the glob). */
  found: number
  /** New recordings; each is also counted as matched (INITIALIZED), skipped (SKIPPED, no template) or failed. */
  created: number
  matched: number
  skipped: number
  /** New or changed files that are not usable recordings (marked failed with the reason). */
  failed: number
  /** Known files whose content changed (including those left alone because processing had started). */
  changed: number
  changedAfterProcessing: Array<{ recordingId: number; status: string; message: string }>
  unchanged: number
  /** Known files missing from the folder since this sync. */
  vanished: number
  /** Files that had vanished and are back. */
  restored: number
  /** Zoom: meetings whose files Zoom is still processing (PENDING_SOURCE; a later sync picks them up). */
  pending: number
  /** Zoom: meetings that were pending and are ready now (matched or skipped). */
  ready: number
  /** Recordings this sync created or changed (restored and vanished ones included), ascending. */
  recordings: number[]
}

export function emptyCounts() {
  return {
    found: 0,
    created: 0,
    matched: 0,
    skipped: 0,
    failed: 0,
    changed: 0,
    changedAfterProcessing: [] as SourceSyncSummary['changedAfterProcessing'],
    unchanged: 0,
    vanished: 0,
    restored: 0,
    pending: 0,
    ready: 0,
    recordings: [] as number[],
  }
}

export interface SyncResult {
  sources: SourceSyncSummary[]
}
