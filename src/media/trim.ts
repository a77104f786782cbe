import { rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { RecflowError } from '../domain/errors.js'
import { containerForPath, type Container } from './containers.js'
import type { EditList } from './edit-list.js'
import { findMoovSize, moovReservation, readMp4Duration } from './mp4-boxes.js'
import { writeViaPartFile } from './part-file.js'
import { probeMedia } from './probe.js'
import { assertToolSucceeded, runFfmpeg, type RunResult } from './runner.js'
import { formatSeconds } from './time-format.js'
import type { TrimPlan } from './trim-plan.js'
import type { Interval, MediaInfo, MediaRunOptions, MediaTools } from './types.js'

/**
 * With input seeking and stream copy, ffmpeg starts at the last keyframe at or before `-ss`. Seeking a hair
 * after the planned keyframe guards against the decimal round trip landing just before it (and so one whole
 * keyframe interval earlier).
 */
const KEYFRAME_SEEK_NUDGE_S = 0.001

export interface EdgesTrimArgsInput {
  input: string
  /** The path ffmpeg writes (usually `<final>.part`). */
  output: string
  container: Container
  keep: Interval
  /** True when keep.start is a keyframe time chosen by planEdgesTrim. */
  startsAtKeyframe: boolean
  /**
   * MP4 family only: bytes to reserve for the index at the front (one-pass faststart). Without it the
   * container's faststart flag asks ffmpeg to move the index afterwards (a second pass over the file).
   */
  moovReserveBytes?: number
}

/** Stream copy of one kept interval: no decoding, every stream kept (audio-only stays audio-only). */
export function edgesTrimArgs(a: EdgesTrimArgsInput): string[] {
  const seek = a.keep.start > 0 ? a.keep.start + (a.startsAtKeyframe ? KEYFRAME_SEEK_NUDGE_S : 0) : 0
  return [
    '-v', 'error',
    ...(seek > 0 ? ['-ss', formatSeconds(seek)] : []),
    '-i', a.input,
    '-t', formatSeconds(a.keep.end - seek),
    '-map', '0',
    '-c', 'copy',
    '-avoid_negative_ts', 'make_zero',
    ...(!a.container.faststart ? [] : a.moovReserveBytes ? ['-moov_size', String(a.moovReserveBytes)] : ['-movflags', '+faststart']),
    '-f', a.container.muxer,
    '-y', a.output,
  ]
}

export interface PausesTrimArgsInput {
  input: string
  output: string
  container: Container
  keep: readonly Interval[]
  /** Absolute stream indexes from probeMedia; no video index means audio-only output. */
  videoStreamIndex?: number
  audioStreamIndex: number
  /** Source audio bit rate in bit/s, to re-encode at matching quality. */
  audioBitRate?: number
  /** Very long graphs go through a script file (command lines have a length limit). */
  filterScriptPath?: string
}

/** Graphs longer than this are passed with -filter_complex_script (Linux limits one argument to 128 KiB). */
export const MAX_INLINE_FILTER_CHARS = 32_000

/**
 * Re-encode of several kept intervals: trim/atrim per interval, then concat. trim keeps each interval's own
 * timing (unlike select + setpts=N/FRAME_RATE/TB, which breaks variable frame rate recordings).
 */
export function pausesTrimArgs(a: PausesTrimArgsInput): { args: string[]; filterScript?: string } {
  if (a.keep.length === 0) throw new RecflowError('internal', 'a pauses trim needs at least one kept interval')
  const withVideo = a.videoStreamIndex !== undefined
  if (withVideo && !a.container.holdsH264) {
    throw new RecflowError('validation', `pauses mode re-encodes video to H.264, which a .${a.container.muxer} output cannot hold`, {
      hint: 'Write the processed recording as .mp4 or .mkv, or use trim_mode edges.',
    })
  }
  const graph = pausesFilterGraph(a.keep, a.videoStreamIndex, a.audioStreamIndex)
  const useScript = graph.length > MAX_INLINE_FILTER_CHARS
  if (useScript && !a.filterScriptPath) throw new RecflowError('internal', 'a long filter graph needs filterScriptPath')
  const audioK = Math.min(320, Math.max(64, Math.round((a.audioBitRate ?? 128_000) / 1000)))
  const args = [
    '-v', 'error',
    '-i', a.input,
    ...(useScript ? ['-filter_complex_script', a.filterScriptPath as string] : ['-filter_complex', graph]),
    ...(withVideo ? ['-map', '[v]'] : []),
    '-map', '[a]',
    ...(withVideo ? ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p'] : []),
    '-c:a', a.container.audioEncoder,
    ...(losslessAudio(a.container) ? [] : ['-b:a', `${audioK}k`]),
    ...(a.container.faststart ? ['-movflags', '+faststart'] : []),
    '-f', a.container.muxer,
    '-y', a.output,
  ]
  return useScript ? { args, filterScript: graph } : { args }
}

function isMp4Family(formatName: string): boolean {
  return /(^|,)(mov|mp4)(,|$)/.test(formatName)
}

function losslessAudio(c: Container): boolean {
  return c.audioEncoder === 'pcm_s16le' || c.audioEncoder === 'flac'
}

export function pausesFilterGraph(keep: readonly Interval[], videoIndex: number | undefined, audioIndex: number): string {
  const parts: string[] = []
  const concatInputs: string[] = []
  keep.forEach((k, i) => {
    const range = `start=${formatSeconds(k.start)}:end=${formatSeconds(k.end)}`
    if (videoIndex !== undefined) {
      parts.push(`[0:${videoIndex}]trim=${range},setpts=PTS-STARTPTS[v${i}]`)
      concatInputs.push(`[v${i}]`)
    }
    parts.push(`[0:${audioIndex}]atrim=${range},asetpts=PTS-STARTPTS[a${i}]`)
    concatInputs.push(`[a${i}]`)
  })
  const outputs = videoIndex !== undefined ? '[v][a]' : '[a]'
  parts.push(`${concatInputs.join('')}concat=n=${keep.length}:v=${videoIndex !== undefined ? 1 : 0}:a=1${outputs}`)
  return parts.join(';')
}

export interface TrimResult {
  output: string
  editList: EditList
  /** Probed from the written file. */
  durationS: number
  sizeBytes: number
}

/**
 * Writes the processed recording for a plan: stream copy for edges, re-encode for pauses. The output is
 * written as `<output>.part`, checked, then renamed; on failure or cancellation nothing is left behind. With
 * `into`, ffmpeg writes that file instead and nothing is renamed: the caller commits it (with other outputs).
 */
export async function trimMedia(
  tools: MediaTools,
  media: MediaInfo,
  output: string,
  plan: TrimPlan,
  run: MediaRunOptions & { into?: string } = {},
): Promise<TrimResult> {
  if (path.resolve(output) === path.resolve(media.path) || (run.into !== undefined && path.resolve(run.into) === path.resolve(media.path))) {
    throw new RecflowError('internal', 'trimMedia would overwrite its own input')
  }
  const container = containerForPath(output)
  const filterScriptPath = `${run.into ?? output}.filter.part`
  const ffmpeg = (args: string[]) => runFfmpeg(tools, args, { signal: run.signal, onProgress: run.onProgress, durationS: plan.keptS })
  try {
    return await writeViaPartFile(output, async (part) => {
      if (plan.mode === 'edges') await copyEdges(media, part, container, plan, ffmpeg)
      else {
        if (!media.audio) throw new RecflowError('internal', 'a pauses plan for media without audio')
        const planned = pausesTrimArgs({
          input: media.path,
          output: part,
          container,
          keep: plan.editList.keep,
          videoStreamIndex: media.video?.index,
          audioStreamIndex: media.audio.index,
          audioBitRate: media.audio.bitRate,
          filterScriptPath,
        })
        if (planned.filterScript !== undefined) await writeFile(filterScriptPath, planned.filterScript)
        assertToolSucceeded(await ffmpeg(planned.args), `trimming ${media.path}`)
      }
      const written = await writtenDuration(tools, part, container, run.signal)
      return { output, editList: plan.editList, durationS: written.durationS, sizeBytes: written.sizeBytes }
    }, run.into)
  } finally {
    await rm(filterScriptPath, { force: true })
  }
}

async function copyEdges(
  media: MediaInfo,
  part: string,
  container: Container,
  plan: TrimPlan,
  ffmpeg: (args: string[]) => Promise<RunResult>,
): Promise<void> {
  const keep = plan.editList.keep[0]
  if (!keep || plan.editList.keep.length !== 1) throw new RecflowError('internal', 'an edges plan keeps exactly one interval')
  const edges: EdgesTrimArgsInput = { input: media.path, output: part, container, keep, startsAtKeyframe: plan.startsAtKeyframe }
  const moovSize = container.faststart && isMp4Family(media.formatName) ? await findMoovSize(media.path) : undefined
  if (moovSize !== undefined) {
    const result = await ffmpeg(edgesTrimArgs({ ...edges, moovReserveBytes: moovReservation(moovSize) }))
    // Too small a reservation fails the trailer (with exit code 0): fall back to writing, then moving the index.
    if (!result.stderrTail.some((l) => l.includes('reserved_moov_size is too small'))) {
      assertToolSucceeded(result, `trimming ${media.path}`)
      return
    }
  }
  assertToolSucceeded(await ffmpeg(edgesTrimArgs(edges)), `trimming ${media.path}`)
}

/**
 * Duration and size of a file trimMedia has just written. An MP4 written by ffmpeg carries its duration in the
 * index header, read in a few small reads; other containers are asked of ffprobe (one more process start).
 */
async function writtenDuration(tools: MediaTools, file: string, container: Container, signal?: AbortSignal): Promise<{ durationS: number; sizeBytes: number }> {
  if (container.faststart) {
    const fromHeader = await readMp4Duration(file)
    if (fromHeader !== undefined && fromHeader.durationS > 0) return fromHeader
  }
  const probed = await probeMedia(tools, file, { signal, checkTruncation: false })
  return { durationS: probed.durationS, sizeBytes: probed.sizeBytes }
}
