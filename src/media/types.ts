/** Shapes shared by the media modules. Times are float seconds, sizes are bytes (safe up to 2^53). */

export type MediaToolSource = 'system' | 'bundled' | 'configured'

export interface MediaTool {
  path: string
  source: MediaToolSource
  /** The version token printed by `-version` (e.g. "5.1.9-0+deb12u1" or "N-47683-g0e8eb07980-static"). */
  version: string
}

export interface MediaTools {
  ffmpeg: MediaTool
  ffprobe: MediaTool
}

export interface Interval {
  start: number
  end: number
}

export interface VideoStreamInfo {
  /** Absolute stream index in the container, for `-map 0:<index>` and filter inputs. */
  index: number
  codec: string
  width: number
  height: number
  fps: number | undefined
}

export interface AudioStreamInfo {
  index: number
  codec: string
  channels: number
  sampleRate: number
  bitRate: number | undefined
  /** Where the audio starts in the ffmpeg timeline (after the container start), usually 0. */
  startS: number
  /** The audio stream's own duration when the container records it (MP4 does, Matroska often not). */
  durationS: number | undefined
}

export interface MediaInfo {
  path: string
  durationS: number
  formatName: string
  sizeBytes: number
  /**
   * The container's start_time. ffmpeg's `-ss` and filter timestamps count from here, ffprobe's pts_time does
   * not, so keyframe times are shifted by it.
   */
  timelineStartS: number
  bitRate: number | undefined
  video?: VideoStreamInfo
  audio?: AudioStreamInfo
  /** The container's creation_time tag as ISO UTC, when present and valid. */
  startTime?: string
}

export interface FfmpegProgress {
  /** Position in the output timeline. */
  outTimeS: number
  /** 0-100 when the expected duration is known. */
  percent: number | undefined
  /** Processing speed as a multiple of real time, when ffmpeg reports it. */
  speed: number | undefined
  /** True on the last event (`progress=end`). */
  done: boolean
}

export interface MediaRunOptions {
  signal?: AbortSignal
  onProgress?: (progress: FfmpegProgress) => void
}
