import type { PipelineStage, RecflowEvent } from '../domain/events.js'
import { formatPercent, formatSecondsShort, formatTransfer, oneLine, recordingTitle, stageLabel, syncedCount } from './format.js'
import { stageKey, transferRate, type ProgressState, type StageProgress } from './progress-state.js'

/**
 * One line of plain text per meaningful event, for piped output and CI logs: no escape codes, no redraws.
 * Progress is throttled to one line per 10 % step of a stage; starts, finishes and failures always print.
 */
export interface PlainLineContext {
  /** The progress state AFTER reducing this event (names, durations and ETAs come from it). */
  state: ProgressState
  /** Last printed 10 % step per `recordingId:stageKey`. */
  printed: ReadonlyMap<string, number>
}

export interface PlainLineResult {
  line: string | undefined
  printed: ReadonlyMap<string, number>
}

export const PROGRESS_STEP_PERCENT = 10

export function formatEventLine(event: RecflowEvent, context: PlainLineContext): PlainLineResult {
  const { state, printed } = context
  const skip = { line: undefined, printed }
  switch (event.type) {
    case 'recording': {
      const status = event.status ? ` (${oneLine(event.status)})` : ''
      // "added" only for a recording just created; one that already existed is queued for this run (said once:
      // the run announces it when queued, the pipeline again when it starts).
      const key = `recording:${event.recordingId}`
      if (!event.isNew && printed.has(key)) return skip
      return { line: `${recordingPrefix(state, event.recordingId)}: ${event.isNew ? 'added' : 'queued'}${status}`, printed: withEntry(printed, key, 0) }
    }
    case 'stage-started': {
      const key = progressKey(event.recordingId, event.stage, event.target)
      return {
        line: `${recordingPrefix(state, event.recordingId)}: ${stageLabel(event.stage, event.target)} started`,
        printed: withEntry(printed, key, 0),
      }
    }
    case 'progress': {
      const key = progressKey(event.recordingId, event.stage, event.target)
      const stage = findStage(state, event.recordingId, stageKey(event.stage, event.target))
      // The finish line says 100 %; a progress line after the end would contradict it.
      if (!stage || stage.status !== 'running' || stage.percent >= 100) return skip
      const step = Math.floor(stage.percent / PROGRESS_STEP_PERCENT)
      const last = printed.get(key)
      if (last !== undefined && step <= last) return skip
      const eta = stage.etaS !== undefined ? `, eta ${formatSecondsShort(stage.etaS)}` : ''
      const transfer = stage.bytes !== undefined && stage.totalBytes !== undefined ? ` (${formatTransfer(stage.bytes, stage.totalBytes, transferRate(stage))})` : ''
      const message = event.message ? ` - ${oneLine(event.message)}` : ''
      return {
        line: `${recordingPrefix(state, event.recordingId)}: ${stageLabel(event.stage, event.target)} ${formatPercent(stage.percent)}${transfer}${eta}${message}`,
        printed: withEntry(printed, key, step),
      }
    }
    case 'stage-finished': {
      const stage = findStage(state, event.recordingId, stageKey(event.stage, event.target))
      const took = event.outcome === 'completed' && stage?.durationMs !== undefined ? ` in ${formatSecondsShort(stage.durationMs / 1000)}` : ''
      const message = event.message ? ` - ${oneLine(event.message)}` : ''
      const verb = event.outcome === 'completed' ? 'done' : 'skipped'
      return { line: `${recordingPrefix(state, event.recordingId)}: ${stageLabel(event.stage, event.target)} ${verb}${took}${message}`, printed }
    }
    case 'stage-failed': {
      const hint = event.hint ? ` (hint: ${oneLine(event.hint)})` : ''
      return {
        line: `${recordingPrefix(state, event.recordingId)}: ${stageLabel(event.stage, event.target)} failed - ${oneLine(event.message)}${hint}`,
        printed,
      }
    }
    case 'recording-failed': {
      const hint = event.hint ? ` (hint: ${oneLine(event.hint)})` : ''
      return { line: `${recordingPrefix(state, event.recordingId)}: failed - ${oneLine(event.message)}${hint}`, printed }
    }
    case 'stage-cancelled':
      return { line: `${recordingPrefix(state, event.recordingId)}: ${stageLabel(event.stage, event.target)} cancelled`, printed }
    case 'sync':
      return {
        line: `sync ${oneLine(event.sourceName)}: ${syncedCount(event)}, ${event.created} new, ${event.changed} changed, ${event.vanished} vanished`,
        printed,
      }
    case 'log': {
      const prefix = event.recordingId === undefined ? '' : `${recordingPrefix(state, event.recordingId)}: `
      return { line: `${prefix}${event.level === 'warn' ? 'warning: ' : ''}${oneLine(event.message)}`, printed }
    }
  }
}

export function emptyPrinted(): ReadonlyMap<string, number> {
  return new Map()
}

function recordingPrefix(state: ProgressState, recordingId: number): string {
  return recordingTitle(recordingId, state.recordings.find((r) => r.recordingId === recordingId)?.displayName ?? '')
}

function findStage(state: ProgressState, recordingId: number, key: string): StageProgress | undefined {
  return state.recordings.find((r) => r.recordingId === recordingId)?.stages.find((s) => s.key === key)
}

function progressKey(recordingId: number, stage: PipelineStage, target?: string): string {
  return `${recordingId}:${stageKey(stage, target)}`
}

function withEntry(map: ReadonlyMap<string, number>, key: string, value: number): ReadonlyMap<string, number> {
  return new Map(map).set(key, value)
}
