import { formatSecondsShort } from './format.js'
import type { ProgressState, RecordingOutcome, RecordingProgress, StageProgress, StageStatus } from './progress-state.js'

/**
 * One word for a recording: failed as soon as a stage failed, cancelled when one was stopped; running while a stage runs or while planned stages
 * are still pending after others finished; waiting before anything happened; already done when every stage was
 * finished by an earlier run; else done (skipped when every stage was skipped).
 */
export function recordingOutcome(rec: RecordingProgress): RecordingOutcome {
  const has = (status: StageStatus) => rec.stages.some((s) => s.status === status)
  if (has('failed') || rec.failure) return 'failed'
  if (has('cancelled')) return 'cancelled'
  if (has('running')) return 'running'
  const ended = rec.stages.filter(hasEnded)
  if (ended.length === 0) return 'waiting'
  if (has('pending')) return 'running'
  // Nothing was done now: every stage was finished by an earlier run (or had nothing to do).
  if (ended.some((s) => s.earlier) && ended.every((s) => s.earlier || s.status === 'skipped')) return 'already-done'
  return ended.every((s) => s.status === 'skipped') ? 'skipped' : 'done'
}

/** The stage a recording's row headlines: the latest running one, else its failure, else the last to finish. */
export function currentStage(rec: RecordingProgress): StageProgress | undefined {
  const running = rec.stages.filter((s) => s.status === 'running')
  if (running.length > 0) return latestBy(running, (s) => s.startedAtMs)
  const failed = rec.stages.find((s) => s.status === 'failed') ?? rec.stages.find((s) => s.status === 'cancelled')
  if (failed) return failed
  return latestBy(rec.stages.filter(hasEnded), (s) => s.finishedAtMs)
}

/** From the first stage start to the last stage end (or the last start while something runs). */
export function recordingElapsedMs(rec: RecordingProgress): number | undefined {
  const starts = rec.stages.flatMap((s) => (s.startedAtMs === undefined ? [] : [s.startedAtMs]))
  const ends = rec.stages.flatMap((s) => [s.finishedAtMs, s.startedAtMs].filter((t): t is number => t !== undefined))
  if (starts.length === 0) return undefined
  return Math.max(...ends) - Math.min(...starts)
}

export function tallyRecordings(state: ProgressState): Record<RecordingOutcome, number> {
  const tally: Record<RecordingOutcome, number> = { waiting: 0, running: 0, done: 0, 'already-done': 0, skipped: 0, failed: 0, cancelled: 0 }
  for (const rec of state.recordings) tally[recordingOutcome(rec)]++
  return tally
}

/** Recordings, not stages: "2 of 5 recordings · 1 running · 2 queued" (finished of all, then what is still going on). */
export function footerCounts(state: ProgressState): string {
  const t = tallyRecordings(state)
  const total = state.recordings.length
  // A sync alone has no recordings to count: say how far the sources are instead of "0 of 0 recordings".
  if (total === 0) return state.syncs.length === 0 ? 'starting…' : `${state.syncs.length} source${state.syncs.length === 1 ? '' : 's'} syncing`
  const finished = total - t.running - t.waiting
  const parts = [`${finished} of ${total} recording${total === 1 ? '' : 's'}`]
  for (const [k, word] of FOOTER_WORDS) if (t[k] > 0) parts.push(`${t[k]} ${word}`)
  return parts.join(' · ')
}

const FOOTER_WORDS: Array<[RecordingOutcome, string]> = [
  ['running', 'running'],
  ['waiting', 'queued'],
  ['failed', 'failed'],
  ['cancelled', 'cancelled'],
]

/**
 * The final line of a run, e.g. `2 sources synced: 14 found, 3 new, 0 changed, 1 vanished; 3 recordings:
 * 2 done, 1 failed (stages: 11 done, 2 skipped, 1 failed) in 4:05`.
 */
export function summarize(state: ProgressState): string {
  const parts: string[] = []
  if (state.syncs.length > 0) {
    const sum = (k: 'found' | 'created' | 'changed' | 'vanished') => state.syncs.reduce((n, s) => n + s[k], 0)
    parts.push(
      `${plural(state.syncs.length, 'source')} synced: ${sum('found')} found, ${sum('created')} new, ${sum('changed')} changed, ${sum('vanished')} vanished`,
    )
  }
  if (state.recordings.length > 0) {
    const tally = tallyRecordings(state)
    const outcomes = (['done', 'already-done', 'skipped', 'failed', 'cancelled', 'running', 'waiting'] as const)
      .filter((k) => tally[k] > 0)
      .map((k) => `${tally[k]} ${OUTCOME_WORDS[k]}`)
    const c = state.counts
    const stages = (['done', 'skipped', 'failed', 'cancelled'] as const).filter((k) => c[k] > 0).map((k) => `${c[k]} ${k}`)
    parts.push(`${plural(state.recordings.length, 'recording')}: ${outcomes.join(', ')}${stages.length > 0 ? ` (stages: ${stages.join(', ')})` : ''}`)
  }
  if (parts.length === 0) return 'nothing to do'
  const elapsedMs = (state.lastEventAtMs ?? 0) - (state.firstEventAtMs ?? 0)
  return parts.join('; ') + (elapsedMs >= 1000 ? ` in ${formatSecondsShort(elapsedMs / 1000)}` : '')
}

function hasEnded(stage: StageProgress): boolean {
  return stage.status === 'done' || stage.status === 'skipped'
}

function latestBy(stages: StageProgress[], at: (s: StageProgress) => number | undefined): StageProgress | undefined {
  return stages.reduce<StageProgress | undefined>((best, s) => (best === undefined || (at(s) ?? 0) >= (at(best) ?? 0) ? s : best), undefined)
}

// At the end of a run "running" means the run stopped before the recording's remaining stages.
const OUTCOME_WORDS: Record<RecordingOutcome, string> = {
  done: 'done',
  'already-done': 'already done',
  skipped: 'skipped',
  failed: 'failed',
  cancelled: 'cancelled',
  running: 'unfinished',
  waiting: 'not started',
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
