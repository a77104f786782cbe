import { skipped, type StageHandler } from './stage-types.js'

/*
 * Transcription, topics and subtitles need external services that arrive with later issues. Until a provider is
 * configured these stages finish as SKIPPED with the reason and what to do — never as a silent success.
 */

export const transcribeStage: StageHandler = async (ctx) => {
  const cfg = ctx.config.transcription
  if (!cfg.enabled) return skipped('transcription is disabled in the config (transcription.enabled = false)')
  if (cfg.provider === null) {
    return skipped('no transcription provider configured (transcription providers and their credentials come with the transcription release of recflow)')
  }
  return skipped(`the ${cfg.provider} transcription provider is not available in this version of recflow yet`)
}

export const topicsStage: StageHandler = async (ctx) => {
  if (!ctx.config.topics.enabled) return skipped('topic extraction is disabled in the config (topics.enabled = false)')
  if (!ctx.previous.TRANSCRIBE) return skipped('no transcript to extract topics from (transcription was skipped)')
  return skipped('topic extraction is not available in this version of recflow yet')
}

export const subtitlesStage: StageHandler = async (ctx) => {
  if (!ctx.config.subtitles.enabled) return skipped('subtitles are disabled in the config (subtitles.enabled = false)')
  if (!ctx.previous.TRANSCRIBE) return skipped('no transcript to build subtitles from (transcription was skipped)')
  return skipped('subtitle generation is not available in this version of recflow yet')
}
