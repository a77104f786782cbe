import { RecflowError } from '../../domain/errors.js'
import { ProviderError, type ProviderEnv, type UploaderConfig } from '../types.js'
import { answerFailure, isRetryable, YOUTUBE_AUTH_HINT, YOUTUBE_RETRY_HINT } from './youtube-errors.js'
import { createTransport, NetworkError, type YoutubeAnswer, type YoutubeExchange } from './youtube-http.js'

/*
 * What every YouTube call shares: the Bearer token (asked of the getter per request, so an hour-long upload
 * picks up a refreshed one; a 401 forces one refresh and repeats the request once, then fails 'auth'), the
 * backoff between tries (a random fraction of 2^n seconds, as Google's sample does), cancellation, and
 * `call` = one request retried on 5xx, 429, rate limits and network errors, 10 tries at most.
 */

export interface YoutubeTuning {
  /** Retries after the first try (Google's sample: 10). */
  maxRetries: number
  /** The backoff unit: a retry n waits a random fraction of unit·2^n (1000 ms in production; tests use ~1). */
  retryBaseMs: number
  /** An exchange that makes no progress for this long is dropped and counted as a network error. */
  stallTimeoutMs: number
}

export const DEFAULT_TUNING: YoutubeTuning = { maxRetries: 10, retryBaseMs: 1000, stallTimeoutMs: 120_000 }

export interface YoutubeClient {
  readonly base: string
  readonly tuning: YoutubeTuning
  readonly env: ProviderEnv
  /** One exchange with the token; a 401 refreshes the token once and repeats. NetworkError when no answer came. */
  send(req: Omit<YoutubeExchange, 'headers'> & { headers?: Record<string, string> }, signal?: AbortSignal): Promise<YoutubeAnswer>
  /** `send` retried on retryable answers and network errors; returns the final answer (2xx or not). */
  call(req: Omit<YoutubeExchange, 'headers'> & { headers?: Record<string, string> }, what: string, signal?: AbortSignal): Promise<YoutubeAnswer>
  /** Waits before retry number `attempt` (1-based); throws RecflowError 'cancelled' on the signal. */
  backoff(attempt: number, signal?: AbortSignal): Promise<void>
  checkCancelled(signal?: AbortSignal): void
  close(): void
}

export function createYoutubeClient(config: UploaderConfig, env: ProviderEnv, tuning: YoutubeTuning): YoutubeClient {
  const base = env.urls.youtubeApi.replace(/\/+$/, '')
  const transport = createTransport()

  const checkCancelled = (signal?: AbortSignal) => {
    if (signal?.aborted) throw new RecflowError('cancelled', 'the YouTube upload was cancelled', { cause: signal.reason })
  }

  const token = async (forceRefresh: boolean): Promise<string> => {
    try {
      return await config.accessToken({ forceRefresh })
    } catch (e) {
      if (e instanceof ProviderError || e instanceof RecflowError) throw e
      throw new ProviderError('youtube', 'auth', `no YouTube access token for credential ${config.credentialId}: ${String(e)}`, { hint: YOUTUBE_AUTH_HINT, cause: e })
    }
  }

  const send: YoutubeClient['send'] = async (req, signal) => {
    checkCancelled(signal)
    const once = async (forceRefresh: boolean) => {
      const headers = { ...req.headers, authorization: `Bearer ${await token(forceRefresh)}` }
      try {
        return await transport.exchange({ ...req, headers }, { signal, timeoutMs: tuning.stallTimeoutMs })
      } catch (e) {
        checkCancelled(signal)
        throw e
      }
    }
    const first = await once(false)
    if (first.status !== 401) return first
    env.logger.debug('youtube: 401, refreshing the access token once')
    const second = await once(true)
    if (second.status === 401) {
      throw new ProviderError('youtube', 'auth', `YouTube refused the access token of credential ${config.credentialId} after a refresh`, { hint: YOUTUBE_AUTH_HINT })
    }
    return second
  }

  const backoff: YoutubeClient['backoff'] = async (attempt, signal) => {
    const ms = Math.round(Math.random() * tuning.retryBaseMs * 2 ** Math.min(attempt, 6))
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      signal?.addEventListener('abort', done, { once: true })
    })
    checkCancelled(signal)
  }

  const call: YoutubeClient['call'] = async (req, what, signal) => {
    for (let attempt = 1; ; attempt++) {
      let answer: YoutubeAnswer | undefined
      let failure: NetworkError | undefined
      try {
        answer = await send(req, signal)
      } catch (e) {
        if (!(e instanceof NetworkError)) throw e
        failure = e
      }
      if (answer && !isRetryable(answer)) return answer
      if (attempt > tuning.maxRetries) {
        if (answer) throw answerFailure(answer, what, env.clock.now())
        throw new ProviderError('youtube', 'transient', `YouTube unreachable (${what}): ${failure!.message}`, { hint: YOUTUBE_RETRY_HINT, cause: failure })
      }
      env.logger.debug(`youtube: ${what}: ${answer ? `HTTP ${answer.status}` : failure!.message}, retry ${attempt}`)
      await backoff(attempt, signal)
    }
  }

  return { base, tuning, env, send, call, backoff, checkCancelled, close: () => transport.close() }
}
