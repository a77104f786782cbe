import { resolveServiceUrls } from '../../../src/platform/config.js'
import { systemClock } from '../../../src/platform/clock.js'
import { silentLogger } from '../../../src/platform/logger.js'
import type { ProviderEnv } from '../../../src/providers/types.js'

/** The provider env the app would build from these RECFLOW_*_URL variables (nothing else set). */
export function providerEnv(vars: Record<string, string> = {}): ProviderEnv {
  return { urls: resolveServiceUrls(vars), logger: silentLogger, clock: systemClock }
}

/** Waits a test shortens: backoff from 20 ms; Retry-After honoured up to 1.5 s. */
export const FAST_RETRY = { retry: { baseDelayMs: 20, maxDelayMs: 1500, maxAttempts: 4 } }
