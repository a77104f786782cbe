import { nextPacificMidnight } from '../../domain/publish/quota-reset.js'
import { ProviderError } from '../types.js'
import type { YoutubeAnswer } from './youtube-http.js'

/*
 * YouTube's error bodies (API-CONTRACTS.md §B.9: `{"error":{"code","message","errors":[{reason,domain,message}]}}`,
 * keyed on errors[0].reason) mapped to ProviderErrors. Quota (403 quotaExceeded, 400 uploadLimitExceeded) waits
 * until the next midnight Pacific; rate limits and 5xx are retryable; other 4xx are permanent with the reason.
 */

export const YOUTUBE_AUTH_HINT = 'run `recflow auth youtube` to sign in again (`recflow auth status` shows the credentials)'
export const YOUTUBE_RETRY_HINT = 'run `recflow run` again later (it resumes where this upload stopped)'

export interface YoutubeErrorInfo {
  reason: string | undefined
  message: string | undefined
}

export function errorInfo(answer: YoutubeAnswer): YoutubeErrorInfo {
  try {
    const body = JSON.parse(answer.text) as { error?: { message?: string; errors?: Array<{ reason?: string; message?: string }> } }
    return { reason: body.error?.errors?.[0]?.reason, message: body.error?.message ?? body.error?.errors?.[0]?.message }
  } catch {
    return { reason: undefined, message: undefined }
  }
}

const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'uploadRateLimitExceeded'])

/** 5xx, 429 and the rate-limit reasons: try again after a backoff. */
export function isRetryable(answer: YoutubeAnswer): boolean {
  if (answer.status >= 500 || answer.status === 429) return true
  return answer.status === 403 && RATE_REASONS.has(errorInfo(answer).reason ?? '')
}

export function isQuota(answer: YoutubeAnswer): boolean {
  const reason = errorInfo(answer).reason
  return (answer.status === 403 && reason === 'quotaExceeded') || (answer.status === 400 && reason === 'uploadLimitExceeded')
}

/** The ProviderError for an answer that is neither success nor retryable (or whose retries ran out). */
export function answerFailure(answer: YoutubeAnswer, what: string, now: Date): ProviderError {
  const { reason, message } = errorInfo(answer)
  const detail = `${what}: HTTP ${answer.status}${reason ? ` ${reason}` : ''}${message ? `: ${message}` : ''}`
  if (isQuota(answer)) {
    const reset = nextPacificMidnight(now)
    const which = reason === 'uploadLimitExceeded' ? 'the channel’s daily upload limit is reached' : 'the API quota is exhausted'
    return new ProviderError('youtube', 'quota', `YouTube ${which} until ${reset.toISOString()} (midnight Pacific) — ${detail}`, {
      retryAfterMs: Math.max(0, reset.getTime() - now.getTime()),
      hint: `wait until ${reset.toISOString()} and run \`recflow run\` again`,
    })
  }
  if (answer.status === 401 || reason === 'insufficientPermissions') {
    return new ProviderError('youtube', 'auth', `YouTube refused the sign-in — ${detail}`, { hint: YOUTUBE_AUTH_HINT })
  }
  if (isRetryable(answer)) {
    const kind = answer.status >= 500 ? 'transient' : 'rate_limited'
    return new ProviderError('youtube', kind, `YouTube kept failing — ${detail}`, { hint: YOUTUBE_RETRY_HINT })
  }
  if (answer.status === 404) return new ProviderError('youtube', 'not_found', `YouTube: ${detail}`)
  return new ProviderError('youtube', 'permanent', `YouTube rejected the request — ${detail}`, {
    hint: 'fix the preset (`recflow presets edit`) and run `recflow run` again',
  })
}
