import type { FfmpegProgress } from './types.js'

/**
 * Parser for ffmpeg's `-progress pipe:1` output: blocks of `key=value` lines, each closed by
 * `progress=continue` or `progress=end`. State is a plain value so the parser stays pure and testable.
 */
export interface ProgressState {
  outTimeS: number | undefined
  speed: number | undefined
}

export const initialProgressState: ProgressState = Object.freeze({ outTimeS: undefined, speed: undefined })

export function parseProgressLine(
  state: ProgressState,
  line: string,
  durationS?: number,
): { state: ProgressState; event?: FfmpegProgress } {
  const eq = line.indexOf('=')
  if (eq <= 0) return { state }
  const key = line.slice(0, eq).trim()
  const value = line.slice(eq + 1).trim()
  switch (key) {
    // out_time_ms is also in microseconds (a historical ffmpeg misnomer); prefer out_time_us when present.
    case 'out_time_us':
    case 'out_time_ms': {
      const us = Number(value)
      return Number.isFinite(us) ? { state: { ...state, outTimeS: Math.max(0, us / 1e6) } } : { state }
    }
    case 'out_time': {
      if (state.outTimeS !== undefined) return { state }
      const s = parseClock(value)
      return s === undefined ? { state } : { state: { ...state, outTimeS: s } }
    }
    case 'speed': {
      const n = Number.parseFloat(value.replace(/x$/, ''))
      return { state: { ...state, speed: Number.isFinite(n) ? n : undefined } }
    }
    case 'progress': {
      const done = value === 'end'
      const outTimeS = state.outTimeS ?? 0
      const event: FfmpegProgress = {
        outTimeS,
        percent: percentOf(outTimeS, durationS, done),
        speed: state.speed,
        done,
      }
      return { state: initialProgressState, event }
    }
    default:
      return { state }
  }
}

function percentOf(outTimeS: number, durationS: number | undefined, done: boolean): number | undefined {
  if (done) return 100
  if (durationS === undefined || !(durationS > 0)) return undefined
  return Math.min(100, Math.max(0, (outTimeS / durationS) * 100))
}

/** "HH:MM:SS.micro" (possibly negative, or N/A) -> seconds. */
export function parseClock(text: string): number | undefined {
  const m = /^(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text.trim())
  if (!m) return undefined
  const s = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4])
  return m[1] === '-' ? 0 : s
}
