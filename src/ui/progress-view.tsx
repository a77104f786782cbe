import { useEffect, useRef, useState } from 'react'
import { Box, Text, useInput, useStdin, useStdout } from 'ink'
import { formatPercent, formatSecondsShort, formatTransfer, oneLine, progressBar, recordingTitle, stageLabel, STATUS_ICONS, syncedCount } from './format.js'
import { CHIP_SEPARATOR, planLayout, stageChips, type ProgressLayout, type VisibleRecording } from './progress-layout.js'
import { transferRate, type LogLine, type ProgressState, type RecordingProgress, type StageProgress, type StageStatus, type SyncSummary } from './progress-state.js'
import { currentStage, footerCounts, recordingElapsedMs } from './progress-summary.js'

/**
 * The live progress view: one row per recording (title, current stage, bar, percent, ETA) with its stages on a
 * compact line below, and a footer with counts. `q` or Ctrl-C asks to cancel once; a second Ctrl-C while
 * cancelling asks to quit at once. What it shows depends only on the props and the terminal's size; the only
 * other local state is whether the user already asked to cancel.
 */
export interface ProgressViewProps {
  state: ProgressState
  /** Called once, on the first `q` or Ctrl-C. */
  onCancel: () => void
  /** Called on Ctrl-C after cancelling started (the caller exits 130). */
  onForceQuit?: () => void
  /** Cancelling was requested elsewhere (a SIGINT): show it and treat the next Ctrl-C as a force quit. */
  cancelling?: boolean
  /** The run is over: the footer shows this line and keys are no longer read. */
  summary?: string
  /** Terminal height to fit in; defaults to the terminal's. */
  rows?: number
}

export const BAR_WIDTH = 20
const DEFAULT_ROWS = 24
const DEFAULT_COLUMNS = 80
const ICON_WIDTH = 2
const STAGE_WIDTH = 13
const PERCENT_WIDTH = 5
// "eta 23:59:59" plus its left padding: the longest ETA shown (see MAX_ETA_S), so the column never wraps.
const ETA_WIDTH = 13
const MIN_TITLE_WIDTH = 12
const MAX_TITLE_WIDTH = 36
const MIN_MESSAGE_WIDTH = 8
// A narrower bar says nothing the percent does not: below this the bar is left out.
const MIN_BAR_WIDTH = 5
const STAGES_INDENT = 4
// icon, title margin, stage, bar, percent, eta
const RUNNING_ROW_FIXED_WIDTH = ICON_WIDTH + 1 + STAGE_WIDTH + BAR_WIDTH + PERCENT_WIDTH + ETA_WIDTH

export function ProgressView({ state, onCancel, onForceQuit, cancelling = false, summary, rows }: ProgressViewProps) {
  const { isRawModeSupported } = useStdin()
  const size = useTerminalSize()
  const asked = useRef(false)
  const [askedHere, setAskedHere] = useState(false)
  const showCancelling = cancelling || askedHere

  useInput(
    (input, key) => {
      const ctrlC = key.ctrl && input === 'c'
      if (!ctrlC && input !== 'q') return
      if (!asked.current && !cancelling) {
        asked.current = true
        setAskedHere(true)
        onCancel()
      } else if (ctrlC) {
        onForceQuit?.()
      }
    },
    { isActive: isRawModeSupported === true && summary === undefined },
  )

  const columns = size.columns ?? DEFAULT_COLUMNS
  const layout = planLayout(state, (rows ?? size.rows ?? DEFAULT_ROWS) - (footerHeight(summary, columns - 1) - 1))
  const longestTitle = Math.max(0, ...layout.recordings.map(({ recording: r }) => recordingTitle(r.recordingId, r.displayName).length))
  const titleWidth = Math.min(longestTitle, MAX_TITLE_WIDTH, Math.max(MIN_TITLE_WIDTH, columns - 1 - RUNNING_ROW_FIXED_WIDTH))
  // Whatever the fixed columns leave on a running row goes to the stage's message.
  const messageWidth = columns - 1 - RUNNING_ROW_FIXED_WIDTH - titleWidth
  const runningColumns = fitRunningColumns(columns - 1 - ICON_WIDTH - 1 - titleWidth)
  // One column short of the terminal: a line that fills the last column makes some terminals wrap early, and
  // Ink would then erase one line too few on the next frame.
  return (
    <Box flexDirection="column" width={Math.max(MIN_TITLE_WIDTH, columns - 1)}>
      {layout.recordings.map((item) => (
        <RecordingBlock
          key={item.recording.recordingId}
          item={item}
          titleWidth={titleWidth}
          messageWidth={messageWidth}
          runningColumns={runningColumns}
          stagesWidth={columns - 1 - STAGES_INDENT}
        />
      ))}
      {layout.hidden.total > 0 && <Text dimColor>{hiddenLine(layout.hidden)}</Text>}
      {layout.syncs.map((s) => (
        <SyncLine key={s.sourceId} sync={s} />
      ))}
      {layout.logs.map((l, i) => (
        <LogRow key={`${l.atMs}-${i}`} line={l} />
      ))}
      <Footer state={state} cancelling={showCancelling} summary={summary} />
    </Box>
  )
}

/** What a running row shows after its title, in `width` columns: the bar narrows first, then the ETA and the percent go. */
interface RunningColumns {
  bar: number
  percent: boolean
  eta: boolean
}

function fitRunningColumns(width: number): RunningColumns {
  const percent = width >= STAGE_WIDTH + PERCENT_WIDTH
  const eta = width >= STAGE_WIDTH + PERCENT_WIDTH + ETA_WIDTH
  const left = width - STAGE_WIDTH - (percent ? PERCENT_WIDTH : 0) - (eta ? ETA_WIDTH : 0)
  return { bar: left >= MIN_BAR_WIDTH ? Math.min(BAR_WIDTH, left) : 0, percent, eta }
}

function RecordingBlock(props: { item: VisibleRecording; titleWidth: number; messageWidth: number; runningColumns: RunningColumns; stagesWidth: number }) {
  const { item, titleWidth, messageWidth, runningColumns, stagesWidth } = props
  const { recording, outcome, showStages } = item
  const stage = currentStage(recording)
  return (
    <Box flexDirection="column">
      <Box>
        <Box width={ICON_WIDTH} flexShrink={0}>
          <Text color={COLORS[outcome]}>{STATUS_ICONS[outcome]}</Text>
        </Box>
        <Box width={titleWidth} flexShrink={0} marginRight={1}>
          <Text wrap="truncate-end" bold>
            {recordingTitle(recording.recordingId, recording.displayName)}
          </Text>
        </Box>
        <RowDetail
          elapsedMs={recordingElapsedMs(recording)}
          outcome={outcome}
          stage={stage}
          next={recording.stages.find((s) => s.status === 'pending')}
          messageWidth={messageWidth}
          columns={runningColumns}
          failure={recording.failure}
        />
      </Box>
      {showStages && recording.stages.length > 0 && (
        <Box paddingLeft={STAGES_INDENT}>
          <Text wrap="truncate-end">
            {stageChips(recording.stages, stagesWidth).map((chip, i) => (
              <Text key={chip.key} color={COLORS[chip.status]} dimColor={chip.status === 'pending' || chip.status === 'skipped'}>
                {i > 0 ? CHIP_SEPARATOR : ''}
                {chip.text}
              </Text>
            ))}
          </Text>
        </Box>
      )}
    </Box>
  )
}

function RowDetail(props: {
  outcome: VisibleRecording['outcome']
  stage?: StageProgress
  next?: StageProgress
  messageWidth: number
  columns: RunningColumns
  elapsedMs?: number
  failure?: RecordingProgress['failure']
}) {
  const { outcome, stage, next, messageWidth, columns, elapsedMs, failure } = props
  if (stage?.status === 'running') {
    const eta = stage.etaS === undefined ? '' : `eta ${formatSecondsShort(stage.etaS)}`
    const detail = stage.bytes !== undefined && stage.totalBytes !== undefined ? formatTransfer(stage.bytes, stage.totalBytes, transferRate(stage)) : stage.message
    return (
      <Box flexGrow={1}>
        <Box width={STAGE_WIDTH} flexShrink={0}>
          <Text color="yellow" wrap="truncate-end">
            {stageLabel(stage.stage, stage.target)}
          </Text>
        </Box>
        {columns.bar > 0 && (
          <Box width={columns.bar} flexShrink={0}>
            <Text color="cyan">{progressBar(stage.percent, columns.bar)}</Text>
          </Box>
        )}
        {columns.percent && (
          <Box width={PERCENT_WIDTH} flexShrink={0} justifyContent="flex-end">
            <Text>{formatPercent(stage.percent)}</Text>
          </Box>
        )}
        {columns.eta && (
          <Box width={ETA_WIDTH} flexShrink={0} paddingLeft={1}>
            <Text dimColor wrap="truncate-end">
              {eta}
            </Text>
          </Box>
        )}
        {detail !== undefined && messageWidth >= MIN_MESSAGE_WIDTH && (
          <Box width={messageWidth} flexShrink={0}>
            <Text dimColor wrap="truncate-end">
              {oneLine(detail)}
            </Text>
          </Box>
        )}
      </Box>
    )
  }
  if (outcome === 'failed' && stage) {
    return (
      <Text color="red" wrap="truncate-end">
        {stageLabel(stage.stage, stage.target)} failed: {oneLine(stage.message ?? 'unknown error')}
        {stage.hint ? ` (hint: ${oneLine(stage.hint)})` : ''}
      </Text>
    )
  }
  if (outcome === 'failed' && failure) {
    return (
      <Text color="red" wrap="truncate-end">
        failed: {oneLine(failure.message)}
        {failure.hint ? ` (hint: ${oneLine(failure.hint)})` : ''}
      </Text>
    )
  }
  if (outcome === 'cancelled' && stage) {
    return <Text color="yellow" wrap="truncate-end">{`${stageLabel(stage.stage, stage.target)} cancelled`}</Text>
  }
  if (outcome === 'running' && next) return <Text dimColor>{`${stageLabel(next.stage, next.target)} next`}</Text>
  if (outcome === 'waiting') return <Text dimColor>queued</Text>
  if (outcome === 'already-done') return <Text color="green">already done</Text>
  const took = outcome === 'done' && elapsedMs !== undefined ? ` in ${formatSecondsShort(elapsedMs / 1000)}` : ''
  return (
    <Text color={outcome === 'done' ? 'green' : undefined} dimColor={outcome === 'skipped'}>
      {outcome}
      {took}
    </Text>
  )
}

function SyncLine({ sync }: { sync: SyncSummary }) {
  return (
    <Text dimColor wrap="truncate-end">
      sync {oneLine(sync.sourceName)}: {syncedCount(sync)}, {sync.created} new, {sync.changed} changed, {sync.vanished} vanished
    </Text>
  )
}

function LogRow({ line }: { line: LogLine }) {
  const prefix = line.recordingId === undefined ? '' : `#${line.recordingId} `
  return line.level === 'warn' ? (
    <Text color="yellow" wrap="truncate-end">
      {prefix}warning: {oneLine(line.message)}
    </Text>
  ) : (
    <Text dimColor wrap="truncate-end">
      {prefix}
      {oneLine(line.message)}
    </Text>
  )
}

function Footer({ state, cancelling, summary }: { state: ProgressState; cancelling: boolean; summary?: string }) {
  if (summary !== undefined) return <Text bold>{summary}</Text>
  return (
    // One line however narrow the terminal: the counts are cut short before the way to cancel is.
    <Box>
      <Text wrap="truncate-end">{footerCounts(state)}</Text>
      <Box flexShrink={0} paddingLeft={3}>
        {cancelling ? <Text color="yellow">cancelling… (Ctrl-C again to quit now)</Text> : <Text dimColor>q to cancel</Text>}
      </Box>
    </Box>
  )
}

/** Lines the footer takes; a long summary wraps (by words, so allow one line more than the bare length needs). */
function footerHeight(summary: string | undefined, width: number): number {
  if (summary === undefined) return 1
  const length = [...summary].length
  return length <= width ? 1 : Math.ceil(length / width) + 1
}

function hiddenLine(hidden: ProgressLayout['hidden']): string {
  const parts = (['running', 'failed', 'cancelled', 'waiting', 'done', 'already-done', 'skipped'] as const).filter((k) => hidden[k] > 0).map((k) => `${hidden[k]} ${k}`)
  return `… ${hidden.total} more: ${parts.join(', ')}`.replace('already-done', 'already done').replace(/(\d+) waiting/, '$1 queued')
}

const COLORS: Record<StageStatus | VisibleRecording['outcome'], string | undefined> = {
  pending: undefined,
  waiting: undefined,
  running: 'yellow',
  done: 'green',
  'already-done': 'green',
  skipped: undefined,
  failed: 'red',
  cancelled: 'yellow',
}

/** The terminal's size, re-read when it is resized (Ink re-lays out on resize but does not re-render us). */
function useTerminalSize(): { rows?: number; columns?: number } {
  const { stdout } = useStdout()
  const read = () => ({ rows: stdout.rows || undefined, columns: stdout.columns || undefined })
  const [size, setSize] = useState(read)
  useEffect(() => {
    const onResize = () => setSize(read())
    stdout.on('resize', onResize)
    return () => {
      stdout.off('resize', onResize)
    }
  }, [stdout])
  return size
}
