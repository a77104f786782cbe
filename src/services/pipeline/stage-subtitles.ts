import { skipped, type StageHandler } from './stage-types.js'

export const subtitlesStage: StageHandler = async (ctx) => {
  if (!ctx.config.subtitles.enabled) return skipped('subtitles are disabled in the config (subtitles.enabled = false)')
  if (!ctx.previous.TRANSCRIBE) return skipped('no transcript to build subtitles from (transcription was skipped)')
  return skipped('subtitle generation is not available in this version of recflow yet')
}
