import { ProviderError, type ApiKeyAccess, type ApiKeyCheck, type ProviderEnv, type Transcriber, type TranscriberConfig } from '../types.js'
import { modelsProbe, runKeyProbe, transcriptionProbe } from './check-key.js'
import { fireworksBatchTranscriber, type BatchPolling } from './fireworks-batch.js'
import { FIREWORKS_BATCH_DISCOUNT, FIREWORKS_DEFAULT_MODEL, fireworksAudioBase, fireworksModel } from './fireworks-models.js'
import { fireworksSyncTranscriber } from './fireworks-sync.js'
import { OPENAI_DEFAULT_MODEL, OPENAI_DEFAULT_URL, openAiPricePerMinute, openAiTranscriber } from './openai-audio.js'
import type { SendContext } from './send.js'

/** Test knobs: shorter waits than the real services need. */
export interface TranscriberTuning {
  retry?: SendContext['retry']
  batchPolling?: Partial<BatchPolling>
}

/** The price per audio minute (USD) the transcriber of `provider` and `model` would report, without building it. */
export function transcriptionPricePerMinute(provider: Transcriber['provider'], model: string | null): number | null {
  switch (provider) {
    case 'fireworks':
      return fireworksModel(model).known?.pricePerMinuteUsd ?? null
    case 'fireworks-batch': {
      const { known } = fireworksModel(model)
      return known ? known.pricePerMinuteUsd * FIREWORKS_BATCH_DISCOUNT : null
    }
    case 'openai':
      return openAiPricePerMinute(model ?? OPENAI_DEFAULT_MODEL)
  }
}

/**
 * Builds the transcriber `transcription.provider` names. Base URL: the credential's own (`--base-url`), else
 * RECFLOW_FIREWORKS_AUDIO_URL / RECFLOW_FIREWORKS_BATCH_URL / RECFLOW_TRANSCRIBE_URL, else the real service
 * (for Fireworks sync, the chosen model's own host).
 */
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
    case 'fireworks-batch': {
      const { name, known } = fireworksModel(config.model)
      if (!known) {
        throw new ProviderError('fireworks-batch', 'permanent', `Fireworks batch has no endpoint for model "${name}" (it serves whisper-v3 and whisper-v3-turbo)`, {
          hint: 'set another model with `recflow config set transcription.model whisper-v3-turbo`',
        })
      }
      const base = access.baseUrl ?? env.urls.fireworksBatch
      return fireworksBatchTranscriber({
        base,
        model: name,
        endpointId: known.endpointId,
        apiKey: access.apiKey,
        pricePerMinuteUsd: known.pricePerMinuteUsd * FIREWORKS_BATCH_DISCOUNT,
        ctx: ctx(`Fireworks batch (${base})`),
        polling: tuning.batchPolling,
      })
    }
    case 'openai': {
      const base = access.baseUrl ?? env.urls.transcribe ?? OPENAI_DEFAULT_URL
      return openAiTranscriber({ base, model: config.model ?? OPENAI_DEFAULT_MODEL, apiKey: access.apiKey, ctx: ctx(`the transcription service at ${base}`) })
    }
  }
}

/** `credentials test` for fireworks and openai keys: one cheap authenticated call. */
export async function checkTranscriptionKey(kind: 'fireworks' | 'openai', access: ApiKeyAccess, env: ProviderEnv, control: { signal?: AbortSignal } = {}): Promise<ApiKeyCheck> {
  if (kind === 'fireworks') {
    const base = fireworksAudioBase(FIREWORKS_DEFAULT_MODEL, access.baseUrl, env.urls.fireworksAudio)
    return runKeyProbe(access, transcriptionProbe(base, access.apiKey, FIREWORKS_DEFAULT_MODEL), control.signal)
  }
  const base = access.baseUrl ?? env.urls.transcribe ?? OPENAI_DEFAULT_URL
  return runKeyProbe(access, modelsProbe(base, access.apiKey), control.signal, transcriptionProbe(base, `Bearer ${access.apiKey}`, OPENAI_DEFAULT_MODEL))
}
