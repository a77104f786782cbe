import type { ProviderTranscript, TranscribeRequest, Transcriber } from '../types.js'
import { parseAnswer } from './parse-transcription.js'
import { requestLanguage } from './language.js'
import { audioForm, audioPart, send, v1Url, type SendContext } from './send.js'

/*
 * Any OpenAI-compatible POST /v1/audio/transcriptions (API-CONTRACTS.md §F): OpenAI, Groq, a whisper.cpp server
 * (run with `--inference-path /v1/audio/transcriptions`). Differences handled (§F.4): `Bearer` auth; the
 * granularity field is `timestamp_granularities[]`, repeated; gpt-4o-style models answer `json` only, so they
 * give text without timestamps (wordTimestamps false: the stage derives words from the one segment); the
 * language goes out as an ISO-639-1 code and comes back as a name; words may be top-level or inside segments.
 */

export const OPENAI_DEFAULT_URL = 'https://api.openai.com/v1'
export const OPENAI_DEFAULT_MODEL = 'whisper-1'
/** 25 MB (OpenAI and Groq's free tier), in decimal bytes: under OpenAI's 26,214,400 with room for the form. */
export const OPENAI_MAX_UPLOAD_BYTES = 25_000_000

const PRICES: Record<string, number> = {
  'whisper-1': 0.006,
  'gpt-4o-transcribe': 0.006,
  'gpt-4o-mini-transcribe': 0.003,
  'whisper-large-v3': 0.111 / 60,
  'whisper-large-v3-turbo': 0.04 / 60,
}

/** US dollars per audio minute of an OpenAI-compatible model, null when this table does not know it. */
export const openAiPricePerMinute = (model: string): number | null => PRICES[model] ?? null

/** Models that only answer json/text (no verbose_json, so no timestamps). */
export const jsonOnlyModel = (model: string): boolean => /^gpt-/i.test(model)

export function openAiTranscriber(opts: { base: string; model: string; apiKey: string; ctx: SendContext }): Transcriber {
  const url = v1Url(opts.base, 'audio/transcriptions')
  const timestamps = !jsonOnlyModel(opts.model)
  return {
    provider: 'openai',
    model: opts.model,
    maxUploadBytes: OPENAI_MAX_UPLOAD_BYTES,
    wordTimestamps: timestamps,
    pricePerMinuteUsd: openAiPricePerMinute(opts.model),
    async transcribe(req: TranscribeRequest, control = {}): Promise<ProviderTranscript> {
      const fields: Array<[string, string]> = [['model', opts.model]]
      if (timestamps) fields.push(['response_format', 'verbose_json'], ['timestamp_granularities[]', 'word'], ['timestamp_granularities[]', 'segment'])
      else fields.push(['response_format', 'json'])
      const language = requestLanguage(req.language)
      if (language !== null) fields.push(['language', language])
      if (req.prompt.trim() !== '') fields.push(['prompt', req.prompt])
      const audio = await audioPart(req.file)
      const answer = await send(opts.ctx, url, () => ({ method: 'POST', headers: { authorization: `Bearer ${opts.apiKey}` }, body: audioForm(audio, fields) }), control.signal)
      return parseAnswer(opts.ctx.provider, answer.text, answer.headers.get('content-type'), req.durationS)
    },
  }
}
