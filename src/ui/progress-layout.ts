import { formatPercent, formatSecondsShort, stageLabel, STATUS_ICONS } from './format.js'
import type { LogLine, ProgressState, RecordingOutcome, RecordingProgress, StageProgress, StageStatus, SyncSummary } from './progress-state.js'
import { recordingOutcome } from './progress-summary.js'

/**
 * Which parts of the progress state fit on the screen. Ink clears the whole terminal on every frame once its
 * output is as tall as the terminal (visible flicker, scrollback lost), so the view must stay below that height:
 * running recordings first, then failures, then those still waiting, then finished ones; the rest collapse
 * into one "… N more" line.
 */
export interface VisibleRecording {
  recording: RecordingProgress
  outcome: RecordingOutcome
  /** The compact per-stage line under the row. */
  showStages: boolean
}

export interface ProgressLayout {
  /** In order of appearance. */
  recordings: VisibleRecording[]
  hidden: { total: number } & Record<RecordingOutcome, number>
  syncs: readonly SyncSummary[]
  logs: readonly LogLine[]
}

export const MAX_SYNC_LINES = 2
export const MAX_VISIBLE_LOG_LINES = 3

// The footer, plus one spare line so the frame never reaches the terminal's height.
const RESERVED_LINES = 2
const MIN_ROWS = 6

const PRIORITY: Record<RecordingOutcome, number> = { running: 0, failed: 1, cancelled: 1, waiting: 2, done: 3, 'already-done': 3, skipped: 3 }

export function planLayout(state: ProgressState, terminalRows: number): ProgressLayout {
  const available = Math.max(terminalRows, MIN_ROWS) - RESERVED_LINES
  const extrasCap = Math.floor(available / 3)
  const logs = state.logs.slice(-Math.min(MAX_VISIBLE_LOG_LINES, extrasCap))
  const syncCount = Math.min(MAX_SYNC_LINES, extrasCap - logs.length)
  const syncs = syncCount > 0 ? state.syncs.slice(-syncCount) : []
  const budget = available - logs.length - syncs.length

  const all = state.recordings.map((recording, index) => ({ recording, index, outcome: recordingOutcome(recording) }))
  if (all.length * 2 <= budget) {
    return { recordings: all.map(({ recording, outcome }) => ({ recording, outcome, showStages: true })), hidden: emptyHidden(), syncs, logs }
  }

  // Not everything fits: lines go first to running and failed rows, then to the running rows' stage lines,
  // then to waiting and finished rows; one line is kept for "… N more".
  const ranked = [...all].sort((a, b) => PRIORITY[a.outcome] - PRIORITY[b.outcome] || tieBreak(a, b))
  const urgent = ranked.filter((item) => item.outcome === 'running' || item.outcome === 'failed')
  const claims = [
    ...urgent.map((item) => ({ item, stages: false })),
    ...urgent.filter((item) => item.outcome === 'running').map((item) => ({ item, stages: true })),
    ...ranked.filter((item) => !urgent.includes(item)).map((item) => ({ item, stages: false })),
  ].slice(0, Math.max(0, budget - 1))
  const picked = claims.filter((c) => !c.stages).map((c) => c.item)
  const withStages = new Set(claims.filter((c) => c.stages).map((c) => c.item.index))
  const pickedIndexes = new Set(picked.map((item) => item.index))
  const hidden = emptyHidden()
  for (const item of all) {
    if (pickedIndexes.has(item.index)) continue
    hidden.total++
    hidden[item.outcome]++
  }
  const recordings = all
    .filter((item) => pickedIndexes.has(item.index))
    .map(({ recording, outcome, index }) => ({ recording, outcome, showStages: withStages.has(index) }))
  return { recordings, hidden, syncs, logs }
}

// Finished recordings: the most recently finished first; everything else in order of appearance.
function tieBreak(a: { recording: RecordingProgress; index: number; outcome: RecordingOutcome }, b: typeof a): number {
  if (PRIORITY[a.outcome] === PRIORITY.done) return lastFinish(b.recording) - lastFinish(a.recording) || a.index - b.index
  return a.index - b.index
}

function lastFinish(rec: RecordingProgress): number {
  return Math.max(0, ...rec.stages.map((s) => s.finishedAtMs ?? 0))
}

function emptyHidden(): ProgressLayout['hidden'] {
  return { total: 0, waiting: 0, running: 0, done: 0, 'already-done': 0, skipped: 0, failed: 0, cancelled: 0 }
}

export interface StageChip {
  key: string
  status: StageStatus
  text: string
}

export const CHIP_SEPARATOR = '  '

/**
 * The compact stage line: `✓ download 0:12  ▸ process 40%  · transcribe …`. Durations are dropped when the
 * line would not fit in `width` (a run with several upload targets), so every stage stays visible.
 */
export function stageChips(stages: readonly StageProgress[], width: number): StageChip[] {
  const build = (withDurations: boolean) =>
    stages.map((s) => {
      const label = `${STATUS_ICONS[s.status]} ${stageLabel(s.stage, s.target)}`
      const extra =
        s.status === 'running'
          ? ` ${formatPercent(s.percent)}`
          : s.status === 'done' && withDurations && s.durationMs !== undefined
            ? ` ${formatSecondsShort(s.durationMs / 1000)}`
            : ''
      return { key: s.key, status: s.status, text: label + extra }
    })
  const full = build(true)
  const length = full.reduce((n, c) => n + [...c.text].length, 0) + CHIP_SEPARATOR.length * Math.max(0, full.length - 1)
  return length <= width ? full : build(false)
}
