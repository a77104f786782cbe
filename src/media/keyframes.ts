import { assertToolSucceeded, runFfprobe } from './runner.js'
import { formatSeconds } from './time-format.js'
import type { Interval, MediaInfo, MediaTools } from './types.js'

/**
 * Keyframe times of the main video stream, from packet flags: reading packets does not decode anything.
 * Measured on a 60-min 720p H.264 file (GOP 2 s): packet flags for the whole file 1.4 s, `-skip_frame nokey`
 * frame listing 6.0 s, packet flags within two 10 s windows (`-read_intervals`) 0.2 s. So we read windows.
 * A window read starts at the keyframe at or before the window start, so the keyframe just before a window
 * is always included; that is exactly the fallback an edges trim needs.
 */

const WINDOW_END_SLACK_S = 0.5

export function keyframeListArgs(
  file: string,
  opts: { windows?: readonly Interval[]; timelineStartS?: number; videoStreamIndex?: number } = {},
): string[] {
  const offset = opts.timelineStartS ?? 0
  const intervals = (opts.windows ?? [])
    .map((w) => `${formatSeconds(Math.max(0, w.start + offset))}%${formatSeconds(Math.max(0, w.end + offset))}`)
    .join(',')
  return [
    '-v', 'error',
    '-select_streams', opts.videoStreamIndex === undefined ? 'v:0' : String(opts.videoStreamIndex),
    ...(intervals ? ['-read_intervals', intervals] : []),
    '-show_entries', 'packet=pts_time,flags',
    '-of', 'csv=p=0',
    file,
  ]
}

/** "14.000000,K_" -> 14 (keyframe); non-keyframes and unknown times -> undefined. */
export function parseKeyframeLine(line: string): number | undefined {
  const [pts, flags] = line.trim().split(',')
  if (!flags?.includes('K') || pts === undefined || pts === 'N/A') return undefined
  const t = Number(pts)
  return Number.isFinite(t) ? t : undefined
}

/**
 * Keyframe times in the ffmpeg timeline (the container start_time subtracted), sorted, unique. Without
 * windows the whole file is read. Audio-only media have no keyframe list: returns undefined.
 */
export async function listKeyframes(
  tools: MediaTools,
  media: MediaInfo,
  opts: { windows?: readonly Interval[]; signal?: AbortSignal } = {},
): Promise<number[] | undefined> {
  if (!media.video) return undefined
  const times = new Set<number>()
  const args = keyframeListArgs(media.path, {
    // ffprobe stops before a packet at the window end; a little slack includes a keyframe exactly there.
    windows: opts.windows?.map((w) => ({ start: w.start, end: w.end + WINDOW_END_SLACK_S })),
    timelineStartS: media.timelineStartS,
    videoStreamIndex: media.video.index,
  })
  const result = await runFfprobe(tools, args, {
    signal: opts.signal,
    onLine: (line) => {
      const t = parseKeyframeLine(line)
      if (t !== undefined) times.add(Math.round((t - media.timelineStartS) * 1e6) / 1e6)
    },
  })
  assertToolSucceeded(result, `listing keyframes of ${media.path}`)
  return [...times].sort((a, b) => a - b)
}
