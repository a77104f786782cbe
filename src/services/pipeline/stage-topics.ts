import { skipped, type StageHandler } from './stage-types.js'

export const topicsStage: StageHandler = async (ctx) => {
  if (!ctx.config.topics.enabled) return skipped('topic extraction is disabled in the config (topics.enabled = false)')
  if (!ctx.previous.TRANSCRIBE) return skipped('no transcript to extract topics from (transcription was skipped)')
  return skipped('topic extraction is not available in this version of recflow yet')
}
