import path from 'node:path'
import { writeFile } from 'node:fs/promises'
import {
  assertHasAudio,
  assertNotTruncated,
  describeTrimPlan,
  detectSilence,
  extractPoster,
  listKeyframesCheckingEnd,
  planTrimForMedia,
  probeMedia,
  trimMedia,
  OutputSet,
  type FfmpegProgress,
} from '../../media/index.js'
import { skipped, type StageContext, type StageHandler } from './stage-types.js'

/** How much of the start is scanned for keyframes during detection (a longer lead-in falls back to a second read). */
const HEAD_KEYFRAMES_S = 600

/**
 * Runs independent ffmpeg jobs at once; when one fails, the others are aborted (their `.part` files removed)
 * instead of running on unobserved.
 */
async function together<A, B>(signal: AbortSignal, a: (s: AbortSignal) => Promise<A>, b: (s: AbortSignal) => Promise<B>): Promise<[A, B]> {
  const sibling = new AbortController()
  const onAbort = () => sibling.abort()
  // A signal aborted already fires no 'abort' event: the two would run to the end.
  if (signal.aborted) sibling.abort()
  signal.addEventListener('abort', onAbort, { once: true })
  const guard = <T>(p: Promise<T>) => p.catch((e: unknown) => (sibling.abort(), Promise.reject(e)))
  try {
    return await Promise.all([guard(a(sibling.signal)), guard(b(sibling.signal))])
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}

/** Maps an ffmpeg sub-step's progress into a slice [from, to] of the stage's 0-100, with an ETA from its speed. */
function slice(ctx: StageContext, from: number, to: number, totalS: () => number | undefined) {
  return (p: FfmpegProgress) => {
    // A cancelled ffmpeg still reports its last block ("progress=end"), which would show the step as finished.
    const total = totalS()
    if (p.percent === undefined || ctx.signal.aborted || total === undefined) return
    const etaS = p.speed && p.speed > 0 ? Math.max(0, (total - p.outTimeS) / p.speed) : undefined
    ctx.progress(from + ((to - from) * p.percent) / 100, { etaS })
  }
}

/**
 * Trims silence: detection on the audio stream alone, a keyframe-aware plan, then a stream copy (`edges`) or a
 * re-encode (`pauses`). Writes the processed media, the edit list (kept intervals in original time) and a
 * poster frame as one set: the previous set is removed before the new one is written (the runner has already
 * recorded that the recording has no processed media), and the new one appears whole or not at all; `dryRun`
 * stops after the plan and writes nothing.
 */
export const processStage: StageHandler = async (ctx) => {
  const cfg = ctx.config.processing
  if (!cfg.enabled) return skipped('processing is disabled in the config (processing.enabled = false)')
  const source = String(ctx.previous.DOWNLOAD?.source_file ?? ctx.recording.original_file)
  const tools = await ctx.deps.media.tools()
  // Detection starts with the probe, not after it (one process start less on the way).
  const probing = probeMedia(tools, source, { signal: ctx.signal, checkTruncation: false }).then((m) => (assertHasAudio(m, 'trim silence'), m))
  let durationS: number | undefined
  void probing.then((m) => (durationS = m.durationS), () => {})

  // While detection decodes the audio, one ffprobe reads the keyframes of the opening minutes (where the first
  // speech almost always is) for the cut point, and the file's tail for the truncation check.
  let head: { start: number; end: number } | undefined
  const [silences, headKeyframes] = await together(
    ctx.signal,
    (signal) =>
      detectSilence(
        tools,
        { path: source, probing },
        { thresholdDb: cfg.silence_threshold, minSilenceS: cfg.min_silence_duration },
        { signal, onProgress: slice(ctx, 0, 35, () => durationS) },
      ),
    async (signal) => {
      const media = await probing
      if (cfg.trim_mode !== 'edges') {
        await assertNotTruncated(tools, media, signal)
        return undefined
      }
      head = { start: 0, end: Math.min(media.durationS, HEAD_KEYFRAMES_S) }
      return listKeyframesCheckingEnd(tools, media, { head, signal })
    },
  )
  const media = await probing
  const plan = await planTrimForMedia(
    tools,
    media,
    silences,
    {
      mode: cfg.trim_mode,
      paddingBefore: cfg.padding_before,
      paddingAfter: cfg.padding_after,
      minPause: cfg.min_pause,
      margin: cfg.pause_margin,
      maxCutRatio: cfg.max_cut_ratio,
    },
    { signal: ctx.signal, prefetched: headKeyframes === undefined || head === undefined ? undefined : { span: head, keyframes: headKeyframes } },
  )
  const summary = {
    mode: plan.mode,
    source_duration: media.durationS,
    kept_s: plan.keptS,
    cut_s: plan.cutS,
    keep: plan.editList.keep,
    speech: plan.speech,
    plan: describeTrimPlan(plan),
  }
  if (ctx.dryRun) return { status: 'COMPLETED', meta: { dry_run: true, ...summary }, message: summary.plan.map((l) => l.trim()).join('; ') }

  const output = ctx.files.processed.replace(/\.[^./]+$/, path.extname(source).toLowerCase() || '.mp4')
  // The poster is taken from the source at the same moment of the processed timeline, while the trim runs.
  const atS = (plan.editList.keep[0]?.start ?? 0) + cfg.poster_time
  const set = new OutputSet([output, ctx.files.poster, ctx.files.editList])
  const [result, poster] = await set.write(ctx.files.dir, async () => {
    const written = await together(
      ctx.signal,
      (signal) => trimMedia(tools, media, output, plan, { signal, onProgress: slice(ctx, 35, 95, () => plan.keptS), into: set.part(output) }),
      async (signal) =>
        media.video ? (await extractPoster(tools, media, { atS, output: ctx.files.poster }, { signal, into: set.part(ctx.files.poster) })).path : null,
    )
    await writeFile(set.part(ctx.files.editList), JSON.stringify(written[0].editList, null, 1) + '\n', { flag: 'wx' })
    return written
  })
  ctx.progress(100)
  return {
    status: 'COMPLETED',
    meta: {
      ...summary,
      processed_file: result.output,
      processed_duration: result.durationS,
      processed_size_bytes: result.sizeBytes,
      edit_list_file: ctx.files.editList,
      poster_file: poster,
    },
    message: keptMessage(result.durationS, media.durationS),
  }
}

/**
 * "kept 54.2 s of 60.0 s". A stream copy cut at keyframes can come out a few milliseconds longer than the source's
 * own duration says; the trimmed copy never really holds more than the original, so neither does the message.
 */
export function keptMessage(keptS: number, totalS: number): string {
  return `kept ${Math.min(keptS, totalS).toFixed(1)} s of ${totalS.toFixed(1)} s`
}
