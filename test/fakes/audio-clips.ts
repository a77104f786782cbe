import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { MediaTools } from '../../src/media/types.js'
import { ffmpegSync, GENERATOR as TONES_GENERATOR, systemOrBundledTools, toneInput } from '../fixtures/media/generate.js'
import { cachedMediaFile, copyFromCache, mediaCacheKey, sourceOf } from '../support/media-cache.js'

const GENERATOR = sourceOf(fileURLToPath(import.meta.url))

/**
 * A short mono 16 kHz audio file like the ones the TRANSCRIBE stage sends (Opus in Ogg by default, or MP3):
 * a tone where `tones` say, digital silence elsewhere. Cached; each caller gets its own copy at `file`.
 */
export async function makeAsrClip(file: string, spec: { durationS: number; tones: Array<{ start: number; end: number }> }, tools?: MediaTools): Promise<string> {
  const t = tools ?? (await systemOrBundledTools())
  const ext = path.extname(file)
  const name = `asr${ext}`
  const codec = ext === '.mp3' ? ['-c:a', 'libmp3lame', '-b:a', '32k'] : ['-c:a', 'libopus', '-b:a', '24k']
  const cached = cachedMediaFile(mediaCacheKey('makeAsrClip', spec, name, t.ffmpeg.path, GENERATOR, TONES_GENERATOR), name, (out) =>
    ffmpegSync(t, [...toneInput(spec.tones, spec.durationS), '-ac', '1', '-ar', '16000', ...codec, out]),
  )
  return copyFromCache(cached, file)
}
