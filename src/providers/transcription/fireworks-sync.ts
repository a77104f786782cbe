import type { ProviderTranscript, TranscribeRequest, Transcriber } from '../types.js'
import { FIREWORKS_MAX_UPLOAD_BYTES, fireworksFields } from './fireworks-models.js'
import { requestLanguage } from './language.js'
import { parseAnswer } from './parse-transcription.js'
import { audioForm, audioPart, send, v1Url, type SendContext } from './send.js'

/**
 * Fireworks serverless transcription (API-CONTRACTS.md §D.1): one multipart POST per audio file, verbose_json
 * with word and segment timestamps, the bare key in `Authorization` (as the docs show).
 */
export function fireworksSyncTranscriber(opts: { base: string; model: string; apiKey: string; pricePerMinuteUsd: number | null; ctx: SendContext }): Transcriber {
  const url = v1Url(opts.base, 'audio/transcriptions')
  return {
    provider: 'fireworks',
    model: opts.model,
    maxUploadBytes: FIREWORKS_MAX_UPLOAD_BYTES,
    wordTimestamps: true,
    pricePerMinuteUsd: opts.pricePerMinuteUsd,
    async transcribe(req: TranscribeRequest, control = {}): Promise<ProviderTranscript> {
      const fields = fireworksFields(opts.model, { language: requestLanguage(req.language), prompt: req.prompt })
      const audio = await audioPart(req.file)
      const answer = await send(opts.ctx, url, () => ({ method: 'POST', headers: { authorization: opts.apiKey }, body: audioForm(audio, fields) }), control.signal)
      return parseAnswer(opts.ctx.provider, answer.text, answer.headers.get('content-type'), req.durationS)
    },
  }
}
