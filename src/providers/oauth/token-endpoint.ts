import { RecflowError } from '../../domain/errors.js'
import { HttpUnreachableError, requestWithRetry, type HttpAnswer } from '../../platform/http.js'
import { ProviderError, type OAuthTokens, type ProviderEnv } from '../types.js'

/*
 * What the OAuth providers (google.ts, vk.ts, zoom.ts) share: a form POST to a token endpoint with the shared retry
 * rule (429/5xx/dropped connections, Retry-After), the RFC 6749 token response read into OAuthTokens, and the
 * error body read for its code. No message ever holds a token, a code or a client secret.
 */

export interface TokenRequest {
  /** 'google', 'vk', 'zoom': names the provider in errors. */
  provider: string
  url: string
  params: Record<string, string | undefined>
  /** HTTP Basic client authentication (Zoom), instead of client_id/client_secret in the body. */
  basic?: { clientId: string; clientSecret: string }
  signal?: AbortSignal
  /** Tests shorten the waits. */
  maxAttempts?: number
}

/** Sends the form; returns any HTTP answer (the caller reads errors), or throws ProviderError 'transient' when unreachable. */
export async function postTokenForm(env: ProviderEnv, req: TokenRequest): Promise<HttpAnswer> {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(req.params)) if (v !== undefined) body.set(k, v)
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
  if (req.basic) headers.authorization = `Basic ${Buffer.from(`${req.basic.clientId}:${req.basic.clientSecret}`).toString('base64')}`
  try {
    return await requestWithRetry(req.url, () => ({ method: 'POST', headers, body: body.toString() }), {
      signal: req.signal,
      maxAttempts: req.maxAttempts ?? 4,
      onRetry: ({ attempt, delayMs, reason }) => env.logger.debug(`${req.provider} token endpoint: ${reason}, retrying in ${delayMs} ms`, { attempt }),
    })
  } catch (e) {
    throw unreachable(req.provider, req.url, e)
  }
}

export function unreachable(provider: string, url: string, e: unknown): Error {
  if (e instanceof RecflowError) return e // cancelled
  const detail = e instanceof HttpUnreachableError ? e.message : String((e as Error)?.message ?? e)
  return new ProviderError(provider, 'transient', `${new URL(url).host} cannot be reached: ${detail}`, {
    hint: 'check the network, then try again',
    cause: e,
  })
}

export interface OAuthErrorBody {
  /** RFC 6749 `error` (invalid_grant, invalid_client, access_denied, ...). */
  error?: string
  /** `error_description`, or Zoom's `reason`. */
  description?: string
}

export function oauthErrorOf(text: string): OAuthErrorBody {
  try {
    const body = JSON.parse(text) as Record<string, unknown>
    const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined)
    const nested = body.error !== null && typeof body.error === 'object' ? (body.error as Record<string, unknown>) : undefined
    return {
      error: str(body.error) ?? str(nested?.status) ?? str(nested?.code),
      description: str(body.error_description) ?? str(body.reason) ?? str(nested?.message) ?? str(body.message),
    }
  } catch {
    return { description: text.trim().slice(0, 200) || undefined }
  }
}

/**
 * A successful token response read into OAuthTokens: `access_token` required; `refresh_token` when present;
 * `expires_in` seconds from `now`; `scope` split on spaces or commas (else `requested`).
 */
export function tokensFromResponse(provider: string, text: string, now: Date, requested: string[]): OAuthTokens {
  let body: Record<string, unknown>
  try {
    body = JSON.parse(text) as Record<string, unknown>
  } catch {
    throw new ProviderError(provider, 'permanent', `the ${provider} token endpoint answered something that is not JSON`)
  }
  const accessToken = body.access_token
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new ProviderError(provider, 'permanent', `the ${provider} token endpoint answered without an access token`)
  }
  const refresh = typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : null
  const expiresIn = Number(body.expires_in)
  const scope = typeof body.scope === 'string' ? body.scope.split(/[\s,]+/).filter(Boolean) : []
  return {
    accessToken,
    refreshToken: refresh,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(now.getTime() + expiresIn * 1000) : null,
    scopes: scope.length > 0 ? scope : requested,
  }
}
