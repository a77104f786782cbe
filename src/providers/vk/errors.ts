import { ProviderError } from '../types.js'

/*
 * VK API errors (HTTP 200 with {error:{error_code,error_msg}}, API-CONTRACTS.md §C.3, §C.7) as ProviderErrors the
 * targets service understands. 5 (after one forced token refresh) and 6 (after backoff) are handled by the caller
 * first; what reaches here is final.
 */

export const VK_AUTH_HINT = 'run `recflow auth vk` to sign in to VK again (with the video and groups scopes)'
export const VK_RETRY_HINT = 'run `recflow run` again later (the upload resumes where it stopped)'

export interface VkApiError {
  error_code: number
  error_msg?: string
}

export interface VkCallContext {
  method: string
  /** The community the video goes to (video.save group_id), for access-denied messages. */
  groupId?: string
  credentialId: number
}

/** A VK API error, with VK's code for the callers that treat one specially (800 "already added"). */
export class VkProviderError extends ProviderError {
  readonly vkCode: number
  constructor(vkCode: number, ...args: ConstructorParameters<typeof ProviderError>) {
    super(...args)
    this.vkCode = vkCode
  }
}

/** Error 9 (flood control): VK does not say for how long; a minute is what clients commonly wait. */
export const FLOOD_WAIT_MS = 60_000

export function vkFailure(err: VkApiError, ctx: VkCallContext, nowMs: number): VkProviderError {
  const code = err.error_code
  const detail = `VK ${ctx.method} failed: error ${code}${err.error_msg ? ` (${err.error_msg})` : ''}`
  switch (code) {
    case 5:
      return new VkProviderError(code, 'vk', 'auth', `VK refused the access token of credential ${ctx.credentialId}: ${detail}`, { hint: VK_AUTH_HINT })
    case 7:
      return new VkProviderError(code, 'vk', 'auth', `${detail}: the sign-in lacks a permission (the video and groups scopes are needed)`, { hint: VK_AUTH_HINT })
    case 6:
      return new VkProviderError(code, 'vk', 'rate_limited', `${detail}: too many requests a second`, { retryAfterMs: 1000, hint: VK_RETRY_HINT })
    case 9:
      return new VkProviderError(code, 'vk', 'rate_limited', `${detail}: VK's flood control; wait a minute before uploading again`, {
        retryAfterMs: FLOOD_WAIT_MS,
        hint: VK_RETRY_HINT,
      })
    case 29: {
      const wait = msToNextMoscowMidnight(nowMs)
      return new VkProviderError(code, 'vk', 'quota', `${detail}: the daily limit of ${ctx.method} is reached; VK resets it at ${new Date(nowMs + wait).toISOString()} (UNCONFIRMED: midnight Moscow time)`, {
        retryAfterMs: wait,
        hint: VK_RETRY_HINT,
      })
    }
    case 14:
      return new VkProviderError(code, 'vk', 'permanent', `VK asks for a captcha (${ctx.method}); recflow cannot solve one: try again later`, { hint: VK_RETRY_HINT })
    case 17:
      return new VkProviderError(code, 'vk', 'permanent', `${detail}: VK wants the account validated in a browser first`, { hint: VK_AUTH_HINT })
    case 15:
    case 204: {
      const where = ctx.groupId ? `community ${ctx.groupId} (club${ctx.groupId})` : 'your own videos'
      const right = ctx.groupId
        ? `the signed-in VK user must be an administrator or editor of community ${ctx.groupId}, and the sign-in must grant the video and groups scopes`
        : 'the sign-in must grant the video scope'
      return new VkProviderError(code, 'vk', 'permanent', `VK denied access to ${where} (${ctx.method}, error ${code}): ${right}`, { hint: VK_AUTH_HINT })
    }
    case 10:
      return new VkProviderError(code, 'vk', 'transient', `${detail}: VK's internal error`, { hint: VK_RETRY_HINT })
    default:
      return new VkProviderError(code, 'vk', 'permanent', detail, { hint: VK_RETRY_HINT })
  }
}

/** Per-method daily caps (error 29) reset once a day; the hour is UNCONFIRMED, midnight Moscow (UTC+3) is assumed. */
export function msToNextMoscowMidnight(nowMs: number): number {
  const msk = nowMs + 3 * 3600_000
  const day = 86_400_000
  return day - (msk % day)
}
