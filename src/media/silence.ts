import { RecflowError } from '../domain/errors.js'
import { normalizeIntervals } from './intervals.js'
import { assertHasAudio } from './probe.js'
import { assertToolSucceeded, runFfmpeg } from './runner.js'
import { formatSeconds } from './time-format.js'
import type { Interval, MediaInfo, MediaRunOptions, MediaTools } from './types.js'

export interface SilenceOptions {
  /** Level below which audio counts as silence, in dB (e.g. -40). */
  thresholdDb: number
  /** Shortest silence worth reporting, in seconds (e.g. 2). */
  minSilenceS: number
}

/**
 * Decodes one audio stream only (`-vn -sn -dn`, explicit map): video is never decoded, which is what makes
 * detection fast on long recordings.
 */
export function silencedetectArgs(file: string, opts: SilenceOptions & { audioStreamIndex?: number; window?: Interval }): string[] {
  assertSilenceOptions(opts)
  const map = opts.audioStreamIndex === undefined ? '0:a:0' : `0:${opts.audioStreamIndex}`
  const w = opts.window
  return [
    ...(w ? ['-ss', formatSeconds(w.start), '-t', formatSeconds(w.end - w.start)] : []),
    '-i', file,
    '-map', map,
    '-vn', '-sn', '-dn',
    '-af', `silencedetect=n=${formatSeconds(opts.thresholdDb)}dB:d=${formatSeconds(opts.minSilenceS)}`,
    '-f', 'null', '-',
  ]
}

function assertSilenceOptions(opts: SilenceOptions): void {
  if (!(opts.thresholdDb <= 0 && opts.thresholdDb >= -100)) {
    throw new RecflowError('validation', `silence threshold ${opts.thresholdDb} dB is out of range (-100..0)`)
  }
  if (!(opts.minSilenceS > 0)) {
    throw new RecflowError('validation', `minimum silence duration must be positive, got ${opts.minSilenceS}`)
  }
}

const START_RE = /silence_start:\s*(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)/i
const END_RE = /silence_end:\s*(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)(?:\s*\|\s*silence_duration:\s*(\d+(?:\.\d+)?(?:e[-+]?\d+)?))?/i

/** True for the stderr lines parseSilenceDetect cares about (so callers keep only those). */
export function isSilenceLine(line: string): boolean {
  return line.includes('silence_start') || line.includes('silence_end')
}

/**
 * silencedetect's log lines -> silent intervals in the input's timeline, sorted, clamped to [0, durationS].
 * A silence that is still open when the stream ends (no silence_end, as older builds print) lasts until
 * durationS. Priming can make a start slightly negative; it is clamped to 0.
 */
export function parseSilenceDetect(lines: Iterable<string>, durationS: number): Interval[] {
  const found: Interval[] = []
  let openStart: number | undefined
  for (const line of lines) {
    const start = START_RE.exec(line)
    if (start?.[1] !== undefined) {
      openStart ??= Number(start[1])
      continue
    }
    const end = END_RE.exec(line)
    if (end?.[1] !== undefined) {
      const endS = Number(end[1])
      const startS = openStart ?? (end[2] !== undefined ? endS - Number(end[2]) : undefined)
      if (startS !== undefined) found.push({ start: startS, end: endS })
      openStart = undefined
    }
  }
  if (openStart !== undefined) found.push({ start: openStart, end: durationS })
  return normalizeIntervals(found, durationS)
}

/** Sound shorter than this at the very start or end of the audio is treated as part of the edge silence. */
const EDGE_TOLERANCE_S = 0.25

/**
 * Where there is no audio at all (before the audio stream starts, after it ends, while the video goes on)
 * there is nothing to hear: that counts as silence. silencedetect only sees the audio stream, so its first and
 * last silences stop a few milliseconds short of the container's edges; without this, a 1 ms "speech"
 * fragment at the end would keep a whole silent tail.
 */
export function extendSilencesToMediaEdges(
  silences: readonly Interval[],
  media: { durationS: number; audioStartS: number; audioEndS: number },
): Interval[] {
  const out = silences.map((s) => ({ ...s }))
  const first = out[0]
  if (first && first.start <= media.audioStartS + EDGE_TOLERANCE_S) first.start = 0
  else if (media.audioStartS > 0) out.unshift({ start: 0, end: media.audioStartS })
  const last = out[out.length - 1]
  if (last && last.end >= media.audioEndS - EDGE_TOLERANCE_S) last.end = media.durationS
  else if (media.audioEndS < media.durationS) out.push({ start: media.audioEndS, end: media.durationS })
  return normalizeIntervals(out, media.durationS)
}

/** A probe in flight: the file, and probeMedia's answer to come. */
export interface PendingProbe {
  path: string
  probing: Promise<MediaInfo>
}

/**
 * Silent intervals of the media's first audio stream. `media` may be a probe in flight: detection then starts
 * at once on the first audio stream (the one probeMedia reports), so the probe costs no time of its own; a
 * failed probe (or media without audio) stops detection, and the probe's error is the one thrown.
 */
export async function detectSilence(
  tools: MediaTools,
  media: MediaInfo | PendingProbe,
  opts: SilenceOptions,
  run: MediaRunOptions = {},
): Promise<Interval[]> {
  const pending = 'probing' in media ? media : undefined
  let known = pending ? undefined : (media as MediaInfo)
  if (known) assertHasAudio(known, 'detect silence')
  const stop = new AbortController()
  const signal = run.signal ? AbortSignal.any([run.signal, stop.signal]) : stop.signal
  const probed = pending?.probing.then(
    (info) => {
      known = info
      if (!info.audio) stop.abort()
      assertHasAudio(info, 'detect silence')
      return info
    },
    (e: unknown) => {
      stop.abort()
      throw e
    },
  )
  const file = media.path
  const lines: string[] = []
  let audioEndS: number | undefined
  const running = runFfmpeg(tools, silencedetectArgs(file, { ...opts, audioStreamIndex: known?.audio?.index }), {
    signal,
    onProgress: (p) => {
      if (p.done && p.outTimeS > 0) audioEndS = p.outTimeS
      const durationS = known?.durationS
      const percent = p.done ? 100 : durationS && durationS > 0 ? Math.min(100, Math.max(0, (p.outTimeS / durationS) * 100)) : undefined
      run.onProgress?.({ ...p, percent })
    },
    onStderrLine: (line) => {
      if (isSilenceLine(line)) lines.push(line)
    },
  })
  // The probe's verdict first: a file that is not media gets the probe's message, not ffmpeg's.
  const [info, result] = probed ? await Promise.all([probed, running.catch((e: unknown) => probed.then(() => Promise.reject(e)))]) : [known!, await running]
  assertToolSucceeded(result, `silence detection on ${info.path}`)
  const audio = info.audio!
  return extendSilencesToMediaEdges(parseSilenceDetect(lines, info.durationS), {
    durationS: info.durationS,
    audioStartS: audio.startS,
    audioEndS: Math.min(info.durationS, audio.durationS !== undefined ? audio.startS + audio.durationS : (audioEndS ?? info.durationS)),
  })
}

/**
 * Silent intervals inside one window of the media (in the media's timeline): only that stretch is decoded, so
 * looking for cut points around a few split points of a 3-hour recording costs seconds, not a full decode.
 */
export async function detectSilenceIn(
  tools: MediaTools,
  media: MediaInfo,
  window: Interval,
  opts: SilenceOptions,
  run: Pick<MediaRunOptions, 'signal'> = {},
): Promise<Interval[]> {
  assertHasAudio(media, 'detect silence')
  const start = Math.max(0, window.start)
  const end = Math.min(media.durationS, window.end)
  if (!(end > start)) return []
  const lines: string[] = []
  const result = await runFfmpeg(tools, silencedetectArgs(media.path, { ...opts, audioStreamIndex: media.audio?.index, window: { start, end } }), {
    signal: run.signal,
    onStderrLine: (line) => {
      if (isSilenceLine(line)) lines.push(line)
    },
  })
  assertToolSucceeded(result, `silence detection on ${media.path}`)
  return parseSilenceDetect(lines, end - start).map((s) => ({ start: s.start + start, end: s.end + start }))
}
