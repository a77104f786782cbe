import { describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { backoffDelay, decideAfterFailure, transientInfo } from '../../../src/jobs/retry-policy.js'
import { ProviderError } from '../../../src/providers/types.js'

const noJitter = { random: () => 0 }

describe('backoffDelay', () => {
  it('starts at 2 s and doubles with every retry', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, noJitter))).toEqual([2000, 4000, 8000, 16000])
  })

  it('never exceeds the 10 minute cap, however many retries', () => {
    expect(backoffDelay(30, noJitter)).toBe(600_000)
    expect(backoffDelay(30, { random: () => 0.999 })).toBe(600_000)
  })

  it('adds at most 25 % jitter, so retries spread out but keep growing', () => {
    const high = { random: () => 0.999 }
    expect(backoffDelay(1, high)).toBeGreaterThan(2000)
    expect(backoffDelay(1, high)).toBeLessThanOrEqual(2500)
    expect(backoffDelay(2, noJitter)).toBeGreaterThan(backoffDelay(1, high))
  })

  it('takes the base, factor and cap from options', () => {
    expect([1, 2, 3].map((n) => backoffDelay(n, { baseMs: 10, factor: 3, capMs: 50, jitter: 0 }))).toEqual([10, 30, 50])
  })
})

describe('transientInfo', () => {
  it('treats a provider RecflowError as transient', () => {
    expect(transientInfo(new RecflowError('provider', 'HTTP 503'))).toEqual({ transient: true })
  })

  it('treats other RecflowErrors and plain errors as permanent', () => {
    expect(transientInfo(new RecflowError('validation', 'bad'))).toEqual({ transient: false })
    expect(transientInfo(new Error('boom'))).toEqual({ transient: false })
    expect(transientInfo('a string')).toEqual({ transient: false })
  })

  it('honours an explicit flag in the details, either way', () => {
    expect(transientInfo(new RecflowError('internal', 'disk busy', { details: { transient: true } })).transient).toBe(true)
    expect(transientInfo(new RecflowError('provider', 'bad request', { details: { transient: false } })).transient).toBe(false)
  })

  it('reads ProviderError-like kinds and their Retry-After', () => {
    expect(transientInfo({ kind: 'rate_limited', retryAfterMs: 30_000, message: '429' })).toEqual({ transient: true, retryAfterMs: 30_000 })
    expect(transientInfo({ kind: 'transient' })).toEqual({ transient: true })
    expect(transientInfo(new RecflowError('provider', 'expired token', { details: { kind: 'auth' } })).transient).toBe(false)
    expect(transientInfo({ kind: 'quota' }).transient).toBe(false)
  })

  it('reads the providers\' own ProviderError', () => {
    expect(transientInfo(new ProviderError('zoom', 'rate_limited', '429', { retryAfterMs: 5000 }))).toEqual({ transient: true, retryAfterMs: 5000 })
    expect(transientInfo(new ProviderError('fireworks', 'transient', 'connection reset'))).toEqual({ transient: true })
    expect(transientInfo(new ProviderError('youtube', 'permanent', 'video rejected')).transient).toBe(false)
  })
})

describe('decideAfterFailure', () => {
  const attempt = (attempts: number, maxAttempts = 3) => ({ attempts, maxAttempts })

  it('retries a transient failure while attempts remain', () => {
    expect(decideAfterFailure(new RecflowError('provider', '503'), attempt(1), noJitter)).toEqual({ action: 'retry', delayMs: 2000 })
    expect(decideAfterFailure(new RecflowError('provider', '503'), attempt(2), noJitter)).toEqual({ action: 'retry', delayMs: 4000 })
  })

  it('fails a transient failure on the last attempt, and says it was transient', () => {
    expect(decideAfterFailure(new RecflowError('provider', '503'), attempt(3))).toEqual({ action: 'fail', transient: true })
  })

  it('fails a permanent failure at once, whatever attempts remain', () => {
    expect(decideAfterFailure(new RecflowError('auth', 'revoked'), attempt(1, 10))).toEqual({ action: 'fail', transient: false })
  })

  it('waits at least as long as the provider asked', () => {
    expect(decideAfterFailure({ kind: 'rate_limited', retryAfterMs: 90_000 }, attempt(1), noJitter)).toEqual({ action: 'retry', delayMs: 90_000 })
    expect(decideAfterFailure({ kind: 'rate_limited', retryAfterMs: 500 }, attempt(2), noJitter)).toEqual({ action: 'retry', delayMs: 4000 })
  })

  it('records a cancelled error as a cancellation, not a failure', () => {
    expect(decideAfterFailure(new RecflowError('cancelled', 'stopped'), attempt(1))).toEqual({ action: 'cancel' })
  })
})
