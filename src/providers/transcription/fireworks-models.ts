import { RecflowError } from '../../domain/errors.js'

/*
 * Fireworks serverless speech models (API-CONTRACTS.md §D.1-D.3). Each model has its own host; the batch API
 * names the same deployments by endpoint id. Prices are per audio minute; batch is about 40% off.
 */
export interface FireworksModel {
  host: string
  endpointId: string
  pricePerMinuteUsd: number
}

export const FIREWORKS_MODELS: Record<string, FireworksModel> = {
  'whisper-v3': { host: 'https://audio-prod.api.fireworks.ai', endpointId: 'audio-prod', pricePerMinuteUsd: 0.0015 },
  'whisper-v3-turbo': { host: 'https://audio-turbo.api.fireworks.ai', endpointId: 'audio-turbo', pricePerMinuteUsd: 0.0009 },
}

export const FIREWORKS_DEFAULT_MODEL = 'whisper-v3-turbo'
export const FIREWORKS_MAX_UPLOAD_BYTES = 1_000_000_000
export const FIREWORKS_BATCH_DISCOUNT = 0.6

export function fireworksModel(model: string | null): { name: string; known: FireworksModel | undefined } {
  const name = model ?? FIREWORKS_DEFAULT_MODEL
  return { name, known: FIREWORKS_MODELS[name] }
}

/** The host for the sync API: the credential's base URL > RECFLOW_FIREWORKS_AUDIO_URL > the model's own host. */
export function fireworksAudioBase(model: string, credentialBase: string | null, envBase: string | undefined): string {
  const base = credentialBase ?? envBase ?? FIREWORKS_MODELS[model]?.host
  if (base === undefined) {
    throw new RecflowError('validation', `Fireworks model "${model}" has no known host (known: ${Object.keys(FIREWORKS_MODELS).join(', ')})`, {
      hint: 'set `transcription.model` to a known model with `recflow config set`, or give the credential its endpoint with `recflow credentials add fireworks --base-url URL`',
    })
  }
  return base
}

/** The form fields of a Fireworks transcription (sync and batch take the same body). */
export function fireworksFields(model: string, req: { language: string | null; prompt: string }): Array<[string, string]> {
  const fields: Array<[string, string]> = [
    ['model', model],
    ['response_format', 'verbose_json'],
    ['timestamp_granularities', 'word,segment'],
  ]
  if (req.language !== null) fields.push(['language', req.language])
  if (req.prompt.trim() !== '') fields.push(['prompt', req.prompt])
  return fields
}
