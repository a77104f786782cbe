import { listKeyframes } from './keyframes.js'
import { edgesKeyframeWindow, planEdgesTrim, planPausesTrim, type TrimMode, type TrimPlan } from './trim-plan.js'
import type { Interval, MediaInfo, MediaTools } from './types.js'

export interface TrimSettings {
  mode: TrimMode
  paddingBefore: number
  paddingAfter: number
  /** pauses mode only */
  minPause: number
  /** pauses mode only */
  margin: number
  /** pauses mode only */
  maxCutRatio: number
}

/**
 * The IO half of planning: for an edges trim of a video, reads the keyframes around the wanted cut point
 * (cheap, packet flags in one small window), then hands everything to the pure planner. Writes nothing, so
 * it is also what `--dry-run` uses.
 */
export async function planTrimForMedia(
  tools: MediaTools,
  media: MediaInfo,
  silences: readonly Interval[],
  settings: TrimSettings,
  opts: {
    signal?: AbortSignal
    /** Keyframes already read for `span` (e.g. the opening minutes, read while silence detection ran). */
    prefetched?: { span: Interval; keyframes: readonly number[] | undefined }
  } = {},
): Promise<TrimPlan> {
  const base = { durationS: media.durationS, silences, paddingBefore: settings.paddingBefore, paddingAfter: settings.paddingAfter }
  if (settings.mode === 'pauses') {
    return planPausesTrim({ ...base, minPause: settings.minPause, margin: settings.margin, maxCutRatio: settings.maxCutRatio })
  }
  const window = edgesKeyframeWindow(base)
  const covered = window && opts.prefetched && opts.prefetched.span.start <= window.start && window.end <= opts.prefetched.span.end
  const keyframes = covered
    ? opts.prefetched!.keyframes?.filter((t) => t >= window.start - 1 && t <= window.end + 1)
    : media.video && window
      ? await listKeyframes(tools, media, { windows: [window], signal: opts.signal })
      : undefined
  return planEdgesTrim({ ...base, keyframes })
}
