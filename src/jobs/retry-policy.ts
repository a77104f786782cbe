import { isRecflowError } from '../domain/errors.js'

/*
 * What the worker does after a handler throws: retry later (transient failures, with exponential backoff),
 * fail at once (everything else), or record a cancellation. Pure, so the rules are unit-tested directly.
 */

export interface BackoffOptions {
  /** Delay before the first retry; default 2 s. */
  baseMs?: number
  /** Growth per attempt; default 2. */
  factor?: number
  /** Upper bound of the computed delay; default 10 min. A provider's Retry-After is honoured even above it. */
  capMs?: number
  /** Up to this fraction is added at random, so a burst of failures does not retry in lockstep; default 0.25. */
  jitter?: number
  /** [0, 1); injectable for tests. */
  random?: () => number
}

export const DEFAULT_BACKOFF = { baseMs: 2_000, factor: 2, capMs: 10 * 60_000, jitter: 0.25 } as const

/** Delay before retry number `retry` (1 = the first retry). */
export function backoffDelay(retry: number, opts: BackoffOptions = {}): number {
  const base = opts.baseMs ?? DEFAULT_BACKOFF.baseMs
  const factor = opts.factor ?? DEFAULT_BACKOFF.factor
  const cap = opts.capMs ?? DEFAULT_BACKOFF.capMs
  const jitter = opts.jitter ?? DEFAULT_BACKOFF.jitter
  const random = opts.random ?? Math.random
  const exponential = base * factor ** Math.max(0, retry - 1)
  return Math.round(Math.min(cap, exponential * (1 + jitter * random())))
}

export interface TransientInfo {
  transient: boolean
  /** The provider's own wait (Retry-After), when it gave one. */
  retryAfterMs?: number
}

const TRANSIENT_KINDS = new Set(['transient', 'rate_limited'])
const PERMANENT_KINDS = new Set(['auth', 'quota', 'not_found', 'permanent'])

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined

/**
 * An explicit flag wins (a ProviderError-like `kind`, or `transient: true|false`, on the error or its details);
 * otherwise a RecflowError with code `provider` counts as transient and anything else as permanent.
 */
export function transientInfo(error: unknown): TransientInfo {
  const candidates = [asRecord(error), asRecord(asRecord(error)?.details)]
  for (const c of candidates) {
    if (c === undefined) continue
    const retryAfterMs = typeof c.retryAfterMs === 'number' && Number.isFinite(c.retryAfterMs) && c.retryAfterMs > 0 ? c.retryAfterMs : undefined
    const kind = typeof c.kind === 'string' ? c.kind : undefined
    if (c.transient === true || (kind !== undefined && TRANSIENT_KINDS.has(kind))) {
      return retryAfterMs === undefined ? { transient: true } : { transient: true, retryAfterMs }
    }
    if (c.transient === false || (kind !== undefined && PERMANENT_KINDS.has(kind))) return { transient: false }
  }
  return { transient: isRecflowError(error) && error.code === 'provider' }
}

export type FailureDecision =
  | { action: 'retry'; delayMs: number }
  | { action: 'fail'; transient: boolean }
  | { action: 'cancel' }

export function decideAfterFailure(
  error: unknown,
  attempt: { attempts: number; maxAttempts: number },
  backoff: BackoffOptions = {},
): FailureDecision {
  if (isRecflowError(error) && error.code === 'cancelled') return { action: 'cancel' }
  const info = transientInfo(error)
  if (!info.transient) return { action: 'fail', transient: false }
  if (attempt.attempts >= attempt.maxAttempts) return { action: 'fail', transient: true }
  const delayMs = Math.max(backoffDelay(attempt.attempts, backoff), info.retryAfterMs ?? 0)
  return { action: 'retry', delayMs }
}
