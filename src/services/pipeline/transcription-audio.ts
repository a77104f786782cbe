import { existsSync } from 'node:fs'
import { chooseCut, MIN_CUT_SILENCE_S, piecesFromCuts, planSplit, type SpanMapper } from '../../domain/transcript/index.js'
import {
  assertHasAudio,
  detectSilenceIn,
  editListSchema,
  mapInterval,
  mapTime,
  maxPieceSeconds,
  probeMedia,
  processedDuration,
  type AsrAudioFormat,
  type AudioPiece,
  type EditList,
  type MediaInfo,
  type MediaTools,
} from '../../media/index.js'
import type { StageContext } from './stage-types.js'

/*
 * Which audio TRANSCRIBE sends and how it is cut. Times in the transcript are always in the processed video's
 * timeline: the processed file is transcribed when there is one; otherwise the original, whose times are mapped
 * through the process stage's edit list when it has one (with no PROCESS, the original is what people watch).
 */

export interface TranscriptionSource {
  path: string
  kind: 'processed' | 'original'
  /** From the audio's timeline to the processed video's; identity when the processed file itself is sent. */
  map: SpanMapper
  /** Seconds of the processed video, once the audio is probed. */
  processedDurationS(media: MediaInfo): number
}

const identity: SpanMapper = (start, end) => ({ start, end })

/** Spans of the original through an edit list; a word cut entirely is dropped, a point keeps its mapped time. */
export function editListMapper(edit: EditList): SpanMapper {
  return (start, end) => {
    if (!(end > start)) {
      const t = mapTime(edit, start)
      return t === null ? null : { start: t, end: t }
    }
    const parts = mapInterval(edit, { start, end })
    return parts.length === 0 ? null : { start: parts[0]!.start, end: parts[parts.length - 1]!.end }
  }
}

export function chooseTranscriptionSource(ctx: Pick<StageContext, 'previous' | 'recording'>): TranscriptionSource {
  const proc = ctx.previous.PROCESS
  const processed = typeof proc?.processed_file === 'string' ? proc.processed_file : ctx.recording.processed_file
  if (processed && existsSync(processed)) {
    return { path: processed, kind: 'processed', map: identity, processedDurationS: (m) => m.durationS }
  }
  const original = String(ctx.previous.DOWNLOAD?.source_file ?? ctx.recording.original_file)
  const edit = proc && proc.dry_run !== true ? editListSchema.safeParse({ source_duration: proc.source_duration, keep: proc.keep }) : undefined
  if (edit?.success) {
    const list = edit.data
    return { path: original, kind: 'original', map: editListMapper(list), processedDurationS: () => processedDuration(list) }
  }
  return { path: original, kind: 'original', map: identity, processedDurationS: (m) => m.durationS }
}

export interface PiecePlan {
  media: MediaInfo
  pieces: AudioPiece[]
  /** Cuts that found no silence in their window (hard cuts, a word may be split there). */
  hardCuts: number
}

/**
 * Probes the audio and plans its pieces: as many as the upload limit and the pool need, each cut in the best
 * silence near an even split point (only the windows around those points are decoded).
 */
export async function planTranscriptionPieces(
  tools: MediaTools,
  source: TranscriptionSource,
  opts: { format: AsrAudioFormat; maxUploadBytes: number; concurrency: number; silenceThresholdDb: number; signal: AbortSignal },
): Promise<PiecePlan> {
  const media = await probeMedia(tools, source.path, { signal: opts.signal })
  assertHasAudio(media, 'transcribe')
  const plan = planSplit({
    durationS: media.durationS,
    maxPieceS: Number.isFinite(opts.maxUploadBytes) ? maxPieceSeconds(opts.format.bytesPerSecond, opts.maxUploadBytes) : Infinity,
    concurrency: opts.concurrency,
  })
  const cuts: number[] = []
  let hardCuts = 0
  for (const window of plan.windows) {
    const silences = await detectSilenceIn(tools, media, window, { thresholdDb: opts.silenceThresholdDb, minSilenceS: MIN_CUT_SILENCE_S }, { signal: opts.signal })
    const cut = chooseCut(window, silences)
    if (!cut.inSilence) hardCuts++
    cuts.push(cut.at)
  }
  return { media, pieces: piecesFromCuts(media.durationS, cuts), hardCuts }
}
