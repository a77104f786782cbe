import { rm } from 'node:fs/promises'
import { buildCues, subtitleWriters, type SubtitleFormat } from '../../domain/subtitles/index.js'
import { writeFileAtomicSync } from '../../platform/atomic-fs.js'
import { skipped, type StageHandler } from './stage-types.js'
import { readTranscript } from './transcript-file.js'

const ALL_FORMATS = Object.keys(subtitleWriters) as SubtitleFormat[]

/**
 * GENERATE_SUBTITLES: cues from the transcript's words (src/domain/subtitles), written as `subtitles.srt` and/or
 * `subtitles.vtt` per `subtitles.formats`, each atomically. A format no longer configured has its old file
 * removed, so publishing never copies a stale one. An empty transcript (no speech) gives valid empty files.
 */
export const subtitlesStage: StageHandler = async (ctx) => {
  const cfg = ctx.config.subtitles
  if (!cfg.enabled) return skipped('subtitles are disabled in the config (subtitles.enabled = false)')
  if (!ctx.previous.TRANSCRIBE) return skipped('no transcript to build subtitles from (transcription was skipped)')
  const formats = ALL_FORMATS.filter((f) => cfg.formats.includes(f))
  if (ctx.dryRun) return { status: 'COMPLETED', meta: { dry_run: true, formats }, message: `would write ${formats.join(' and ')} subtitles` }

  const transcript = await readTranscript(ctx.files, ctx.recording.id)
  const cues = buildCues(transcript.words)
  ctx.signal.throwIfAborted()
  const files: Partial<Record<SubtitleFormat, string>> = {}
  for (const format of ALL_FORMATS) {
    const file = ctx.files[format]
    if (formats.includes(format)) {
      writeFileAtomicSync(file, subtitleWriters[format](cues))
      files[format] = file
    } else {
      await rm(file, { force: true })
    }
  }
  ctx.progress(100)
  const what = cues.length === 0 ? 'no speech: empty subtitles' : `${cues.length} cue${cues.length === 1 ? '' : 's'}`
  return {
    status: 'COMPLETED',
    meta: { formats, files, cues: cues.length, words: transcript.words.length },
    message: `${what} (${formats.join(', ')})`,
  }
}
