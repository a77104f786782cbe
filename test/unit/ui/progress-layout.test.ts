import { describe, expect, it } from 'vitest'
import type { RecflowEvent } from '../../../src/domain/events.js'
import { planLayout, stageChips } from '../../../src/ui/progress-layout.js'
import { initialProgressState, reduce, type ProgressState } from '../../../src/ui/progress-state.js'

function run(events: Array<[number, RecflowEvent]>): ProgressState {
  return events.reduce((s, [at, e]) => reduce(s, e, at), initialProgressState({ plannedStages: ['DOWNLOAD', 'PROCESS'] }))
}
const added = (id: number): [number, RecflowEvent] => [0, { type: 'recording', recordingId: id, displayName: `R${id}`, status: 'INITIALIZED' }]
const done = (id: number, at: number): Array<[number, RecflowEvent]> => [
  [at, { type: 'stage-finished', recordingId: id, stage: 'DOWNLOAD', outcome: 'completed' }],
  [at, { type: 'stage-finished', recordingId: id, stage: 'PROCESS', outcome: 'completed' }],
]
const ids = (s: ProgressState, rows: number) => planLayout(s, rows).recordings.map((r) => r.recording.recordingId)

/** Lines the view will draw for this layout: rows, stage lines, the "more" line, syncs, logs and the footer. */
function height(s: ProgressState, rows: number): number {
  const l = planLayout(s, rows)
  return l.recordings.reduce((n, r) => n + (r.showStages ? 2 : 1), 0) + (l.hidden.total > 0 ? 1 : 0) + l.syncs.length + l.logs.length + 1
}

describe('progress layout', () => {
  it('shows every recording with its stage line when they fit', () => {
    const s = run([added(1), added(2)])
    const l = planLayout(s, 24)
    expect(l.recordings.map((r) => [r.recording.recordingId, r.showStages])).toEqual([
      [1, true],
      [2, true],
    ])
    expect(l.hidden.total).toBe(0)
  })

  it('stays below the terminal height however many recordings there are', () => {
    const events: Array<[number, RecflowEvent]> = []
    for (let id = 1; id <= 60; id++) events.push(added(id))
    events.push([1, { type: 'stage-started', recordingId: 30, stage: 'DOWNLOAD' }])
    for (let i = 0; i < 5; i++) events.push([2, { type: 'log', level: 'warn', message: `w${i}` }])
    events.push([3, { type: 'sync', sourceId: 1, sourceName: 'zoom', found: 60, created: 60, changed: 0, vanished: 0 }])
    const s = run(events)
    for (const rows of [6, 10, 24, 50]) expect(height(s, rows)).toBeLessThan(rows)
  })

  it('puts running recordings first, then failures, then waiting ones, and counts the hidden rest', () => {
    const s = run([
      added(1),
      added(2),
      added(3),
      added(4),
      added(5),
      ...done(1, 5),
      [6, { type: 'stage-failed', recordingId: 2, stage: 'DOWNLOAD', message: 'x' }],
      [7, { type: 'stage-started', recordingId: 5, stage: 'DOWNLOAD' }],
    ])
    // 6 rows: 4 usable lines = the "more" line, the running and the failed rows, and the running stage line.
    const l = planLayout(s, 6)
    expect(l.recordings.map((r) => [r.recording.recordingId, r.outcome, r.showStages])).toEqual([
      [2, 'failed', false],
      [5, 'running', true],
    ])
    expect(l.hidden).toEqual({ total: 3, waiting: 2, running: 0, done: 1, 'already-done': 0, skipped: 0, failed: 0, cancelled: 0 })
    // One more line shows the next waiting recording.
    expect(ids(s, 7)).toEqual([2, 3, 5])
  })

  it('keeps the most recently finished recordings among finished ones', () => {
    const s = run([added(1), added(2), added(3), added(4), ...done(1, 10), ...done(2, 30), ...done(3, 5), ...done(4, 20)])
    // 6 rows: 3 single-line rows and the "more" line; #3 finished first.
    expect(ids(s, 6)).toEqual([1, 2, 4])
    expect(planLayout(s, 6).hidden).toMatchObject({ total: 1, done: 1 })
  })

  it('shows recordings in order of appearance whatever their priority', () => {
    const s = run([added(1), added(2), added(3), [1, { type: 'stage-started', recordingId: 3, stage: 'DOWNLOAD' }]])
    expect(ids(s, 24)).toEqual([1, 2, 3])
  })

  it('gives log and sync lines at most a third of the screen, logs first', () => {
    const events: Array<[number, RecflowEvent]> = [added(1)]
    for (let i = 0; i < 5; i++) events.push([i, { type: 'log', level: 'info', message: `l${i}` }])
    events.push([9, { type: 'sync', sourceId: 1, sourceName: 'a', found: 0, created: 0, changed: 0, vanished: 0 }])
    events.push([9, { type: 'sync', sourceId: 2, sourceName: 'b', found: 0, created: 0, changed: 0, vanished: 0 }])
    const s = run(events)
    const small = planLayout(s, 8) // 6 usable lines -> 2 for extras
    expect(small.logs.map((l) => l.message)).toEqual(['l3', 'l4'])
    expect(small.syncs).toEqual([])
    const large = planLayout(s, 40)
    expect(large.logs).toHaveLength(3)
    expect(large.syncs.map((x) => x.sourceName)).toEqual(['a', 'b'])
  })
})

describe('stage chips', () => {
  const s = run([
    [0, { type: 'stage-started', recordingId: 1, stage: 'DOWNLOAD' }],
    [12_000, { type: 'stage-finished', recordingId: 1, stage: 'DOWNLOAD', outcome: 'completed' }],
    [12_000, { type: 'stage-started', recordingId: 1, stage: 'PROCESS' }],
    [13_000, { type: 'progress', recordingId: 1, stage: 'PROCESS', percent: 41.7 }],
  ])
  const stages = s.recordings[0]!.stages

  it('show an icon, the stage, the duration of finished ones and the percent of running ones', () => {
    expect(stageChips(stages, 200).map((c) => c.text)).toEqual(['✓ download 0:12', '▸ process 41%'])
  })

  it('drop durations rather than stages when the line is too narrow', () => {
    expect(stageChips(stages, 28).map((c) => c.text)).toEqual(['✓ download', '▸ process 41%'])
    expect(stageChips(stages, 30).map((c) => c.text)).toEqual(['✓ download 0:12', '▸ process 41%'])
  })
})
