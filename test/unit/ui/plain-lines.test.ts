import { describe, expect, it } from 'vitest'
import type { RecflowEvent } from '../../../src/domain/events.js'
import { emptyPrinted, formatEventLine } from '../../../src/ui/plain-lines.js'
import { initialProgressState, reduce } from '../../../src/ui/progress-state.js'

/** Runs events through the reducer and the line formatter the way the plain output does; returns printed lines. */
function print(events: Array<[number, RecflowEvent]>): string[] {
  let state = initialProgressState()
  let printed = emptyPrinted()
  const lines: string[] = []
  for (const [at, event] of events) {
    state = reduce(state, event, at)
    const out = formatEventLine(event, { state, printed })
    printed = out.printed
    if (out.line !== undefined) lines.push(out.line)
  }
  return lines
}

const named: [number, RecflowEvent] = [0, { type: 'recording', recordingId: 42, displayName: 'Lecture 3', status: 'INITIALIZED' }]
const progress = (at: number, percent: number, extra: Partial<Extract<RecflowEvent, { type: 'progress' }>> = {}): [number, RecflowEvent] => [
  at,
  { type: 'progress', recordingId: 42, stage: 'DOWNLOAD', percent, ...extra },
]

describe('plain progress lines', () => {
  it('shows an upload\'s bytes and, once the rate is steady, its speed', () => {
    const up = (at: number, bytes: number): [number, RecflowEvent] => [
      at,
      { type: 'progress', recordingId: 42, stage: 'UPLOAD', target: 'youtube', percent: (bytes / 100_000_000) * 100, bytes, totalBytes: 100_000_000 },
    ]
    const lines = print([named, up(0, 0), up(10_000, 20_000_000), up(20_000, 40_000_000), up(30_000, 60_000_000)])
    expect(lines[1]).toContain('upload youtube 0% (0 B of 100.0 MB)')
    expect(lines.at(-1)).toMatch(/upload youtube 60% \(60\.0 MB of 100\.0 MB, 2\.0 MB\/s\)/)
  })

  it('announces a recording with its status', () => {
    expect(print([named])).toEqual(['#42 Lecture 3: queued (INITIALIZED)'])
  })

  it('always prints a stage start, its finish with the time it took, and uses the recording name', () => {
    expect(
      print([
        named,
        [1_000, { type: 'stage-started', recordingId: 42, stage: 'DOWNLOAD' }],
        [13_000, { type: 'stage-finished', recordingId: 42, stage: 'DOWNLOAD', outcome: 'completed', message: '300 MB' }],
      ]),
    ).toEqual(['#42 Lecture 3: queued (INITIALIZED)', '#42 Lecture 3: download started', '#42 Lecture 3: download done in 0:12 - 300 MB'])
  })

  it('prints progress at most once per 10 % step of a stage', () => {
    const lines = print([
      [0, { type: 'stage-started', recordingId: 42, stage: 'DOWNLOAD' }],
      progress(1, 3),
      progress(2, 9.9),
      progress(3, 10),
      progress(4, 15),
      progress(5, 19),
      progress(6, 37),
      progress(7, 38),
    ])
    expect(lines).toEqual(['#42: download started', '#42: download 10%', '#42: download 37%'])
  })

  it('throttles each stage and each upload target separately', () => {
    const lines = print([
      [0, { type: 'progress', recordingId: 1, stage: 'UPLOAD', target: 'youtube', percent: 12 }],
      [0, { type: 'progress', recordingId: 1, stage: 'UPLOAD', target: 'vk', percent: 12 }],
      [0, { type: 'progress', recordingId: 2, stage: 'UPLOAD', target: 'youtube', percent: 12 }],
      [0, { type: 'progress', recordingId: 1, stage: 'UPLOAD', target: 'youtube', percent: 13 }],
    ])
    expect(lines).toEqual(['#1: upload youtube 12%', '#1: upload vk 12%', '#2: upload youtube 12%'])
  })

  it('prints the first progress of a stage whose start it never saw', () => {
    expect(print([progress(0, 55)])).toEqual(['#42: download 55%'])
  })

  it('starts counting steps again when a stage restarts', () => {
    const lines = print([
      [0, { type: 'stage-started', recordingId: 42, stage: 'DOWNLOAD' }],
      progress(1, 50),
      [2, { type: 'stage-started', recordingId: 42, stage: 'DOWNLOAD' }],
      progress(3, 20),
    ])
    expect(lines).toEqual(['#42: download started', '#42: download 50%', '#42: download started', '#42: download 20%'])
  })

  it('adds the ETA and the message to a progress line', () => {
    // 1 % a second, measured over 20 s: 80 % left takes 80 s.
    const steady = Array.from({ length: 19 }, (_, i) => progress((i + 1) * 1000, i + 1))
    expect(print([[0, { type: 'stage-started', recordingId: 42, stage: 'DOWNLOAD' }], ...steady, progress(20_000, 20, { message: '60 of 300 MB' })])).toEqual([
      '#42: download started',
      '#42: download 10%, eta 1:30',
      '#42: download 20%, eta 1:20 - 60 of 300 MB',
    ])
    expect(print([progress(0, 40, { etaS: 125 })])).toEqual(['#42: download 40%, eta 2:05'])
  })

  it('leaves 100 % to the finish line', () => {
    expect(
      print([
        [0, { type: 'stage-started', recordingId: 42, stage: 'DOWNLOAD' }],
        progress(1, 100),
        [2, { type: 'stage-finished', recordingId: 42, stage: 'DOWNLOAD', outcome: 'completed' }],
        progress(3, 100),
      ]),
    ).toEqual(['#42: download started', '#42: download done in 0:00'])
  })

  it('prints a skipped stage with its reason and no time', () => {
    expect(print([[0, { type: 'stage-finished', recordingId: 42, stage: 'TRANSCRIBE', outcome: 'skipped', message: 'already transcribed' }]])).toEqual([
      '#42: transcribe skipped - already transcribed',
    ])
  })

  it('prints a failure with its message and hint', () => {
    expect(
      print([[0, { type: 'stage-failed', recordingId: 42, stage: 'UPLOAD', target: 'youtube', message: 'quota exceeded', hint: 'wait until tomorrow' }]]),
    ).toEqual(['#42: upload youtube failed - quota exceeded (hint: wait until tomorrow)'])
  })

  it('prints sync results and log lines, warnings marked', () => {
    expect(
      print([
        [0, { type: 'sync', sourceId: 1, sourceName: 'Zoom main', found: 12, created: 3, changed: 1, vanished: 0 }],
        [1, { type: 'log', level: 'info', message: 'matched 3 recordings' }],
        [2, { type: 'log', level: 'warn', message: 'token expires soon', recordingId: 42 }],
      ]),
    ).toEqual(['sync Zoom main: 12 found, 3 new, 1 changed, 0 vanished', 'matched 3 recordings', '#42: warning: token expires soon'])
  })

  it('never lets escape codes or newlines from messages into the output', () => {
    const lines = print([
      [0, { type: 'recording', recordingId: 1, displayName: 'Evil\u001B[2J\nname', status: 'INITIALIZED' }],
      [1, { type: 'stage-failed', recordingId: 1, stage: 'PROCESS', message: 'ffmpeg:\r\n\u001B[31mInvalid data\u001B[0m' }],
    ])
    expect(lines).toEqual(['#1 Evil name: queued (INITIALIZED)', '#1 Evil name: process failed - ffmpeg: Invalid data'])
    for (const line of lines) expect(line).not.toMatch(/[\u0000-\u001F]/)
  })

  it('does not change the context it is given', () => {
    const state = reduce(initialProgressState(), { type: 'stage-started', recordingId: 1, stage: 'PROCESS' }, 0)
    const printed = emptyPrinted()
    const out = formatEventLine({ type: 'stage-started', recordingId: 1, stage: 'PROCESS' }, { state, printed })
    expect(printed.size).toBe(0)
    expect(out.printed.get('1:PROCESS')).toBe(0)
  })
})
