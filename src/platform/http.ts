import { RecflowError } from '../domain/errors.js'

/*
 * HTTP for the provider clients: one request with bounded retries. 429 and 5xx answers and dropped connections
 * are retried, waiting what the server's Retry-After says (seconds or an HTTP date, capped), else an exponential
 * backoff; the caller's AbortSignal ends the wait and the request at once. What the final answer means (auth,
 * quota, a bad request) is the provider's business: this returns it, it never interprets a body.
 */

export interface HttpAnswer {
  status: number
  headers: Headers
  /** The whole body as text (bodies here are JSON documents, small). */
  text: string
}

export interface RetryOptions {
  signal?: AbortSignal
  /** Tries in all, the first included; default 5. */
  maxAttempts?: number
  /** First backoff delay (doubles per retry, +25 % jitter): 0.5, 1, 2, 4 s by default. */
  baseDelayMs?: number
  /** Longest wait, for Retry-After too; default 60 s. */
  maxDelayMs?: number
  /** One attempt's own time limit (DeepSeek keeps a busy request open up to 10 min); default 11 min. */
  attemptTimeoutMs?: number
  /** Whether an answer is worth another try; default: 429 and 5xx. */
  retryable?: (answer: HttpAnswer) => boolean
  /** Told before each wait (for a debug log line). */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void
}

/** Thrown when the connection failed on every try (never for an HTTP answer, which is returned). */
export class HttpUnreachableError extends Error {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, opts)
    this.name = 'HttpUnreachableError'
  }
}

const defaultRetryable = (a: HttpAnswer) => a.status === 429 || a.status >= 500

/**
 * Sends `init()` (called per try, so a streamed or multipart body is rebuilt) to `url` until an answer that is not
 * retryable, or the tries run out (then the last answer, or HttpUnreachableError when the last try had none).
 */
export async function requestWithRetry(url: string, init: () => RequestInit, opts: RetryOptions = {}): Promise<HttpAnswer> {
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 5)
  const baseDelayMs = opts.baseDelayMs ?? 500
  const maxDelayMs = opts.maxDelayMs ?? 60_000
  const retryable = opts.retryable ?? defaultRetryable
  for (let attempt = 1; ; attempt++) {
    throwIfCancelled(opts.signal, url)
    let answer: HttpAnswer | undefined
    let failure: unknown
    try {
      answer = await requestOnce(url, init(), opts.signal, opts.attemptTimeoutMs ?? 11 * 60_000)
    } catch (e) {
      throwIfCancelled(opts.signal, url)
      failure = e
    }
    if (answer !== undefined && !retryable(answer)) return answer
    if (attempt >= maxAttempts) {
      if (answer !== undefined) return answer
      throw new HttpUnreachableError(`${new URL(url).host} unreachable after ${attempt} tries: ${describeFailure(failure)}`, { cause: failure })
    }
    const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1) * (1 + 0.25 * Math.random()))
    const told = answer === undefined ? undefined : retryAfterMs(answer.headers.get('retry-after'), Date.now())
    const delayMs = Math.round(told === undefined ? backoff : Math.min(maxDelayMs, told))
    opts.onRetry?.({ attempt, delayMs, reason: answer === undefined ? describeFailure(failure) : `HTTP ${answer.status}` })
    await sleep(delayMs, opts.signal).catch(() => throwIfCancelled(opts.signal, url))
  }
}

function throwIfCancelled(signal: AbortSignal | undefined, url: string): void {
  if (signal?.aborted) throw new RecflowError('cancelled', `the request to ${new URL(url).host} was cancelled`, { cause: signal.reason })
}

async function requestOnce(url: string, init: RequestInit, signal: AbortSignal | undefined, timeoutMs: number): Promise<HttpAnswer> {
  const timeout = AbortSignal.timeout(timeoutMs)
  const res = await fetch(url, { ...init, signal: signal ? AbortSignal.any([signal, timeout]) : timeout })
  return { status: res.status, headers: res.headers, text: await res.text() }
}

/** Retry-After as milliseconds from `now`: delta seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

function describeFailure(e: unknown): string {
  if (e instanceof Error) {
    const cause = e.cause instanceof Error ? `: ${e.cause.message}` : ''
    return `${e.message}${cause}`
  }
  return String(e)
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
