import { RecflowError, type ErrorCode } from '../domain/errors.js'
import { ProviderError } from '../providers/types.js'

const CODE_OF_KIND: Record<ProviderError['kind'], ErrorCode> = {
  auth: 'auth',
  quota: 'quota',
  not_found: 'provider',
  rate_limited: 'provider',
  transient: 'provider',
  permanent: 'provider',
}

/**
 * A provider failure as the error the CLI shows (code, hint: a refused key or token exits 4) and the job layer
 * reads (details.kind: retry or not). Anything else is returned as is.
 */
export function providerFailure(e: unknown, opts: { suffix?: string; hint?: string } = {}): unknown {
  if (!(e instanceof ProviderError)) return e
  return new RecflowError(CODE_OF_KIND[e.kind], `${e.message}${opts.suffix ?? ''}`, {
    hint: e.hint ?? opts.hint,
    details: { kind: e.kind, provider: e.provider, retryAfterMs: e.retryAfterMs },
    cause: e,
  })
}
