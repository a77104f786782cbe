import type { BigIntStats } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { boundedMap } from '../domain/bounded-map.js'
import { RecflowError } from '../domain/errors.js'
import { runFfprobe, throwIfCancelled } from './runner.js'
import { formatSeconds } from './time-format.js'
import type { AudioStreamInfo, Interval, MediaInfo, MediaTools, VideoStreamInfo } from './types.js'

/**
 * ffprobe once per input. Anything that is not a complete, playable recording (missing, empty, not media,
 * truncated, no duration) becomes a RecflowError('validation') that names the file and says what to do.
 */

const REDOWNLOAD_HINT = 'The file is damaged or incomplete; download the recording again.'

export interface ProbeOptions {
  signal?: AbortSignal
  /**
   * Read the last seconds of MP4/Matroska files to catch truncation (default true). Skipped for files
   * recflow has just written itself, where it would only cost time.
   */
  checkTruncation?: boolean
}

/**
 * What this process has learnt of files it probed, by ffprobe and path, with the file's identity then: a pipeline
 * probes its source in DOWNLOAD and again in PROCESS, each ffprobe start costing ~0.1 s of CPU before it reads
 * anything. A file written since (another size, mtime or ctime, or another file at the path) is probed again.
 */
const probedFiles = boundedMap<string, { identity: string; info: MediaInfo; reachesEnd: boolean }>(256)
const probeKey = (tools: MediaTools, file: string) => `${tools.ffprobe.path}\0${path.resolve(file)}`

export async function probeMedia(tools: MediaTools, file: string, opts: ProbeOptions = {}): Promise<MediaInfo> {
  // A cancelled caller gets its cancel, remembered file or not (ffprobe would have refused to start).
  throwIfCancelled(opts.signal, 'probing')
  const st = await statMedia(file)
  const identity = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`
  const key = probeKey(tools, file)
  const known = probedFiles.get(key)
  let info: MediaInfo
  if (known?.identity === identity) {
    info = known.info
  } else {
    const result = await runFfprobe(tools, ['-v', 'error', '-of', 'json', '-show_format', '-show_streams', file], {
      signal: opts.signal,
    })
    if (result.exitCode !== 0) {
      throw new RecflowError('validation', `${path.basename(file)} is not a readable media file (${ffprobeReason(result.stderrTail)})`, {
        hint: REDOWNLOAD_HINT,
        details: { file, stderrTail: result.stderrTail },
      })
    }
    info = parseProbeOutput(result.stdout, { path: file, sizeBytes: Number(st.size) })
  }
  let reachesEnd = known?.identity === identity && known.reachesEnd
  if (opts.checkTruncation !== false && !reachesEnd && hasSampleIndex(info.formatName)) {
    await assertMediaReachesEnd(tools, info, opts.signal)
    reachesEnd = true
  }
  probedFiles.set(key, { identity, info, reachesEnd })
  return structuredClone(info)
}

async function statMedia(file: string): Promise<BigIntStats> {
  let st: BigIntStats
  try {
    st = await stat(file, { bigint: true })
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      throw new RecflowError('not_found', `media file ${file} not found`, { hint: REDOWNLOAD_HINT })
    }
    throw new RecflowError('validation', `cannot read media file ${file}: ${(e as Error).message}`)
  }
  if (!st.isFile()) throw new RecflowError('validation', `${file} is not a regular file`)
  if (st.size === 0n) {
    throw new RecflowError('validation', `${path.basename(file)} is empty (0 bytes)`, { hint: REDOWNLOAD_HINT, details: { file } })
  }
  return st
}

/** ffprobe's reason without its `[demuxer @ 0x...]` prefixes and the repeated file name. */
export function ffprobeReason(stderrTail: readonly string[]): string {
  const reasons = stderrTail
    .map((l) => l.replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, '').replace(/^.*?:\s(?=[A-Z][a-z])/, '').trim())
    .filter((l) => l.length > 0)
  const unique = [...new Set(reasons)]
  return unique.length > 0 ? unique.slice(-3).join('; ') : 'ffprobe failed without saying why'
}

interface ProbeJson {
  format?: {
    format_name?: string
    duration?: string
    start_time?: string
    bit_rate?: string
    tags?: Record<string, string>
  }
  streams?: Array<{
    index?: number
    codec_type?: string
    codec_name?: string
    width?: number
    height?: number
    avg_frame_rate?: string
    r_frame_rate?: string
    channels?: number
    sample_rate?: string
    bit_rate?: string
    start_time?: string
    duration?: string
    disposition?: { attached_pic?: number }
    tags?: Record<string, string>
  }>
}

/** Pure: ffprobe's JSON -> MediaInfo. Cover art (attached pictures) does not count as video. */
export function parseProbeOutput(json: string, file: { path: string; sizeBytes: number }): MediaInfo {
  let data: ProbeJson
  try {
    data = JSON.parse(json) as ProbeJson
  } catch {
    throw new RecflowError('internal', `ffprobe printed something that is not JSON for ${file.path}`)
  }
  const name = path.basename(file.path)
  const streams = data.streams ?? []
  const v = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1)
  const a = streams.find((s) => s.codec_type === 'audio')
  const formatName = data.format?.format_name ?? 'unknown'
  if ((!v && !a) || formatName === 'tty') {
    throw new RecflowError('validation', `${name} has no audio or video stream`, { hint: REDOWNLOAD_HINT, details: { file: file.path } })
  }
  const streamDurations = streams.map((s) => num(s.duration)).filter((d): d is number => d !== undefined)
  const durationS = num(data.format?.duration) ?? (streamDurations.length ? Math.max(...streamDurations) : undefined)
  if (durationS === undefined || !(durationS > 0)) {
    throw new RecflowError('validation', `${name} has no known duration`, { hint: REDOWNLOAD_HINT, details: { file: file.path } })
  }
  const video: VideoStreamInfo | undefined = v && {
    index: v.index ?? 0,
    codec: v.codec_name ?? 'unknown',
    width: v.width ?? 0,
    height: v.height ?? 0,
    fps: rate(v.avg_frame_rate) ?? rate(v.r_frame_rate),
  }
  const timelineStartS = num(data.format?.start_time) ?? 0
  const audio: AudioStreamInfo | undefined = a && {
    index: a.index ?? 0,
    codec: a.codec_name ?? 'unknown',
    channels: a.channels ?? 0,
    sampleRate: num(a.sample_rate) ?? 0,
    bitRate: num(a.bit_rate),
    startS: Math.max(0, (num(a.start_time) ?? timelineStartS) - timelineStartS),
    durationS: num(a.duration),
  }
  const startTime = isoTimestamp(data.format?.tags?.creation_time ?? v?.tags?.creation_time ?? a?.tags?.creation_time)
  return {
    path: file.path,
    durationS,
    formatName,
    sizeBytes: file.sizeBytes,
    timelineStartS,
    bitRate: num(data.format?.bit_rate),
    ...(video ? { video } : {}),
    ...(audio ? { audio } : {}),
    ...(startTime ? { startTime } : {}),
  }
}

function num(text: string | undefined): number | undefined {
  if (text === undefined || text === 'N/A') return undefined
  const n = Number(text)
  return Number.isFinite(n) ? n : undefined
}

/** "30000/1001" -> 29.97; "0/0" -> undefined. */
export function rate(text: string | undefined): number | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text ?? '')
  if (!m) return undefined
  const n = Number(m[1])
  const d = Number(m[2])
  return n > 0 && d > 0 ? n / d : undefined
}

/** Container timestamps: ISO UTC, or undefined for absent, unparsable or zero dates (1904/1970 epochs). */
export function isoTimestamp(text: string | undefined): string | undefined {
  if (!text) return undefined
  const ms = Date.parse(text)
  if (!Number.isFinite(ms)) return undefined
  const d = new Date(ms)
  return d.getUTCFullYear() < 1980 ? undefined : d.toISOString()
}

/**
 * Containers with a sample index (MP4/MOV, Matroska) report their full duration even when the file was cut
 * short, because the index is often at the start. Reading the packets of the last seconds tells the truth.
 */
/**
 * The truncation check alone, for callers that probed with `checkTruncation: false` to run it alongside other
 * work (the process stage overlaps it with silence detection). A no-op for containers without a sample index.
 */
export async function assertNotTruncated(tools: MediaTools, info: MediaInfo, signal?: AbortSignal): Promise<void> {
  if (hasSampleIndex(info.formatName)) await assertMediaReachesEnd(tools, info, signal)
}

export function hasSampleIndex(formatName: string): boolean {
  return /(^|,)(mov|mp4|matroska|webm)(,|$)/.test(formatName)
}

const TAIL_WINDOW_S = 15
const TRUNCATION_TOLERANCE_S = 1

/** The span the truncation check reads, in the ffmpeg timeline: the last seconds and as many past the end. */
export function truncationTail(info: MediaInfo): Interval {
  const start = Math.max(0, info.durationS - TAIL_WINDOW_S)
  return { start, end: start + TAIL_WINDOW_S * 2 }
}

/** Whether packets ending at `lastEnd` (container timestamps) reach the duration the container claims. */
export function reachesEnd(info: MediaInfo, lastEnd: number): boolean {
  return lastEnd - info.timelineStartS >= info.durationS - TRUNCATION_TOLERANCE_S
}

async function assertMediaReachesEnd(tools: MediaTools, info: MediaInfo, signal?: AbortSignal): Promise<void> {
  const from = info.timelineStartS + truncationTail(info).start
  let lastEnd = Number.NEGATIVE_INFINITY
  const result = await runFfprobe(
    tools,
    [
      '-v', 'error',
      // An explicit end: some ffprobe builds (the bundled 2023 one) read nothing for an open-ended "START%".
      '-read_intervals', `${formatSeconds(from)}%+${TAIL_WINDOW_S * 2}`,
      '-show_entries', 'packet=pts_time,duration_time',
      '-of', 'csv=p=0',
      info.path,
    ],
    {
      signal,
      onLine: (line) => {
        const [pts, dur] = line.split(',')
        const start = num(pts)
        if (start !== undefined) lastEnd = Math.max(lastEnd, start + (num(dur) ?? 0))
      },
    },
  )
  const reachedS = lastEnd - info.timelineStartS
  if (result.exitCode === 0 && reachesEnd(info, lastEnd)) return
  const where = Number.isFinite(reachedS) ? `its media data ends at ${reachedS.toFixed(1)} s` : 'its media data ends early'
  throw new RecflowError(
    'validation',
    `${path.basename(info.path)} is truncated: the container says ${info.durationS.toFixed(1)} s but ${where}`,
    { hint: REDOWNLOAD_HINT, details: { file: info.path } },
  )
}

/** For stages that need sound (silence detection, transcription). */
export function assertHasAudio(info: MediaInfo, forWhat: string): asserts info is MediaInfo & { audio: AudioStreamInfo } {
  if (info.audio) return
  throw new RecflowError('validation', `${path.basename(info.path)} has no audio stream, so recflow cannot ${forWhat}`, {
    hint: 'Disable this stage for the recording (e.g. `processing.enabled false` / `transcription.enabled false`) or provide a recording with sound.',
    details: { file: info.path },
  })
}
