import { skipped, type StageHandler } from './stage-types.js'

export const transcribeStage: StageHandler = async (ctx) => {
  const cfg = ctx.config.transcription
  if (!cfg.enabled) return skipped('transcription is disabled in the config (transcription.enabled = false)')
  if (cfg.provider === null) {
    return skipped('no transcription provider configured (transcription providers and their credentials come with the transcription release of recflow)')
  }
  return skipped(`the ${cfg.provider} transcription provider is not available in this version of recflow yet`)
}
