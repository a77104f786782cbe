import { assertNotTruncated, hasSampleIndex, reachesEnd, truncationTail } from './probe.js'
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
  opts: { windows?: readonly Interval[]; timelineStartS?: number; videoStreamIndex?: number; withDurations?: boolean } = {},
): string[] {
  const offset = opts.timelineStartS ?? 0
  const intervals = (opts.windows ?? [])
    .map((w) => `${formatSeconds(Math.max(0, w.start + offset))}%${formatSeconds(Math.max(0, w.end + offset))}`)
    .join(',')
  return [
    '-v', 'error',
    '-select_streams', opts.videoStreamIndex === undefined ? 'v:0' : String(opts.videoStreamIndex),
    ...(intervals ? ['-read_intervals', intervals] : []),
    '-show_entries', opts.withDurations ? 'packet=pts_time,duration_time,flags' : 'packet=pts_time,flags',
    '-of', 'csv=p=0',
    file,
  ]
}

/** "14.000000,K_" (or "14.000000,0.040000,K_" with durations) -> 14 (keyframe); others -> undefined. */
export function parseKeyframeLine(line: string): number | undefined {
  const fields = line.trim().split(',')
  const pts = fields[0]
  if (fields.length < 2 || !fields.at(-1)!.includes('K') || pts === undefined || pts === 'N/A') return undefined
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

/**
 * The process stage's two questions for ffprobe while silence detection runs, in one read of the video packets:
 * the keyframes of `head` (the opening minutes, where the cut point almost always is) and whether the media data
 * reaches the end the container claims (probe.ts's truncation check). Each ffprobe of a long MP4 parses its
 * whole index before reading anything (~0.3 s of CPU for an hour of 720p), so two questions cost one process.
 * Only video packets are read: should the video end early, the all-streams check decides, because a video that
 * stops before its sound does not make a truncated file. Media without video get the truncation check alone.
 */
export async function listKeyframesCheckingEnd(
  tools: MediaTools,
  media: MediaInfo,
  opts: { head: Interval; signal?: AbortSignal },
): Promise<number[] | undefined> {
  if (!media.video) {
    await assertNotTruncated(tools, media, opts.signal)
    return undefined
  }
  const tail = hasSampleIndex(media.formatName) ? truncationTail(media) : undefined
  const headEnd = opts.head.end + WINDOW_END_SLACK_S
  const times = new Set<number>()
  let lastEnd = Number.NEGATIVE_INFINITY
  const args = keyframeListArgs(media.path, {
    windows: [{ start: opts.head.start, end: headEnd }, ...(tail ? [tail] : [])],
    timelineStartS: media.timelineStartS,
    videoStreamIndex: media.video.index,
    withDurations: true,
  })
  const result = await runFfprobe(tools, args, {
    signal: opts.signal,
    onLine: (line) => {
      const [pts, duration] = line.split(',')
      const start = Number(pts)
      if (pts === undefined || pts === 'N/A' || !Number.isFinite(start)) return
      const end = start + (Number(duration) || 0)
      if (end > lastEnd) lastEnd = end
      const t = parseKeyframeLine(line)
      const at = t === undefined ? undefined : Math.round((t - media.timelineStartS) * 1e6) / 1e6
      if (at !== undefined && at <= headEnd) times.add(at)
    },
  })
  assertToolSucceeded(result, `listing keyframes of ${media.path}`)
  if (tail && !reachesEnd(media, lastEnd)) await assertNotTruncated(tools, media, opts.signal)
  return [...times].sort((a, b) => a - b)
}
