import { describe, expect, it } from 'vitest'
import type { RecflowEvent } from '../../../src/domain/events.js'
import { initialProgressState, PIPELINE_STAGES, reduce, type ProgressState, type RecordingProgress } from '../../../src/ui/progress-state.js'
import { currentStage, recordingElapsedMs, recordingOutcome, summarize, tallyRecordings } from '../../../src/ui/progress-summary.js'

function run(events: Array<[number, RecflowEvent]>, state: ProgressState = initialProgressState()): ProgressState {
  return events.reduce((s, [at, e]) => reduce(s, e, at), state)
}
const planned = () => initialProgressState({ plannedStages: ['DOWNLOAD', 'PROCESS'] })
const only = (s: ProgressState): RecordingProgress => s.recordings[0]!

describe('recording outcome', () => {
  it('is waiting before any stage started', () => {
    expect(recordingOutcome(only(run([[0, { type: 'recording', recordingId: 1, displayName: 'A', status: 'INITIALIZED' }]], planned())))).toBe('waiting')
  })

  it('is running between stages while planned ones are still pending', () => {
    const s = run([[0, { type: 'stage-finished', recordingId: 1, stage: 'DOWNLOAD', outcome: 'completed' }]], planned())
    expect(recordingOutcome(only(s))).toBe('running')
  })

  it('is done when no stage is left and at least one completed', () => {
    const s = run(
      [
        [0, { type: 'stage-finished', recordingId: 1, stage: 'DOWNLOAD', outcome: 'skipped' }],
        [1, { type: 'stage-finished', recordingId: 1, stage: 'PROCESS', outcome: 'completed' }],
      ],
      planned(),
    )
    expect(recordingOutcome(only(s))).toBe('done')
  })

  it('is skipped when every stage was skipped', () => {
    const s = run([[0, { type: 'stage-finished', recordingId: 1, stage: 'DOWNLOAD', outcome: 'skipped' }]])
    expect(recordingOutcome(only(s))).toBe('skipped')
  })

  it('is failed as soon as one stage failed, even while another runs', () => {
    const s = run([
      [0, { type: 'stage-started', recordingId: 1, stage: 'UPLOAD', target: 'vk' }],
      [1, { type: 'stage-failed', recordingId: 1, stage: 'UPLOAD', target: 'youtube', message: 'x' }],
    ])
    expect(recordingOutcome(only(s))).toBe('failed')
  })
})

describe('current stage', () => {
  it('is the most recently started running stage', () => {
    const s = run([
      [0, { type: 'stage-started', recordingId: 1, stage: 'UPLOAD', target: 'youtube' }],
      [5, { type: 'stage-started', recordingId: 1, stage: 'UPLOAD', target: 'vk' }],
    ])
    expect(currentStage(only(s))?.key).toBe('UPLOAD:vk')
  })

  it('is the failed stage when nothing runs', () => {
    const s = run([
      [0, { type: 'stage-failed', recordingId: 1, stage: 'PROCESS', message: 'x' }],
      [1, { type: 'stage-finished', recordingId: 1, stage: 'TRANSCRIBE', outcome: 'skipped' }],
    ])
    expect(currentStage(only(s))?.stage).toBe('PROCESS')
  })

  it('is the last stage to finish otherwise, and nothing before any stage ran', () => {
    const s = run([
      [9, { type: 'stage-finished', recordingId: 1, stage: 'DOWNLOAD', outcome: 'completed' }],
      [4, { type: 'stage-finished', recordingId: 1, stage: 'PROCESS', outcome: 'completed' }],
    ])
    expect(currentStage(only(s))?.stage).toBe('DOWNLOAD')
    expect(currentStage(only(run([[0, { type: 'recording', recordingId: 1, displayName: 'A', status: 'X' }]], planned())))).toBeUndefined()
  })
})

describe('recording elapsed time', () => {
  it('runs from the first stage start to the last stage end', () => {
    const s = run([
      [1_000, { type: 'stage-started', recordingId: 1, stage: 'DOWNLOAD' }],
      [4_000, { type: 'stage-finished', recordingId: 1, stage: 'DOWNLOAD', outcome: 'completed' }],
      [5_000, { type: 'stage-started', recordingId: 1, stage: 'PROCESS' }],
      [9_000, { type: 'stage-finished', recordingId: 1, stage: 'PROCESS', outcome: 'completed' }],
    ])
    expect(recordingElapsedMs(only(s))).toBe(8_000)
  })

  it('is unknown before any stage started', () => {
    expect(recordingElapsedMs(only(run([[0, { type: 'stage-finished', recordingId: 1, stage: 'DOWNLOAD', outcome: 'skipped' }]])))).toBeUndefined()
  })
})

describe('summarize', () => {
  it('says there was nothing to do for an empty run', () => {
    expect(summarize(initialProgressState())).toBe('nothing to do')
  })

  it('sums sync results over sources', () => {
    const s = run([
      [0, { type: 'sync', sourceId: 1, sourceName: 'zoom', found: 10, created: 2, changed: 1, vanished: 0 }],
      [1, { type: 'sync', sourceId: 2, sourceName: 'folder', found: 4, created: 1, changed: 0, vanished: 1 }],
    ])
    expect(summarize(s)).toBe('2 sources synced: 14 found, 3 new, 1 changed, 1 vanished')
  })

  it('tallies recordings and stages and adds the elapsed time', () => {
    const s = run(
      [
        [0, { type: 'recording', recordingId: 1, displayName: 'A', status: 'INITIALIZED' }],
        [0, { type: 'recording', recordingId: 2, displayName: 'B', status: 'INITIALIZED' }],
        [1_000, { type: 'stage-finished', recordingId: 1, stage: 'DOWNLOAD', outcome: 'skipped' }],
        [2_000, { type: 'stage-finished', recordingId: 1, stage: 'PROCESS', outcome: 'completed' }],
        [3_000, { type: 'stage-finished', recordingId: 2, stage: 'DOWNLOAD', outcome: 'completed' }],
        [65_000, { type: 'stage-failed', recordingId: 2, stage: 'PROCESS', message: 'ffmpeg exited 1' }],
      ],
      planned(),
    )
    expect(summarize(s)).toBe('2 recordings: 1 done, 1 failed (stages: 2 done, 1 skipped, 1 failed) in 1:05')
  })

  it('counts a cancelled recording as cancelled, never as failed', () => {
    const s = run(
      [
        [0, { type: 'stage-started', recordingId: 1, stage: 'DOWNLOAD' }],
        [1_000, { type: 'stage-finished', recordingId: 1, stage: 'DOWNLOAD', outcome: 'completed' }],
        [1_000, { type: 'stage-started', recordingId: 1, stage: 'PROCESS' }],
        [9_000, { type: 'stage-cancelled', recordingId: 1, stage: 'PROCESS' }],
      ],
      planned(),
    )
    expect(recordingOutcome(only(s))).toBe('cancelled')
    expect(currentStage(only(s))).toMatchObject({ stage: 'PROCESS', status: 'cancelled' })
    expect(summarize(s)).toBe('1 recording: 1 cancelled (stages: 1 done, 1 cancelled) in 0:09')
  })

  it('calls recordings a stopped run left behind unfinished or not started', () => {
    const s = run(
      [
        [0, { type: 'recording', recordingId: 1, displayName: 'A', status: 'INITIALIZED' }],
        [0, { type: 'recording', recordingId: 2, displayName: 'B', status: 'INITIALIZED' }],
        [10, { type: 'stage-started', recordingId: 1, stage: 'DOWNLOAD' }],
      ],
      initialProgressState({ plannedStages: PIPELINE_STAGES }),
    )
    expect(summarize(s)).toBe('2 recordings: 1 unfinished, 1 not started')
    expect(tallyRecordings(s)).toEqual({ waiting: 1, running: 1, done: 0, 'already-done': 0, skipped: 0, failed: 0, cancelled: 0 })
  })

  it('joins sync and recording parts', () => {
    const s = run([
      [0, { type: 'sync', sourceId: 1, sourceName: 'zoom', found: 1, created: 1, changed: 0, vanished: 0 }],
      [1, { type: 'stage-finished', recordingId: 5, stage: 'DOWNLOAD', outcome: 'completed' }],
    ])
    expect(summarize(s)).toBe('1 source synced: 1 found, 1 new, 0 changed, 0 vanished; 1 recording: 1 done (stages: 1 done)')
  })
})
