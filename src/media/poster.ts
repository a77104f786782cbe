import { stat } from 'node:fs/promises'
import path from 'node:path'
import { RecflowError } from '../domain/errors.js'
import { writeViaPartFile } from './part-file.js'
import { assertToolSucceeded, runFfmpeg } from './runner.js'
import { formatSeconds } from './time-format.js'
import type { MediaInfo, MediaTools } from './types.js'

/** Keep the poster this far from the end: seeking to the very last instant can yield no frame at all. */
const END_MARGIN_S = 1

/** The poster time actually used: the asked time clamped into the recording. */
export function clampPosterTime(atS: number, durationS: number): number {
  const latest = Math.max(0, durationS - END_MARGIN_S)
  return Math.min(Math.max(0, Number.isFinite(atS) ? atS : 0), latest)
}

export function posterArgs(a: { input: string; atS: number; durationS: number; output: string; videoStreamIndex?: number }): string[] {
  const at = clampPosterTime(a.atS, a.durationS)
  return [
    '-v', 'error',
    ...(at > 0 ? ['-ss', formatSeconds(at)] : []),
    '-i', a.input,
    '-map', a.videoStreamIndex === undefined ? '0:v:0' : `0:${a.videoStreamIndex}`,
    '-an', '-sn', '-dn',
    '-frames:v', '1',
    '-c:v', 'mjpeg',
    '-q:v', '3',
    // image2 without a %d pattern in the name: write one image, not a sequence.
    '-f', 'image2', '-update', '1',
    '-y', a.output,
  ]
}

export interface Poster {
  path: string
  atS: number
  sizeBytes: number
}

/** A JPEG thumbnail candidate from the video at (about) atS. */
export async function extractPoster(
  tools: MediaTools,
  media: MediaInfo,
  opts: { atS: number; output: string },
  run: { signal?: AbortSignal; /** Write this file instead and rename nothing: the caller commits it. */ into?: string } = {},
): Promise<Poster> {
  const video = media.video
  if (!video) {
    throw new RecflowError('validation', `${path.basename(media.path)} has no video stream to take a poster frame from`, {
      hint: 'Audio-only recordings have no poster; set a thumbnail in the template metadata instead.',
    })
  }
  const atS = clampPosterTime(opts.atS, media.durationS)
  let sizeBytes = 0
  await writeViaPartFile(opts.output, async (part) => {
    const args = posterArgs({ input: media.path, atS, durationS: media.durationS, output: part, videoStreamIndex: video.index })
    const result = await runFfmpeg(tools, args, { signal: run.signal })
    assertToolSucceeded(result, `extracting a poster frame from ${media.path}`)
    sizeBytes = await stat(part).then((s) => s.size, () => 0)
    if (sizeBytes === 0) throw new RecflowError('internal', `ffmpeg wrote no poster frame at ${formatSeconds(atS)} s of ${media.path}`)
  }, run.into)
  return { path: opts.output, atS, sizeBytes }
}
