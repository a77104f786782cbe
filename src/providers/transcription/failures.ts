import { RecflowError } from '../../domain/errors.js'
import { HttpUnreachableError, retryAfterMs, type HttpAnswer } from '../../platform/http.js'
import { ProviderError } from '../types.js'

/*
 * HTTP answers and network failures -> ProviderError (DESIGN.md §4). Error bodies come in several shapes
 * (API-CONTRACTS.md §D.4, §F): OpenAI's {error:{message,...}}, whisper.cpp's {error:"..."}, FastAPI's
 * {detail:"..."} or {detail:[{msg}]}, or plain text. The API key never appears in a message: some services echo
 * (part of) it back.
 */

export interface FailureContext {
  /** 'fireworks', 'fireworks-batch', 'openai' */
  provider: string
  /** The service in words for messages: "Fireworks", "the transcription service at http://..." */
  service: string
  apiKey: string
  credentialId?: number
}

/** 429 that means "out of credit" (OpenAI's insufficient_quota) is a quota failure, never retried. */
export function isQuotaAnswer(answer: HttpAnswer): boolean {
  return answer.status === 402 || /insufficient[_ ](quota|balance|credit)|exceeded your current quota|out of credits?/i.test(answer.text)
}

/** The retry rule for these services: 408/429/5xx, except a 429 that says the balance is gone. */
export const retryableAnswer = (answer: HttpAnswer): boolean =>
  (answer.status === 408 || answer.status === 429 || answer.status >= 500) && !isQuotaAnswer(answer)

export function errorMessageOf(text: string): string {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return text.trim().slice(0, 300) || 'no details'
  }
  const rec = (v: unknown) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined)
  const body = rec(value)
  const error = body?.error
  if (typeof error === 'string') return error
  const nested = rec(error)
  if (typeof nested?.message === 'string') return nested.message
  const detail = body?.detail
  if (typeof detail === 'string') return detail
  if (Array.isArray(detail)) {
    const msgs = detail.map((d) => rec(d)?.msg).filter((m): m is string => typeof m === 'string')
    if (msgs.length > 0) return msgs.join('; ')
  }
  if (typeof body?.message === 'string') return body.message
  return text.trim().slice(0, 300) || 'no details'
}

export function redactKey(message: string, apiKey: string): string {
  return apiKey.length >= 4 ? message.split(apiKey).join('***') : message
}

export function credentialsHint(credentialId: number | undefined): string {
  return credentialId === undefined ? 'run `recflow credentials list`, then `recflow credentials test ID`' : `run \`recflow credentials test ${credentialId}\``
}

/** The failure an unsuccessful final answer stands for. */
export function answerFailure(ctx: FailureContext, answer: HttpAnswer, what = 'transcription'): ProviderError {
  const detail = redactKey(errorMessageOf(answer.text), ctx.apiKey)
  const status = answer.status
  const tries = retryableAnswer(answer) ? ' after its retries' : ''
  if (status === 401 || status === 403) {
    return new ProviderError(ctx.provider, 'auth', `${ctx.service} refused the API key (${status}: ${detail})`, { hint: credentialsHint(ctx.credentialId) })
  }
  if (isQuotaAnswer(answer)) {
    return new ProviderError(ctx.provider, 'quota', `${ctx.service}: insufficient balance or quota (${status}: ${detail})`, {
      hint: `add credit to the account, then \`recflow recordings run ID --force TRANSCRIBE\``,
    })
  }
  if (status === 429) {
    return new ProviderError(ctx.provider, 'rate_limited', `${ctx.service} kept answering 429 (rate limited)${tries}: ${detail}`, {
      retryAfterMs: retryAfterMs(answer.headers.get('retry-after'), Date.now()),
    })
  }
  if (status >= 500 || status === 408) return new ProviderError(ctx.provider, 'transient', `${ctx.service} failed${tries} (${status}: ${detail})`)
  if (status === 404) return new ProviderError(ctx.provider, 'not_found', `${ctx.service}: ${what} endpoint or model not found (404: ${detail})`)
  if (status === 413) return new ProviderError(ctx.provider, 'permanent', `${ctx.service} refused the audio as too large (413: ${detail})`)
  return new ProviderError(ctx.provider, 'permanent', `${ctx.service} refused the ${what} request (${status}: ${detail})`)
}

/** A failure without an answer: aborted (-> cancelled, as platform/http throws it), or the network (-> transient). */
export function thrownFailure(ctx: FailureContext, e: unknown, signal: AbortSignal | undefined): Error {
  if (e instanceof ProviderError || e instanceof RecflowError) return e
  if (signal?.aborted) return new RecflowError('cancelled', `${ctx.service}: transcription was cancelled`, { cause: signal.reason })
  if (e instanceof HttpUnreachableError) return new ProviderError(ctx.provider, 'transient', `${ctx.service} is unreachable: ${e.message}`, { cause: e })
  return new ProviderError(ctx.provider, 'permanent', `${ctx.service}: ${redactKey(e instanceof Error ? e.message : String(e), ctx.apiKey)}`, { cause: e })
}
