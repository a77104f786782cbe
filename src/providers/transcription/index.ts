import { ProviderError, type ApiKeyAccess, type ApiKeyCheck, type ProviderEnv, type Transcriber, type TranscriberConfig } from '../types.js'
import { fireworksAudioBase, fireworksModel } from './fireworks-models.js'
import { fireworksSyncTranscriber } from './fireworks-sync.js'
import type { SendContext } from './send.js'

/** Test knobs: shorter waits than the real services need. */
export interface TranscriberTuning {
  retry?: SendContext['retry']
}

/** Builds the transcriber `transcription.provider` names. */
export async function createTranscriber(config: TranscriberConfig, env: ProviderEnv, tuning: TranscriberTuning = {}): Promise<Transcriber> {
  const { access } = config
  const ctx = (service: string): SendContext => ({
    provider: config.provider,
    service,
    apiKey: access.apiKey,
    credentialId: config.credentialId,
    logger: env.logger,
    retry: tuning.retry,
  })
  switch (config.provider) {
    case 'fireworks': {
      const { name, known } = fireworksModel(config.model)
      const base = fireworksAudioBase(name, access.baseUrl, env.urls.fireworksAudio)
      return fireworksSyncTranscriber({ base, model: name, apiKey: access.apiKey, pricePerMinuteUsd: known?.pricePerMinuteUsd ?? null, ctx: ctx(`Fireworks (${base})`) })
    }
    default:
      throw new ProviderError(config.provider, 'permanent', `the ${config.provider} transcription client is not built yet`)
  }
}

/** `credentials test` for fireworks and openai keys: one cheap authenticated call. (Placeholder.) */
export async function checkTranscriptionKey(kind: 'fireworks' | 'openai', _access: ApiKeyAccess, _env: ProviderEnv, _control: { signal?: AbortSignal } = {}): Promise<ApiKeyCheck> {
  return { ok: false, kind: 'other', detail: `checking ${kind} keys is not built yet` }
}
