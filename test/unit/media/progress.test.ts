import { describe, expect, it } from 'vitest'
import { initialProgressState, parseClock, parseProgressLine, type ProgressState } from '../../../src/media/progress.js'
import type { FfmpegProgress } from '../../../src/media/types.js'

function feed(lines: string[], durationS?: number): FfmpegProgress[] {
  let state: ProgressState = initialProgressState
  const events: FfmpegProgress[] = []
  for (const line of lines) {
    const next = parseProgressLine(state, line, durationS)
    state = next.state
    if (next.event) events.push(next.event)
  }
  return events
}

const block = (us: string, progress: string, speed = '1.5x') => [
  'frame=100',
  'fps=25.00',
  'bitrate=N/A',
  'total_size=N/A',
  `out_time_us=${us}`,
  `out_time_ms=${us}`,
  'out_time=00:00:30.000000',
  'dup_frames=0',
  `speed=${speed}`,
  `progress=${progress}`,
]

describe('parseProgressLine', () => {
  it('emits one event per block, with the position in seconds and the percentage of the expected duration', () => {
    expect(feed(block('30000000', 'continue'), 120)).toEqual([{ outTimeS: 30, percent: 25, speed: 1.5, done: false }])
  })

  it('reports 100 percent and done on progress=end', () => {
    const events = feed([...block('30000000', 'continue'), ...block('120000000', 'end', '2.33e+03x')], 120)
    expect(events).toEqual([
      { outTimeS: 30, percent: 25, speed: 1.5, done: false },
      { outTimeS: 120, percent: 100, speed: 2330, done: true },
    ])
  })

  it('leaves the percentage undefined when the duration is unknown', () => {
    expect(feed(block('5000000', 'continue'))[0]?.percent).toBeUndefined()
  })

  it('clamps the percentage to 100 when ffmpeg runs past the expected duration', () => {
    expect(feed(block('130000000', 'continue'), 120)[0]?.percent).toBe(100)
  })

  it('falls back to out_time when the microsecond fields are N/A', () => {
    const lines = ['out_time_us=N/A', 'out_time_ms=N/A', 'out_time=00:01:02.500000', 'speed=N/A', 'progress=continue']
    expect(feed(lines, 125)).toEqual([{ outTimeS: 62.5, percent: 50, speed: undefined, done: false }])
  })

  it('ignores lines that are not key=value and starts each block afresh', () => {
    const events = feed(['garbage', ...block('1000000', 'continue'), 'progress=continue'], 10)
    expect(events.map((e) => e.outTimeS)).toEqual([1, 0])
  })
})

describe('parseClock', () => {
  it('reads HH:MM:SS.micro', () => {
    expect(parseClock('01:02:03.250000')).toBe(3723.25)
  })
  it('treats negative times (before the first frame) as zero and junk as unknown', () => {
    expect(parseClock('-00:00:00.021333')).toBe(0)
    expect(parseClock('N/A')).toBeUndefined()
  })
})
