import { describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { parseStoredError, taskFailure, toStoredError } from '../../../src/jobs/task-error.js'
import { ProviderError } from '../../../src/providers/types.js'

describe('toStoredError', () => {
  it('keeps a RecflowError\'s code, message, hint and details', () => {
    const e = new RecflowError('auth', 'YouTube token revoked', { hint: 'run `recflow auth youtube`', details: { platform: 'youtube' } })
    expect(toStoredError(e, false)).toEqual({
      code: 'auth',
      message: 'YouTube token revoked',
      hint: 'run `recflow auth youtube`',
      details: { platform: 'youtube' },
      transient: false,
    })
  })

  it('stores an unknown error as internal, without its stack', () => {
    const stored = toStoredError(new TypeError('x is undefined'))
    expect(stored).toEqual({ code: 'internal', message: 'x is undefined' })
  })

  it('maps a ProviderError-like kind to its error code', () => {
    expect(toStoredError({ kind: 'rate_limited', retryAfterMs: 1000, provider: 'zoom', message: '429' })).toMatchObject({
      code: 'provider',
      details: { kind: 'rate_limited', retryAfterMs: 1000, provider: 'zoom' },
    })
    expect(toStoredError({ kind: 'auth' }).code).toBe('auth')
    expect(toStoredError(new ProviderError('youtube', 'auth', 'token revoked'))).toMatchObject({
      code: 'auth',
      message: 'token revoked',
      details: { kind: 'auth', provider: 'youtube' },
    })
  })

  it('drops details that cannot be JSON instead of failing to record the error', () => {
    const circular: Record<string, unknown> = {}
    circular.self = circular
    expect(toStoredError(new RecflowError('provider', 'odd', { details: circular }))).toEqual({ code: 'provider', message: 'odd' })
  })
})

describe('taskFailure', () => {
  it('turns a failed task into an error with the stored code, for the exit code', () => {
    const e = taskFailure({ id: 7, state: 'failed', error: { code: 'provider', message: 'HTTP 503', transient: true } })
    expect(e).toMatchObject({ code: 'provider', message: 'task 7 failed: HTTP 503' })
    expect(e.hint).toContain('recflow tasks show 7')
  })

  it('turns a cancelled task into a cancelled error', () => {
    expect(taskFailure({ id: 8, state: 'cancelled', error: null })).toMatchObject({ code: 'cancelled' })
  })

  it('reads a stored error with an unknown code as internal', () => {
    expect(parseStoredError({ code: 'exploded', message: 'hm' })).toEqual({ code: 'internal', message: 'hm' })
    expect(taskFailure({ id: 9, state: 'failed', error: null }).code).toBe('internal')
  })
})
