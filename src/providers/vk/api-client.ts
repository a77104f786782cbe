import crypto from 'node:crypto'
import { ProviderError, type AccessTokenGetter, type ProviderEnv } from '../types.js'
import { vkFailure, VK_RETRY_HINT, type VkApiError, type VkCallContext } from './errors.js'
import type { LimiterTiming, TokenRateLimiter } from './rate-limit.js'

/*
 * One VK API method call (API-CONTRACTS.md §C.3): POST {RECFLOW_VK_API_URL}/{method} with a form body, v=5.199 and
 * the token as Bearer; the answer is HTTP 200 {response} or {error}. Every call first takes a turn from the token's
 * rate limiter (3 a second). Error 5 asks the token getter for a fresh token once; error 6 and 10 are retried with
 * backoff; 5xx answers and lost connections are retried only for calls that are safe to repeat (video.save is not: a second
 * video.save would make a second video).
 */

/** The API version every call names (API-CONTRACTS.md §C.3: VKSCHEMA 5.199); the sign-in's users.get uses the same. */
export const VK_API_VERSION = '5.199'

export interface VkApiTuning {
  timing: LimiterTiming
  limiter: TokenRateLimiter
  /** First backoff for errors 6/10, 5xx and lost connections (doubles per try). */
  backoffMs: number
  /** Tries in all for a retryable failure. */
  maxAttempts: number
}

export interface VkCallOptions {
  /** Safe to send again after a lost connection or a 5xx (reads, deletes, album placement). */
  idempotent: boolean
  signal?: AbortSignal
}

export type VkApiCall = (method: string, params: Record<string, string>, opts: VkCallOptions) => Promise<unknown>

export function vkApiClient(
  config: { accessToken: AccessTokenGetter; credentialId: number },
  env: ProviderEnv,
  tuning: VkApiTuning,
  context: Omit<VkCallContext, 'method' | 'credentialId'>,
): VkApiCall {
  const base = env.urls.vkApi.replace(/\/+$/, '')
  return async (method, params, opts) => {
    const ctx: VkCallContext = { ...context, method, credentialId: config.credentialId }
    let refreshed = false
    let forceRefresh = false
    for (let attempt = 1; ; attempt++) {
      const token = await config.accessToken({ forceRefresh })
      forceRefresh = false
      const release = await tuning.limiter.acquire(tokenKey(token), opts.signal)
      const outcome = await post(`${base}/${method}`, token, params, opts.signal).finally(release)
      const retry = async (why: string, cause?: unknown): Promise<void> => {
        if (attempt >= tuning.maxAttempts) {
          throw new ProviderError('vk', 'transient', `VK ${method}: ${why} (${attempt} tries)`, { hint: VK_RETRY_HINT, cause })
        }
        const delay = tuning.backoffMs * 2 ** (attempt - 1) * (1 + Math.random() * 0.25)
        env.logger.debug(`vk: ${method}: ${why}, try ${attempt + 1} in ${Math.round(delay)} ms`)
        await tuning.timing.sleep(delay, opts.signal)
      }
      if ('thrown' in outcome) {
        if (opts.signal?.aborted) throw opts.signal.reason
        if (!opts.idempotent) {
          throw new ProviderError('vk', 'transient', `VK ${method}: the connection failed (${describe(outcome.thrown)}); not repeated, it may have taken effect`, {
            hint: VK_RETRY_HINT,
            cause: outcome.thrown,
          })
        }
        await retry(`connection failed (${describe(outcome.thrown)})`, outcome.thrown)
        continue
      }
      if (outcome.status >= 500 || outcome.status === 429) {
        if (!opts.idempotent) throw new ProviderError('vk', 'transient', `VK ${method}: HTTP ${outcome.status}; not repeated, it may have taken effect`, { hint: VK_RETRY_HINT })
        await retry(`HTTP ${outcome.status}`)
        continue
      }
      const body = parseBody(outcome.text)
      if (body === undefined || outcome.status !== 200) {
        throw new ProviderError('vk', 'permanent', `VK ${method}: unexpected answer HTTP ${outcome.status}`, { hint: VK_RETRY_HINT })
      }
      if (body.error) {
        const code = body.error.error_code
        if (code === 5 && !refreshed) {
          refreshed = true
          forceRefresh = true
          continue
        }
        if (code === 6 || code === 10) {
          await retry(`error ${code}`)
          continue
        }
        throw vkFailure(body.error, ctx, env.clock.now().getTime())
      }
      return body.response
    }
  }
}

async function post(url: string, token: string, params: Record<string, string>, signal?: AbortSignal): Promise<{ status: number; text: string } | { thrown: unknown }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ ...params, v: VK_API_VERSION }).toString(),
      signal,
    })
    return { status: res.status, text: await res.text() }
  } catch (e) {
    return { thrown: e }
  }
}

function parseBody(text: string): { response?: unknown; error?: VkApiError } | undefined {
  try {
    const v = JSON.parse(text) as unknown
    return v !== null && typeof v === 'object' ? (v as { response?: unknown; error?: VkApiError }) : undefined
  } catch {
    return undefined
  }
}

/** The limiter's key: a digest, so the limiter never holds a token. */
function tokenKey(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex').slice(0, 16)
}

export function describe(e: unknown): string {
  const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : ''
  return e instanceof Error ? `${e.message}${cause}` : String(e)
}
