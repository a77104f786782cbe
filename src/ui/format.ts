import { formatDuration } from '../domain/metadata/duration.js'
import type { PipelineStage } from '../domain/events.js'
import type { RecordingOutcome, StageStatus } from './progress-state.js'

/** Short, lower-case stage names shared by the Ink view and the plain lines (one word per stage everywhere). */
const STAGE_LABELS: Record<PipelineStage, string> = {
  SYNC: 'sync',
  DOWNLOAD: 'download',
  PROCESS: 'process',
  TRANSCRIBE: 'transcribe',
  EXTRACT_TOPICS: 'topics',
  GENERATE_SUBTITLES: 'subtitles',
  UPLOAD: 'upload',
}

export function stageLabel(stage: PipelineStage, target?: string): string {
  return target ? `${STAGE_LABELS[stage]} ${oneLine(target)}` : STAGE_LABELS[stage]
}

// Messages can come from ffmpeg's stderr or a provider's error body: carriage returns, colour codes or newlines
// would break a row of the view or smuggle escape codes into piped output.
const ANSI = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])/g
const CONTROL = /[\u0000-\u001F\u007F-\u009F]+/g

/** "2000 of 10000 synced" while a sync runs, "10000 found" once it is done (or when the total is unknown). */
export function syncedCount(sync: { found: number; total?: number }): string {
  return sync.total !== undefined && sync.found < sync.total ? `${sync.found} of ${sync.total} synced` : `${sync.found} found`
}

/** One printable line: escape sequences dropped, control characters and runs of whitespace become one space. */
export function oneLine(text: string): string {
  return text.replace(ANSI, '').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim()
}

/** '1:20' for an ETA or a duration in seconds; '' when unknown. */
export function formatSecondsShort(seconds: number | undefined): string {
  if (seconds === undefined) return ''
  return formatDuration(Math.round(seconds))
}

/** Percent as shown to people: whole numbers, clamped, never '100%' before the stage has really finished. */
export function formatPercent(percent: number): string {
  const whole = Math.floor(Math.min(100, Math.max(0, percent)))
  return `${whole}%`
}

/** A text progress bar of exactly `width` cells. */
export function progressBar(percent: number, width: number): string {
  const cells = Math.max(0, Math.floor(width))
  const filled = Math.round((Math.min(100, Math.max(0, percent)) / 100) * cells)
  return '█'.repeat(filled) + '░'.repeat(cells - filled)
}

/** `#42 Lecture 3`, or `#42` while the recording has no name yet. */
export function recordingTitle(recordingId: number, displayName: string): string {
  const name = oneLine(displayName)
  return name ? `#${recordingId} ${name}` : `#${recordingId}`
}

/** One symbol per stage status and recording outcome, the same in the row and in the stage line. */
export const STATUS_ICONS: Record<StageStatus | RecordingOutcome, string> = {
  pending: '·',
  waiting: '·',
  running: '▸',
  done: '✓',
  'already-done': '✓',
  skipped: '↷',
  failed: '✗',
  cancelled: '⊘',
}

/** '12.5 MB' (decimal units, as upload speeds are usually given). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB']
  let v = Math.max(0, bytes)
  let i = 0
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000
    i++
  }
  return i === 0 ? `${Math.round(v)} B` : `${v.toFixed(1)} ${units[i]}`
}

/** An upload's bytes and speed: '12.0 MB of 50.0 MB, 3.2 MB/s' (the speed once it is known). */
export function formatTransfer(bytes: number, totalBytes: number, bytesPerS: number | undefined): string {
  const speed = bytesPerS !== undefined && bytesPerS > 0 ? `, ${formatBytes(bytesPerS)}/s` : ''
  return `${formatBytes(bytes)} of ${formatBytes(totalBytes)}${speed}`
}
