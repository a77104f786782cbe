import { describe, expect, it } from 'vitest'
import type { RecflowEvent } from '../../../src/domain/events.js'
import {
  MAX_ETA_S,
  smoothedEtaS,
  initialProgressState,
  MAX_LOG_LINES,
  PIPELINE_STAGES,
  reduce,
  type ProgressState,
} from '../../../src/ui/progress-state.js'

/** Feeds [atMs, event] pairs through the reducer. */
function run(events: Array<[number, RecflowEvent]>, state: ProgressState = initialProgressState()): ProgressState {
  return events.reduce((s, [at, e]) => reduce(s, e, at), state)
}

const rec = (recordingId: number, displayName: string): RecflowEvent => ({ type: 'recording', recordingId, displayName, status: 'INITIALIZED' })

describe('progress reducer', () => {
  it('lists recordings in order of first appearance, whatever event names them first', () => {
    const s = run([
      [0, rec(7, 'Lecture 7')],
      [1, { type: 'stage-started', recordingId: 3, stage: 'DOWNLOAD' }],
      [2, rec(3, 'Lecture 3')],
      [3, rec(7, 'Lecture 7 (renamed)')],
    ])
    expect(s.recordings.map((r) => [r.recordingId, r.displayName])).toEqual([
      [7, 'Lecture 7 (renamed)'],
      [3, 'Lecture 3'],
    ])
  })

  it('keeps the name empty for a recording known only from a stage event', () => {
    const s = run([[0, { type: 'stage-started', recordingId: 9, stage: 'PROCESS' }]])
    expect(s.recordings[0]?.displayName).toBe('')
  })

  it('shows planned stages as pending in display order as soon as a recording appears', () => {
    const s = run([[0, rec(1, 'A')]], initialProgressState({ plannedStages: ['UPLOAD', 'DOWNLOAD', 'TRANSCRIBE'] }))
    expect(s.recordings[0]?.stages.map((st) => [st.stage, st.status])).toEqual([
      ['DOWNLOAD', 'pending'],
      ['TRANSCRIBE', 'pending'],
      ['UPLOAD', 'pending'],
    ])
    expect(s.counts).toEqual({ pending: 3, running: 0, done: 0, skipped: 0, failed: 0, cancelled: 0 })
  })

  it('orders stages by pipeline order even when they are seen out of order', () => {
    const s = run([
      [0, { type: 'stage-started', recordingId: 1, stage: 'TRANSCRIBE' }],
      [1, { type: 'stage-finished', recordingId: 1, stage: 'DOWNLOAD', outcome: 'skipped' }],
      [2, { type: 'stage-started', recordingId: 1, stage: 'PROCESS' }],
    ])
    expect(s.recordings[0]?.stages.map((st) => st.stage)).toEqual(['DOWNLOAD', 'PROCESS', 'TRANSCRIBE'])
  })

  it('replaces the planned upload with one row per target, in order of appearance', () => {
    const s = run(
      [
        [0, rec(1, 'A')],
        [1, { type: 'stage-started', recordingId: 1, stage: 'UPLOAD', target: 'youtube' }],
        [2, { type: 'stage-started', recordingId: 1, stage: 'UPLOAD', target: 'vk' }],
      ],
      initialProgressState({ plannedStages: PIPELINE_STAGES }),
    )
    const uploads = s.recordings[0]!.stages.filter((st) => st.stage === 'UPLOAD')
    expect(uploads.map((u) => [u.key, u.target, u.status])).toEqual([
      ['UPLOAD:youtube', 'youtube', 'running'],
      ['UPLOAD:vk', 'vk', 'running'],
    ])
    expect(s.recordings[0]!.stages.at(-1)?.key).toBe('UPLOAD:vk')
  })

  it('runs a stage through start, progress and completion with its duration', () => {
    const s = run([
      [1000, { type: 'stage-started', recordingId: 1, stage: 'DOWNLOAD' }],
      [2000, { type: 'progress', recordingId: 1, stage: 'DOWNLOAD', percent: 40, message: '40 of 100 MB' }],
      [6000, { type: 'stage-finished', recordingId: 1, stage: 'DOWNLOAD', outcome: 'completed' }],
    ])
    const st = s.recordings[0]!.stages[0]!
    expect(st).toMatchObject({ status: 'done', percent: 100, startedAtMs: 1000, finishedAtMs: 6000, durationMs: 5000 })
    expect(st.etaS).toBeUndefined()
    expect(s.counts.done).toBe(1)
  })

  it('keeps the last progress message until a new one arrives', () => {
    const s = run([
      [0, { type: 'stage-started', recordingId: 1, stage: 'DOWNLOAD' }],
      [1, { type: 'progress', recordingId: 1, stage: 'DOWNLOAD', percent: 10, message: 'connecting' }],
      [2, { type: 'progress', recordingId: 1, stage: 'DOWNLOAD', percent: 20 }],
    ])
    expect(s.recordings[0]!.stages[0]!.message).toBe('connecting')
  })

  it('uses the ETA an event reports', () => {
    const s = run([
      [0, { type: 'stage-started', recordingId: 1, stage: 'PROCESS' }],
      [100, { type: 'progress', recordingId: 1, stage: 'PROCESS', percent: 5, etaS: 42 }],
    ])
    expect(s.recordings[0]!.stages[0]!.etaS).toBe(42)
  })

  it('estimates the ETA from a smoothed rate, once it has been measured long enough', () => {
    // 2.5 % a second, sampled every second: 75 % left takes 30 s once three samples over 3 s are in.
    const events: Array<[number, RecflowEvent]> = [[0, { type: 'stage-started', recordingId: 1, stage: 'PROCESS' }]]
    for (let t = 1; t <= 10; t++) events.push([t * 1000, { type: 'progress', recordingId: 1, stage: 'PROCESS', percent: t * 2.5 }])
    expect(run(events.slice(0, 3)).recordings[0]!.stages[0]!.etaS).toBeUndefined()
    expect(run(events).recordings[0]!.stages[0]!.etaS).toBeCloseTo(30, 6)
  })

  it('hides the ETA until the rate is stable: one burst of progress shows none', () => {
    const s = run([
      [0, { type: 'stage-started', recordingId: 1, stage: 'DOWNLOAD' }],
      [10_000, { type: 'progress', recordingId: 1, stage: 'DOWNLOAD', percent: 25 }],
    ])
    expect(s.recordings[0]!.stages[0]!.etaS).toBeUndefined()
  })

  it('smooths the rate: one slow interval moves the ETA a little, not to the slow rate', () => {
    const events: Array<[number, RecflowEvent]> = [[0, { type: 'stage-started', recordingId: 1, stage: 'PROCESS' }]]
    for (let t = 1; t <= 8; t++) events.push([t * 1000, { type: 'progress', recordingId: 1, stage: 'PROCESS', percent: t * 5 }])
    const steady = run(events).recordings[0]!.stages[0]!.etaS!
    expect(steady).toBeCloseTo(12, 6) // 60 % left at 5 %/s
    // Ten seconds for the next 1 %: the bare last rate (0.1 %/s) would say 590 s.
    events.push([18_000, { type: 'progress', recordingId: 1, stage: 'PROCESS', percent: 41 }])
    const after = run(events).recordings[0]!.stages[0]!.etaS!
    expect(after).toBeGreaterThan(steady)
    expect(after).toBeLessThan(60)
  })

  it('measures the rate from the first progress seen when the start was missed', () => {
    const events: Array<[number, RecflowEvent]> = []
    for (let t = 0; t <= 4; t++) events.push([5_000 + t * 1000, { type: 'progress', recordingId: 1, stage: 'PROCESS', percent: 50 + t }])
    const st = run(events).recordings[0]!.stages[0]!
    expect(st.status).toBe('running')
    expect(st.startedAtMs).toBe(5_000)
    // 1 % a second -> 46 % left takes 46 s.
    expect(st.etaS).toBeCloseTo(46, 6)
  })

  it('restarts the rate measurement when progress goes backwards', () => {
    const s = run([
      [0, { type: 'stage-started', recordingId: 1, stage: 'UPLOAD', target: 'youtube' }],
      [10_000, { type: 'progress', recordingId: 1, stage: 'UPLOAD', target: 'youtube', percent: 50 }],
      [11_000, { type: 'progress', recordingId: 1, stage: 'UPLOAD', target: 'youtube', percent: 10 }],
    ])
    const st = s.recordings[0]!.stages[0]!
    expect(st.rateBase).toEqual({ atMs: 11_000, percent: 10 })
    expect(st.etaS).toBeUndefined()
  })

  it('gives no ETA from too few samples, too little time, at 100 %, or beyond a day', () => {
    const measured = { rateBase: { atMs: 0, percent: 0 }, rateEma: 10, rateSamples: 3 }
    expect(smoothedEtaS(measured, 50, 10_000)).toBeCloseTo(5, 6)
    expect(smoothedEtaS({ ...measured, rateSamples: 2 }, 50, 10_000)).toBeUndefined()
    expect(smoothedEtaS(measured, 50, 2_000)).toBeUndefined()
    expect(smoothedEtaS(measured, 100, 10_000)).toBeUndefined()
    expect(smoothedEtaS({ ...measured, rateEma: 50 / (MAX_ETA_S + 10) }, 50, 10_000)).toBeUndefined()
  })

  it('clamps percent into 0-100 and ignores a non-finite percent', () => {
    const over = run([[0, { type: 'progress', recordingId: 1, stage: 'PROCESS', percent: 140 }]])
    expect(over.recordings[0]!.stages[0]!.percent).toBe(100)
    const nan = run([
      [0, { type: 'progress', recordingId: 1, stage: 'PROCESS', percent: 30 }],
      [1, { type: 'progress', recordingId: 1, stage: 'PROCESS', percent: Number.NaN, message: 'still going' }],
    ])
    expect(nan.recordings[0]!.stages[0]).toMatchObject({ percent: 30, message: 'still going' })
  })

  it('ignores a progress event that arrives after the stage finished', () => {
    const s = run([
      [0, { type: 'stage-started', recordingId: 1, stage: 'DOWNLOAD' }],
      [1, { type: 'stage-finished', recordingId: 1, stage: 'DOWNLOAD', outcome: 'completed' }],
      [2, { type: 'progress', recordingId: 1, stage: 'DOWNLOAD', percent: 80 }],
    ])
    expect(s.recordings[0]!.stages[0]).toMatchObject({ status: 'done', percent: 100 })
  })

  it('records a skipped stage without pretending it ran to 100 %', () => {
    const s = run([[0, { type: 'stage-finished', recordingId: 1, stage: 'TRANSCRIBE', outcome: 'skipped', message: 'already transcribed' }]])
    expect(s.recordings[0]!.stages[0]).toMatchObject({ status: 'skipped', percent: 0, message: 'already transcribed' })
    expect(s.recordings[0]!.stages[0]!.durationMs).toBeUndefined()
    expect(s.counts.skipped).toBe(1)
  })

  it('records a failure with its message and hint and counts it', () => {
    const s = run([
      [0, { type: 'stage-started', recordingId: 1, stage: 'TRANSCRIBE' }],
      [1, { type: 'progress', recordingId: 1, stage: 'TRANSCRIBE', percent: 30, etaS: 20 }],
      [3, { type: 'stage-failed', recordingId: 1, stage: 'TRANSCRIBE', message: 'quota exceeded', hint: 'try tomorrow' }],
    ])
    expect(s.recordings[0]!.stages[0]).toMatchObject({ status: 'failed', message: 'quota exceeded', hint: 'try tomorrow', durationMs: 3, percent: 30 })
    expect(s.recordings[0]!.stages[0]!.etaS).toBeUndefined()
    expect(s.counts).toMatchObject({ failed: 1, running: 0 })
  })

  it('clears a failure when the stage is started again (a retry)', () => {
    const s = run([
      [0, { type: 'stage-failed', recordingId: 1, stage: 'UPLOAD', target: 'vk', message: 'timeout' }],
      [5, { type: 'stage-started', recordingId: 1, stage: 'UPLOAD', target: 'vk' }],
    ])
    const st = s.recordings[0]!.stages[0]!
    expect(st).toMatchObject({ status: 'running', percent: 0, startedAtMs: 5 })
    expect(st.message).toBeUndefined()
    expect(st.hint).toBeUndefined()
    expect(s.counts).toMatchObject({ failed: 0, running: 1 })
  })

  it('keeps one sync summary per source, the latest', () => {
    const sync = (sourceId: number, found: number): RecflowEvent => ({
      type: 'sync', sourceId, sourceName: `source ${sourceId}`, found, created: 0, changed: 0, vanished: 0,
    })
    const s = run([
      [0, sync(1, 3)],
      [1, sync(2, 5)],
      [2, sync(1, 4)],
    ])
    expect(s.syncs.map((x) => [x.sourceId, x.found])).toEqual([
      [1, 4],
      [2, 5],
    ])
    expect(s.syncs[0]).not.toHaveProperty('type')
  })

  it(`keeps only the last ${MAX_LOG_LINES} log lines`, () => {
    const events = Array.from({ length: MAX_LOG_LINES + 2 }, (_, i): [number, RecflowEvent] => [i, { type: 'log', level: 'info', message: `line ${i}` }])
    const s = run(events)
    expect(s.logs).toHaveLength(MAX_LOG_LINES)
    expect(s.logs[0]?.message).toBe('line 2')
    expect(s.logs.at(-1)).toEqual({ level: 'info', message: `line ${MAX_LOG_LINES + 1}`, atMs: MAX_LOG_LINES + 1 })
  })

  it('remembers when the first and the last event arrived', () => {
    const s = run([
      [100, { type: 'log', level: 'warn', message: 'x' }],
      [900, { type: 'log', level: 'info', message: 'y' }],
    ])
    expect([s.firstEventAtMs, s.lastEventAtMs]).toEqual([100, 900])
  })

  it('never mutates the state it is given', () => {
    const before = run([
      [0, rec(1, 'A')],
      [1, { type: 'stage-started', recordingId: 1, stage: 'DOWNLOAD' }],
    ])
    const snapshot = structuredClone(before)
    run(
      [
        [2, { type: 'progress', recordingId: 1, stage: 'DOWNLOAD', percent: 50 }],
        [3, { type: 'stage-finished', recordingId: 1, stage: 'DOWNLOAD', outcome: 'completed' }],
        [4, { type: 'log', level: 'info', message: 'z' }],
      ],
      before,
    )
    expect(before).toEqual(snapshot)
  })
})
