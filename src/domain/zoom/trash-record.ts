/* Kept free of zod: `recordings show` reads it, and that command loads no schema code. */

/** What source_metadata keeps about the cloud copy's trip to Zoom's trash (under ZOOM_TRASH_KEY). */
export interface ZoomTrashRecord {
  /** trashed: moved now; gone: Zoom had no recording for it any more (removed by someone else). */
  result: 'trashed' | 'gone'
  action: 'trash'
  meeting_uuid: string
  at: string
}

export const ZOOM_TRASH_KEY = 'recflow_zoom_trash'

type Metadata = Record<string, unknown>

/** The meeting UUID a Zoom recording's source_metadata holds (`meeting_uuid` as sync writes it, else the meeting object's). */
export function zoomMeetingUuidOf(metadata: unknown): string | null {
  const m = (metadata ?? {}) as Metadata
  const candidates = [m.meeting_uuid, (m.meeting as Metadata | undefined)?.uuid, m.uuid]
  return (candidates.find((c) => typeof c === 'string' && c !== '') as string | undefined) ?? null
}

export function zoomTrashRecordOf(metadata: unknown): ZoomTrashRecord | null {
  const r = ((metadata ?? {}) as Metadata)[ZOOM_TRASH_KEY] as Partial<ZoomTrashRecord> | undefined
  return r && typeof r.at === 'string' && (r.result === 'trashed' || r.result === 'gone') ? (r as ZoomTrashRecord) : null
}

