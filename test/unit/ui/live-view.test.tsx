import { render as inkRender } from 'ink'
import { cleanup, render } from 'ink-testing-library'
import { afterEach, describe, expect, it } from 'vitest'
import type { RecflowEvent } from '../../../src/domain/events.js'
import { emptyPrinted, formatEventLine } from '../../../src/ui/plain-lines.js'
import { initialProgressState, PIPELINE_STAGES, reduce, type ProgressState } from '../../../src/ui/progress-state.js'
import { footerCounts, recordingOutcome, summarize } from '../../../src/ui/progress-summary.js'
import { ProgressView } from '../../../src/ui/progress-view.js'
import { fakeTerminal, settle, visible } from './fake-terminal.js'

// Issue 7 item 8: queued rows, recordings (not stages) in the footer, a steady ETA that never wraps,
// "already done" for a recording an earlier run finished, "added" only for new recordings.

function run(events: Array<[number, RecflowEvent]>): ProgressState {
  return events.reduce((s, [at, e]) => reduce(s, e, at), initialProgressState({ plannedStages: PIPELINE_STAGES }))
}

const queued = (id: number, name: string): [number, RecflowEvent] => [0, { type: 'recording', recordingId: id, displayName: name, status: 'INITIALIZED' }]

/** What a resumed run of a READY recording reports: every stage, and its upload, finished by an earlier run. */
const alreadyReady: Array<[number, RecflowEvent]> = [
  [0, { type: 'recording', recordingId: 9, displayName: 'Done before', status: 'READY' }],
  ...PIPELINE_STAGES.filter((s) => s !== 'UPLOAD').map(
    (stage, i): [number, RecflowEvent] => [i + 1, { type: 'stage-finished', recordingId: 9, stage, outcome: 'completed', message: 'done in an earlier run', earlier: true }],
  ),
  [9, { type: 'stage-finished', recordingId: 9, stage: 'UPLOAD', target: 'Archive', outcome: 'completed', earlier: true }],
]

afterEach(() => cleanup())

describe('the live view (issue 7 item 8)', () => {
  it('shows a row for every queued recording and counts recordings, not stages, in the footer', () => {
    const s = run([
      queued(12, 'Lecture 12'),
      queued(13, 'Lecture 13'),
      queued(14, 'Lecture 14'),
      [1, { type: 'stage-started', recordingId: 12, stage: 'DOWNLOAD' }],
      [2, { type: 'stage-finished', recordingId: 12, stage: 'DOWNLOAD', outcome: 'completed' }],
    ])
    const frame = visible(render(<ProgressView state={s} onCancel={() => {}} rows={30} />).lastFrame())
    expect(frame).toMatch(/#13 Lecture 13\s+queued/)
    expect(frame).toMatch(/#14 Lecture 14\s+queued/)
    expect(frame.split('\n').at(-1)).toBe('0 of 3 recordings · 1 running · 2 queued   q to cancel')
    expect(footerCounts(s)).not.toMatch(/stage/)
  })

  it('keeps a long ETA on one line', () => {
    const events: Array<[number, RecflowEvent]> = [queued(1, 'Long one'), [0, { type: 'stage-started', recordingId: 1, stage: 'PROCESS' }]]
    events.push([1000, { type: 'progress', recordingId: 1, stage: 'PROCESS', percent: 1, etaS: 23 * 3600 + 59 * 60 + 59, message: 'a message' }])
    const frame = visible(render(<ProgressView state={run(events)} onCancel={() => {}} rows={30} />).lastFrame())
    const row = frame.split('\n').find((l) => l.includes('#1 Long one'))!
    expect(row).toContain('eta 23:59:59')
    expect(frame.split('\n').filter((l) => l.includes('23:59'))).toHaveLength(1)
    expect(frame).not.toMatch(/^\s*59\s*$/m)
  })

  it('calls a recording an earlier run finished "already done", not "unfinished"', () => {
    const s = run(alreadyReady)
    expect(recordingOutcome(s.recordings[0]!)).toBe('already-done')
    expect(summarize(s)).toMatch(/^1 recording: 1 already done/)
    expect(summarize(s)).not.toContain('unfinished')
    const frame = visible(render(<ProgressView state={s} onCancel={() => {}} rows={30} />).lastFrame())
    expect(frame).toMatch(/#9 Done before\s+already done/)
  })

  it('still says done when this run did some of the work', () => {
    const events = alreadyReady.map(([t, e]): [number, RecflowEvent] =>
      e.type === 'stage-finished' && e.stage === 'UPLOAD' ? [t, { ...e, earlier: undefined }] : [t, e],
    )
    expect(recordingOutcome(run(events).recordings[0]!)).toBe('done')
  })

  it('shows a recording whose pipeline failed outside any stage as failed, with the reason and the hint', () => {
    const s = run([queued(5, 'Talk'), [1, { type: 'recording-failed', recordingId: 5, message: 'invalid user config: x', hint: 'run `recflow config reset`' }]])
    expect(recordingOutcome(s.recordings[0]!)).toBe('failed')
    expect(summarize(s)).toBe('1 recording: 1 failed')
    const frame = visible(render(<ProgressView state={s} onCancel={() => {}} rows={30} />).lastFrame())
    expect(frame).toMatch(/#5 Talk\s+failed: invalid user config: x \(hint: run `recflow config reset`\)/)
    expect(frame.split('\n').at(-1)).toBe('1 of 1 recording · 1 failed   q to cancel')
  })

  it('prints "added" only for a new recording, and a queued recording once', () => {
    let state = initialProgressState()
    let printed = emptyPrinted()
    const lines: string[] = []
    const feed = (e: RecflowEvent) => {
      state = reduce(state, e, 0)
      const out = formatEventLine(e, { state, printed })
      printed = out.printed
      if (out.line) lines.push(out.line)
    }
    feed({ type: 'recording', recordingId: 3, displayName: 'Old', status: 'READY' })
    feed({ type: 'recording', recordingId: 3, displayName: 'Old', status: 'READY' })
    feed({ type: 'recording', recordingId: 4, displayName: 'New', status: 'INITIALIZED', isNew: true })
    expect(lines).toEqual(['#3 Old: queued (READY)', '#4 New: added (INITIALIZED)'])
  })

  it('shows sync lines in the terminal view, with a footer that does not count recordings a sync has none of', () => {
    const s = run([[0, { type: 'sync', sourceId: 1, sourceName: 'Lectures', found: 200, total: 1000, created: 200, changed: 0, vanished: 0 }]])
    const frame = visible(render(<ProgressView state={s} onCancel={() => {}} rows={30} />).lastFrame())
    expect(frame).toContain('sync Lectures: 200 of 1000 synced')
    expect(frame.split('\n').at(-1)).toBe('1 source syncing   q to cancel')
  })

  it.each([60, 50, 40])('keeps a running row with its bar and ETA on one line in a %i-column terminal', async (columns) => {
    const events: Array<[number, RecflowEvent]> = [queued(2, 'Distributed Systems lecture 3'), [0, { type: 'stage-started', recordingId: 2, stage: 'PROCESS' }]]
    events.push([1000, { type: 'progress', recordingId: 2, stage: 'PROCESS', percent: 35, etaS: 23 * 3600 + 59 * 60 + 59, message: 'a message' }])
    const term = fakeTerminal()
    term.stdout.columns = columns
    const ink = inkRender(<ProgressView state={run(events)} onCancel={() => {}} rows={20} />, { ...term.streams, debug: true, exitOnCtrlC: false, patchConsole: false })
    await settle()
    ink.unmount()
    const frame = visible(term.stdout.writes.filter((w) => w.includes('#2')).at(-1))
    const lines = frame.split('\n')
    for (const line of lines) expect(line.length, line).toBeLessThan(columns)
    // The row, then the stage chips, then the footer: nothing of the bar spills onto a line of its own.
    expect(lines.filter((l) => l.trim() !== '')).toHaveLength(3)
    expect(lines[0]).toContain('#2')
    expect(lines[0]).toContain('35%')
    if (columns >= 50) expect(lines[0]).toContain('eta 23:59:59')
  })
})
