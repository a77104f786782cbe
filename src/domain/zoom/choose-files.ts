/**
 * Which of a Zoom meeting's recording files become the recording (API-CONTRACTS.md §A.4): shared screen with
 * speaker view (MP4, the CC variant too) first, then speaker view (`active_speaker`), gallery view, any other MP4,
 * else the M4A audio-only file. Transcripts, chat and closed captions are kept beside it. The meeting is pending
 * while any file it would use is still being processed by Zoom (a later sync looks again).
 */

export interface ZoomFileFacts {
  id: string
  fileType: string
  recordingType: string
  status: string
}

export type ZoomFileChoice<F extends ZoomFileFacts> =
  | { kind: 'pending'; processing: F[] }
  | { kind: 'none' }
  | { kind: 'chosen'; media: F; extras: F[] }

const VIDEO_PREFERENCE = ['shared_screen_with_speaker_view', 'shared_screen_with_speaker_view(CC)', 'active_speaker', 'gallery_view']
/** Files kept beside the media: Zoom's transcript, the in-meeting chat, closed captions. */
export const KEPT_FILE_TYPES = ['TRANSCRIPT', 'CHAT', 'CC']

const isMedia = (f: ZoomFileFacts) => f.fileType === 'MP4' || f.fileType === 'M4A'
const rank = (f: ZoomFileFacts): number => {
  if (f.fileType === 'M4A') return 100
  const preferred = VIDEO_PREFERENCE.indexOf(f.recordingType)
  return preferred === -1 ? 50 : preferred
}

export function chooseZoomFiles<F extends ZoomFileFacts>(files: readonly F[]): ZoomFileChoice<F> {
  const relevant = files.filter((f) => isMedia(f) || KEPT_FILE_TYPES.includes(f.fileType))
  const processing = relevant.filter((f) => f.status !== 'completed')
  if (processing.length > 0) return { kind: 'pending', processing }
  const media = files.filter(isMedia).sort((a, b) => rank(a) - rank(b))[0]
  if (media === undefined) return { kind: 'none' }
  return { kind: 'chosen', media, extras: relevant.filter((f) => KEPT_FILE_TYPES.includes(f.fileType)) }
}
