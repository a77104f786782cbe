import { RecflowError } from '../../domain/errors.js'
import { ProviderError, type ProviderTranscript, type TranscribeRequest, type Transcriber } from '../types.js'
import { FIREWORKS_MAX_UPLOAD_BYTES, fireworksFields } from './fireworks-models.js'
import { requestLanguage } from './language.js'
import { parseAnswer } from './parse-transcription.js'
import { audioForm, audioPart, send, v1Url, type SendContext } from './send.js'

/*
 * Fireworks batch audio (API-CONTRACTS.md §D.2): submit the same multipart body as the sync call to
 * `/v1/audio/transcriptions?endpoint_id=audio-turbo|audio-prod`, then poll `/v1/accounts/{account}/batch_job/{id}`
 * with a growing delay until `completed` (the sync answer serialized in `body`, parsed by `content_type`), a
 * failure state, or the deadline. There is no webhook and no separate download.
 */

export interface BatchPolling {
  /** Wait before the first poll; doubles per poll up to maxDelayMs. */
  firstDelayMs: number
  maxDelayMs: number
  /** Give up after this long (the job layer retries a transient failure later). */
  deadlineMs: number
}

export const DEFAULT_BATCH_POLLING: BatchPolling = { firstDelayMs: 1000, maxDelayMs: 60_000, deadlineMs: 24 * 3600_000 }

const DONE = new Set(['completed', 'complete', 'succeeded', 'success', 'done'])
const FAILED = new Set(['failed', 'failure', 'error', 'errored', 'cancelled', 'canceled', 'expired', 'timeout', 'timed_out', 'rejected'])

export function fireworksBatchTranscriber(opts: {
  base: string
  model: string
  endpointId: string
  apiKey: string
  pricePerMinuteUsd: number | null
  ctx: SendContext
  polling?: Partial<BatchPolling>
}): Transcriber {
  const polling = { ...DEFAULT_BATCH_POLLING, ...opts.polling }
  const submitUrl = `${v1Url(opts.base, 'audio/transcriptions')}?endpoint_id=${encodeURIComponent(opts.endpointId)}`
  const headers = { authorization: opts.apiKey }
  const provider = opts.ctx.provider
  return {
    provider: 'fireworks-batch',
    model: opts.model,
    maxUploadBytes: FIREWORKS_MAX_UPLOAD_BYTES,
    wordTimestamps: true,
    pricePerMinuteUsd: opts.pricePerMinuteUsd,
    async transcribe(req: TranscribeRequest, control = {}): Promise<ProviderTranscript> {
      const { signal } = control
      const fields = fireworksFields(opts.model, { language: requestLanguage(req.language), prompt: req.prompt })
      const audio = await audioPart(req.file)
      const submitted = jsonObject(provider, (await send(opts.ctx, submitUrl, () => ({ method: 'POST', headers, body: audioForm(audio, fields) }), signal)).text)
      const batchId = submitted.batch_id
      const accountId = submitted.account_id
      if (typeof batchId !== 'string' || typeof accountId !== 'string') {
        throw new ProviderError(provider, 'permanent', `Fireworks batch: the submit answer has no batch_id/account_id (status ${String(submitted.status)})`)
      }
      const pollUrl = v1Url(opts.base, `accounts/${encodeURIComponent(accountId)}/batch_job/${encodeURIComponent(batchId)}`)
      const deadline = Date.now() + polling.deadlineMs
      let delay = polling.firstDelayMs
      for (;;) {
        if (Date.now() + delay > deadline) {
          throw new ProviderError(provider, 'transient', `Fireworks batch job ${batchId} did not finish within ${formatHours(polling.deadlineMs)}`)
        }
        await wait(delay, signal, opts.ctx.service)
        delay = Math.min(polling.maxDelayMs, delay * 2)
        const job = jsonObject(provider, (await send(opts.ctx, pollUrl, () => ({ method: 'GET', headers }), signal, 'batch job')).text)
        const status = typeof job.status === 'string' ? job.status.toLowerCase() : 'unknown'
        opts.ctx.logger.debug(`fireworks batch job ${batchId}: ${status}`)
        if (DONE.has(status)) return resultOf(provider, job, req.durationS)
        if (FAILED.has(status)) {
          const why = typeof job.message === 'string' ? job.message : typeof job.error === 'string' ? job.error : 'no reason given'
          throw new ProviderError(provider, 'permanent', `Fireworks batch job ${batchId} ended ${status}: ${why}`)
        }
      }
    },
  }
}

function resultOf(provider: string, job: Record<string, unknown>, durationS: number): ProviderTranscript {
  const body = job.body
  const contentType = typeof job.content_type === 'string' ? job.content_type : null
  if (typeof body === 'string') return parseAnswer(provider, body, contentType, durationS)
  if (body !== null && typeof body === 'object') return parseAnswer(provider, JSON.stringify(body), 'application/json', durationS)
  throw new ProviderError(provider, 'permanent', 'Fireworks batch: a completed job without a result body')
}

function jsonObject(provider: string, text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text)
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
  } catch {
    // reported below
  }
  throw new ProviderError(provider, 'permanent', `Fireworks batch answered with something that is not a JSON object: ${text.slice(0, 120)}`)
}

function wait(ms: number, signal: AbortSignal | undefined, service: string): Promise<void> {
  const cancelled = () => new RecflowError('cancelled', `${service}: transcription was cancelled`, { cause: signal?.reason })
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled())
    const onAbort = () => {
      clearTimeout(timer)
      reject(cancelled())
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

const formatHours = (ms: number) => (ms >= 3600_000 ? `${Math.round((ms / 3600_000) * 10) / 10} h` : `${Math.round(ms / 1000)} s`)
