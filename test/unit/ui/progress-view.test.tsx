import { render as inkRender } from 'ink'
import { cleanup, render } from 'ink-testing-library'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { RecflowEvent } from '../../../src/domain/events.js'
import { initialProgressState, PIPELINE_STAGES, reduce, type ProgressState } from '../../../src/ui/progress-state.js'
import { BAR_WIDTH, ProgressView } from '../../../src/ui/progress-view.js'
import { fakeTerminal, settle, visible } from './fake-terminal.js'

function run(events: Array<[number, RecflowEvent]>): ProgressState {
  return events.reduce((s, [at, e]) => reduce(s, e, at), initialProgressState({ plannedStages: PIPELINE_STAGES }))
}

const downloading = run([
  [0, { type: 'recording', recordingId: 42, displayName: 'Lecture 3: Graphs', status: 'INITIALIZED' }],
  [0, { type: 'recording', recordingId: 43, displayName: 'Lecture 4', status: 'INITIALIZED' }],
  [0, { type: 'stage-started', recordingId: 42, stage: 'DOWNLOAD' }],
  [5_000, { type: 'progress', recordingId: 42, stage: 'DOWNLOAD', percent: 10 }],
  [10_000, { type: 'progress', recordingId: 42, stage: 'DOWNLOAD', percent: 20 }],
  [15_000, { type: 'progress', recordingId: 42, stage: 'DOWNLOAD', percent: 30 }],
  [20_000, { type: 'progress', recordingId: 42, stage: 'DOWNLOAD', percent: 40, message: '120 of 300 MB' }],
])

const CTRL_C = '\u0003'

afterEach(() => cleanup())

describe('progress view', () => {
  it('shows a row per recording with title, current stage, bar, percent and ETA', () => {
    const { lastFrame } = render(<ProgressView state={downloading} onCancel={() => {}} rows={24} />)
    const frame = visible(lastFrame())
    const row = frame.split('\n').find((l) => l.includes('#42'))!
    expect(row).toContain('#42 Lecture 3: Graphs')
    expect(row).toContain('download')
    expect(row).toContain('█'.repeat(BAR_WIDTH * 0.4) + '░'.repeat(BAR_WIDTH * 0.6))
    expect(row).toContain('40%')
    expect(row).toContain('eta 0:30')
    expect(row).toContain('120 of 300 MB')
    expect(frame).toMatch(/#43 Lecture 4\s+queued/)
  })

  it('lists each recording’s stages compactly under its row', () => {
    const { lastFrame } = render(<ProgressView state={downloading} onCancel={() => {}} rows={24} />)
    const lines = visible(lastFrame()).split('\n')
    const under42 = lines[lines.findIndex((l) => l.includes('#42')) + 1]!
    expect(under42.trim()).toBe('▸ download 40%  · process  · transcribe  · topics  · subtitles  · upload')
  })

  it('shows counts and how to cancel in the footer', () => {
    const { lastFrame } = render(<ProgressView state={downloading} onCancel={() => {}} rows={24} />)
    expect(visible(lastFrame()).split('\n').at(-1)).toBe('0 of 2 recordings · 1 running · 1 queued   q to cancel')
  })

  it('shows a failure with its stage, message and hint', () => {
    const failed = run([
      [0, { type: 'recording', recordingId: 7, displayName: 'Seminar', status: 'DOWNLOADED' }],
      [1, { type: 'stage-finished', recordingId: 7, stage: 'DOWNLOAD', outcome: 'completed' }],
      [2, { type: 'stage-failed', recordingId: 7, stage: 'TRANSCRIBE', message: 'quota exceeded', hint: 'wait a day' }],
    ])
    const frame = visible(render(<ProgressView state={failed} onCancel={() => {}} rows={24} />).lastFrame())
    expect(frame).toContain('✗ #7 Seminar')
    expect(frame).toContain('transcribe failed: quota exceeded (hint: wait a day)')
    expect(frame).toContain('✓ download')
    expect(frame).toContain('✗ transcribe')
  })

  it('says how long a finished recording took', () => {
    const s = run([
      [0, { type: 'recording', recordingId: 5, displayName: 'Talk', status: 'INITIALIZED' }],
      ...PIPELINE_STAGES.flatMap((stage, i): Array<[number, RecflowEvent]> => [
        [i * 10_000, { type: 'stage-started', recordingId: 5, stage }],
        [i * 10_000 + 9_000, { type: 'stage-finished', recordingId: 5, stage, outcome: 'completed' }],
      ]),
    ])
    const frame = visible(render(<ProgressView state={s} onCancel={() => {}} rows={24} />).lastFrame())
    expect(frame).toMatch(/✓ #5 Talk\s+done in 0:59/)
  })

  it('collapses what does not fit into a "more" line', () => {
    const events: Array<[number, RecflowEvent]> = []
    for (let id = 1; id <= 20; id++) events.push([0, { type: 'recording', recordingId: id, displayName: `Talk ${id}`, status: 'INITIALIZED' }])
    events.push([1, { type: 'stage-started', recordingId: 20, stage: 'PROCESS' }])
    const frame = visible(render(<ProgressView state={run(events)} onCancel={() => {}} rows={10} />).lastFrame())
    expect(frame.split('\n').length).toBeLessThan(10)
    expect(frame).toContain('#20 Talk 20')
    expect(frame).toMatch(/… \d+ more: \d+ queued/)
  })

  it('shows sync results and warnings', () => {
    const s = run([
      [0, { type: 'sync', sourceId: 1, sourceName: 'Zoom main', found: 12, created: 3, changed: 1, vanished: 0 }],
      [1, { type: 'log', level: 'warn', message: 'token expires\nsoon', recordingId: 4 }],
    ])
    const frame = visible(render(<ProgressView state={s} onCancel={() => {}} rows={24} />).lastFrame())
    expect(frame).toContain('sync Zoom main: 12 found, 3 new, 1 changed, 0 vanished')
    expect(frame).toContain('#4 warning: token expires soon')
  })

  it('calls onCancel once when q is pressed, then shows that it is cancelling', async () => {
    const onCancel = vi.fn()
    const { stdin, lastFrame } = render(<ProgressView state={downloading} onCancel={onCancel} rows={24} />)
    await settle()
    stdin.write('q')
    await settle()
    stdin.write('q')
    await settle()
    expect(onCancel).toHaveBeenCalledTimes(1)
    expect(visible(lastFrame())).toContain('cancelling… (Ctrl-C again to quit now)')
    expect(visible(lastFrame())).not.toContain('q to cancel')
  })

  it('cancels on Ctrl-C and asks to quit at once on a second Ctrl-C', async () => {
    const onCancel = vi.fn()
    const onForceQuit = vi.fn()
    const { stdin } = render(<ProgressView state={downloading} onCancel={onCancel} onForceQuit={onForceQuit} rows={24} />)
    await settle()
    stdin.write(CTRL_C)
    await settle()
    expect(onCancel).toHaveBeenCalledTimes(1)
    expect(onForceQuit).not.toHaveBeenCalled()
    stdin.write(CTRL_C)
    await settle()
    expect(onCancel).toHaveBeenCalledTimes(1)
    expect(onForceQuit).toHaveBeenCalledTimes(1)
  })

  it('treats the first Ctrl-C as the second when cancelling began elsewhere', async () => {
    const onCancel = vi.fn()
    const onForceQuit = vi.fn()
    const { stdin, lastFrame } = render(
      <ProgressView state={downloading} cancelling onCancel={onCancel} onForceQuit={onForceQuit} rows={24} />,
    )
    expect(visible(lastFrame())).toContain('cancelling…')
    await settle()
    stdin.write(CTRL_C)
    await settle()
    expect(onCancel).not.toHaveBeenCalled()
    expect(onForceQuit).toHaveBeenCalledTimes(1)
  })

  it('ignores other keys', async () => {
    const onCancel = vi.fn()
    const { stdin } = render(<ProgressView state={downloading} onCancel={onCancel} rows={24} />)
    await settle()
    stdin.write('x')
    stdin.write('c')
    await settle()
    expect(onCancel).not.toHaveBeenCalled()
  })

  it('shows the summary instead of the cancel hint once the run is over, and stops reading keys', async () => {
    const onCancel = vi.fn()
    const { stdin, lastFrame } = render(<ProgressView state={downloading} summary="2 recordings: 2 done" onCancel={onCancel} rows={24} />)
    await settle()
    stdin.write('q')
    await settle()
    expect(visible(lastFrame()).split('\n').at(-1)).toBe('2 recordings: 2 done')
    expect(onCancel).not.toHaveBeenCalled()
  })

  it('keeps the final frame below the terminal height when a long summary wraps', () => {
    const events: Array<[number, RecflowEvent]> = []
    for (let id = 1; id <= 6; id++) events.push([0, { type: 'recording', recordingId: id, displayName: `Talk ${id}`, status: 'INITIALIZED' }])
    const summary = 'x '.repeat(90).trim()
    const frame = visible(render(<ProgressView state={run(events)} summary={summary} onCancel={() => {}} rows={8} />).lastFrame())
    expect(frame).toContain(summary.slice(0, 40))
    expect(frame.split('\n').length).toBeLessThan(8)
  })

  it('does not read keys (nor touch raw mode) when stdin cannot do raw mode', async () => {
    const term = fakeTerminal({ stdinIsTTY: false })
    const setRawMode = vi.spyOn(term.stdin, 'setRawMode')
    const onCancel = vi.fn()
    const ink = inkRender(<ProgressView state={downloading} onCancel={onCancel} rows={24} />, {
      ...term.streams,
      exitOnCtrlC: false,
      patchConsole: false,
    })
    await settle()
    term.stdin.write('q')
    await settle()
    ink.unmount()
    expect(onCancel).not.toHaveBeenCalled()
    expect(setRawMode).not.toHaveBeenCalled()
    expect(visible(term.stdout.text())).toContain('#42 Lecture 3: Graphs')
  })
})
