// Tests src/cli/progress-output.ts (kept next to the other progress view tests; it composes src/ui).
import { EventEmitter } from 'node:events'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  chooseProgressMode,
  createProgressOutput,
  installInterruptHandler,
  type ProgressOutput,
} from '../../../src/cli/progress-output.js'
import type { RecflowEvent } from '../../../src/domain/events.js'
import { PIPELINE_STAGES } from '../../../src/ui/progress-state.js'
import { fakeTerminal, settle, visible } from './fake-terminal.js'

/** A stand-in for `process`: signals are plain events, exit is recorded instead of ending the test run. */
function fakeProcess() {
  return Object.assign(new EventEmitter(), { exit: vi.fn<(code: number) => void>() })
}

const events: RecflowEvent[] = [
  { type: 'recording', recordingId: 42, displayName: 'Lecture 3', status: 'INITIALIZED' },
  { type: 'stage-started', recordingId: 42, stage: 'DOWNLOAD' },
  { type: 'progress', recordingId: 42, stage: 'DOWNLOAD', percent: 5 },
  { type: 'progress', recordingId: 42, stage: 'DOWNLOAD', percent: 55, etaS: 9 },
  { type: 'progress', recordingId: 42, stage: 'DOWNLOAD', percent: 57 },
  { type: 'stage-finished', recordingId: 42, stage: 'DOWNLOAD', outcome: 'completed' },
]

const outputs: ProgressOutput[] = []
function output(opts: Parameters<typeof createProgressOutput>[0]): ProgressOutput {
  const out = createProgressOutput(opts)
  outputs.push(out)
  return out
}
afterEach(() => {
  for (const o of outputs.splice(0)) o.dispose()
})

describe('choosing the progress mode', () => {
  it('uses the Ink view only on a terminal outside CI, and nothing but the result under --json', () => {
    expect(chooseProgressMode({ json: false, isTTY: true, ci: false })).toBe('tty')
    expect(chooseProgressMode({ json: false, isTTY: false, ci: false })).toBe('plain')
    expect(chooseProgressMode({ json: false, isTTY: undefined, ci: false })).toBe('plain')
    expect(chooseProgressMode({ json: false, isTTY: true, ci: true })).toBe('plain')
    expect(chooseProgressMode({ json: true, isTTY: true, ci: false })).toBe('json')
    expect(chooseProgressMode({ json: true, isTTY: false, ci: true })).toBe('json')
  })
})

describe('interrupt handler', () => {
  it('cancels on the first SIGINT and exits 130 on the second', () => {
    const proc = fakeProcess()
    const onCancel = vi.fn()
    installInterruptHandler(proc, onCancel)
    proc.emit('SIGINT')
    expect(onCancel).toHaveBeenCalledTimes(1)
    expect(proc.exit).not.toHaveBeenCalled()
    proc.emit('SIGINT')
    expect(onCancel).toHaveBeenCalledTimes(1)
    expect(proc.exit).toHaveBeenCalledWith(130)
  })

  it('treats SIGTERM the same way, exiting 143 the second time', () => {
    const proc = fakeProcess()
    const onCancel = vi.fn()
    installInterruptHandler(proc, onCancel)
    proc.emit('SIGTERM')
    proc.emit('SIGTERM')
    expect(onCancel).toHaveBeenCalledTimes(1)
    expect(proc.exit).toHaveBeenCalledWith(143)
  })

  it('exits on the first signal when cancelling already started another way, after releasing the terminal', () => {
    const proc = fakeProcess()
    const onCancel = vi.fn()
    const order: string[] = []
    proc.exit.mockImplementation(() => void order.push('exit'))
    installInterruptHandler(proc, onCancel, { isCancelled: () => true, beforeExit: () => order.push('release') })
    proc.emit('SIGINT')
    expect(onCancel).not.toHaveBeenCalled()
    expect(order).toEqual(['release', 'exit'])
  })

  it('removes its listeners when disposed, leaving other listeners alone', () => {
    const proc = fakeProcess()
    const other = () => {}
    proc.on('SIGINT', other)
    const dispose = installInterruptHandler(proc, () => {})
    expect(proc.listenerCount('SIGINT')).toBe(2)
    dispose()
    dispose()
    expect(proc.listeners('SIGINT')).toEqual([other])
    expect(proc.listenerCount('SIGTERM')).toBe(0)
  })
})

describe('plain progress output', () => {
  it('writes one line per meaningful event to stdout and the summary at the end', async () => {
    const term = fakeTerminal()
    let t = 0
    const out = output({ mode: 'plain', ...term.streams, onCancel: () => {}, process: fakeProcess(), now: () => (t += 1000) })
    for (const e of events) out.onEvent(e)
    await out.finish()
    expect(term.stdout.text()).toBe(
      [
        '#42 Lecture 3: queued (INITIALIZED)',
        '#42 Lecture 3: download started',
        '#42 Lecture 3: download 55%, eta 0:09',
        '#42 Lecture 3: download done in 0:04',
        '1 recording: 1 done (stages: 1 done) in 0:05',
        '',
      ].join('\n'),
    )
    expect(term.stdout.text()).not.toContain('\u001B')
    expect(term.stderr.text()).toBe('')
  })

  it('prints the summary it is given instead of its own', async () => {
    const term = fakeTerminal()
    const out = output({ mode: 'plain', ...term.streams, onCancel: () => {}, process: fakeProcess() })
    await out.finish('published 3 videos')
    expect(term.stdout.text()).toBe('published 3 videos\n')
  })

  it('cancels once on SIGINT, says so on stderr, and marks the summary as cancelled', async () => {
    const term = fakeTerminal()
    const proc = fakeProcess()
    const onCancel = vi.fn()
    const out = output({ mode: 'plain', ...term.streams, onCancel, process: proc })
    out.onEvent(events[0]!)
    proc.emit('SIGINT')
    expect(onCancel).toHaveBeenCalledTimes(1)
    expect(out.cancelling).toBe(true)
    expect(term.stderr.text()).toContain('cancelling')
    await out.finish()
    expect(term.stdout.text().trim().split('\n').at(-1)).toBe('cancelled: 1 recording: 1 not started')
  })

  it('stops listening for signals once finished', async () => {
    const proc = fakeProcess()
    const out = output({ mode: 'plain', ...fakeTerminal().streams, onCancel: () => {}, process: proc })
    expect(proc.listenerCount('SIGINT')).toBe(1)
    await out.finish()
    expect(proc.listenerCount('SIGINT')).toBe(0)
  })
})

describe('json progress output', () => {
  it('writes nothing during the run nor at the end, but still tracks the state', async () => {
    const term = fakeTerminal()
    const out = output({ mode: 'json', ...term.streams, onCancel: () => {}, process: fakeProcess() })
    for (const e of events) out.onEvent(e)
    await out.finish()
    expect(term.stdout.writes).toEqual([])
    expect(term.stderr.writes).toEqual([])
    expect(out.state.counts.done).toBe(1)
  })

  it('still turns Ctrl-C into a clean cancel', () => {
    const proc = fakeProcess()
    const onCancel = vi.fn()
    output({ mode: 'json', ...fakeTerminal().streams, onCancel, process: proc })
    proc.emit('SIGINT')
    expect(onCancel).toHaveBeenCalledTimes(1)
  })
})

describe('terminal progress output', () => {
  it('renders the Ink view as events arrive and leaves the final frame with the summary', async () => {
    const term = fakeTerminal()
    const out = output({ mode: 'tty', ...term.streams, onCancel: () => {}, process: fakeProcess(), plannedStages: PIPELINE_STAGES })
    // Events that arrive while Ink is still loading are not lost: the view mounts with the state so far.
    out.onEvent(events[0]!)
    out.onEvent(events[1]!)
    await out.ready
    out.onEvent(events[3]!)
    await settle(60)
    const during = visible(term.stdout.text())
    expect(during).toContain('#42 Lecture 3')
    expect(during).toContain('55%')
    expect(during).toContain('q to cancel')
    for (const e of events.slice(4)) out.onEvent(e)
    await out.finish('all done')
    const after = visible(term.stdout.text())
    expect(after.trimEnd().split('\n').at(-1)).toBe('all done')
    expect(term.stdin.rawMode).toBe(false)
  })

  it('cancels on q, then exits 130 on Ctrl-C after giving the terminal back', async () => {
    const term = fakeTerminal()
    const proc = fakeProcess()
    const onCancel = vi.fn()
    const out = output({ mode: 'tty', ...term.streams, onCancel, process: proc })
    out.onEvent(events[0]!)
    await out.ready
    await settle()
    expect(term.stdin.rawMode).toBe(true)
    term.stdin.write('q')
    await settle(60)
    expect(onCancel).toHaveBeenCalledTimes(1)
    expect(out.cancelling).toBe(true)
    expect(visible(term.stdout.text())).toContain('cancelling…')
    term.stdin.write('\u0003')
    await settle()
    expect(proc.exit).toHaveBeenCalledWith(130)
    expect(term.stdin.rawMode).toBe(false)
    expect(proc.listenerCount('SIGINT')).toBe(0)
  })

  it('shows a SIGINT-started cancel in the view and exits on the next Ctrl-C key', async () => {
    const term = fakeTerminal()
    const proc = fakeProcess()
    const onCancel = vi.fn()
    const out = output({ mode: 'tty', ...term.streams, onCancel, process: proc })
    out.onEvent(events[0]!)
    await out.ready
    await settle()
    proc.emit('SIGINT')
    await settle(60)
    expect(onCancel).toHaveBeenCalledTimes(1)
    expect(visible(term.stdout.text())).toContain('cancelling…')
    term.stdin.write('\u0003')
    await settle()
    expect(onCancel).toHaveBeenCalledTimes(1)
    expect(proc.exit).toHaveBeenCalledWith(130)
  })

  it('shows the first frame with the events that came before the view mounted', async () => {
    const term = fakeTerminal()
    const out = output({ mode: 'tty', ...term.streams, onCancel: () => {}, process: fakeProcess() })
    for (const e of events.slice(0, 4)) out.onEvent(e)
    expect(term.stdout.writes).toEqual([])
    await out.ready
    await settle()
    expect(visible(term.stdout.text())).toContain('55%')
  })

  it('never mounts the view when disposed before it loaded', async () => {
    const term = fakeTerminal()
    const out = output({ mode: 'tty', ...term.streams, onCancel: () => {}, process: fakeProcess() })
    out.dispose()
    await out.ready
    await settle()
    expect(term.stdout.writes).toEqual([])
    expect(term.stdin.rawMode).toBe(false)
  })

  it('ignores events after finish and tolerates dispose after finish', async () => {
    const term = fakeTerminal()
    const out = output({ mode: 'tty', ...term.streams, onCancel: () => {}, process: fakeProcess() })
    await out.finish()
    const written = term.stdout.text()
    out.onEvent(events[0]!)
    out.dispose()
    await settle()
    expect(term.stdout.text()).toBe(written)
    expect(visible(written)).toContain('nothing to do')
  })
})
