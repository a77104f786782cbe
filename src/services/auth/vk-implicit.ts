import { RecflowError } from '../../domain/errors.js'
import { ProviderError } from '../../providers/types.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { saveOAuthCredential } from '../credentials/oauth-secrets.js'
import { DEFAULT_SIGN_IN_TIMEOUT_MS, type SignInIo } from './browser-sign-in.js'
import { newState } from './pkce.js'

/*
 * `recflow auth vk --implicit`: the legacy implicit flow (API-CONTRACTS.md §C.2). There is no loopback server: VK
 * ends on https://oauth.vk.com/blank.html with the token in the address's fragment, which only the user can copy.
 * The URL is announced (and the browser opened unless --no-browser), the address pasted on stdin is checked
 * against this sign-in's single-use state, the user is looked up, and the token stored (grant implicit, no refresh
 * token: when it expires the credential needs a new sign-in; with `offline` it does not expire).
 */

export const VK_IMPLICIT_COMMAND = 'recflow auth vk --implicit'

export interface VkImplicitInput {
  appId: string
  name?: string
  timeoutMs?: number
}

export async function vkImplicitSignIn(deps: ServiceDeps, user: UserRef, input: VkImplicitInput, io: SignInIo & { pasted: () => Promise<string | undefined> }) {
  const provider = await deps.oauth.vk()
  if (!provider.implicitUrl || !provider.implicitTokens) throw new RecflowError('internal', 'the VK provider has no implicit flow')
  const state = newState()
  const scopes: string[] = []
  const url = provider.implicitUrl({ clientId: input.appId, state, scopes })
  io.announce(url)
  if (io.openBrowser) {
    void io.openBrowser(url).then((opened) => {
      if (!opened) io.notice?.('No browser could be opened: open the URL above yourself.')
    })
  }
  const timeoutMs = input.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RecflowError('auth', `no address was pasted within ${Math.round(timeoutMs / 1000)} s; nothing was stored`, { hint: `run \`${VK_IMPLICIT_COMMAND}\` again (--timeout gives more time)` })),
      timeoutMs,
    )
  })
  const cancelled = new Promise<never>((_, reject) => {
    const onAbort = () => reject(new RecflowError('cancelled', 'sign-in cancelled; nothing was stored'))
    if (io.signal?.aborted) onAbort()
    io.signal?.addEventListener('abort', onAbort, { once: true })
  })
  let pasted: string | undefined
  try {
    pasted = await Promise.race([io.pasted(), timedOut, cancelled])
  } finally {
    clearTimeout(timer)
  }
  if (pasted === undefined || pasted.trim() === '') {
    throw new RecflowError('usage', 'no address was pasted (the input ended); nothing was stored', {
      hint: `run \`${VK_IMPLICIT_COMMAND}\`, allow access, then paste the address of the page VK shows (https://oauth.vk.com/blank.html#access_token=...)`,
    })
  }
  const tokens = provider.implicitTokens(pasted, state, scopes)
  let account: string
  try {
    account = await provider.accountName(tokens.accessToken, { signal: io.signal, extra: tokens.extra })
  } catch (e) {
    if (!(e instanceof ProviderError)) throw e
    throw new RecflowError(e.kind === 'auth' ? 'auth' : 'provider', `${e.message}; nothing was stored`, { hint: `run \`${VK_IMPLICIT_COMMAND}\` again`, cause: e })
  }
  const client = { clientId: input.appId, clientSecret: null }
  return saveOAuthCredential(deps, user, { platform: 'vk', account, name: input.name, grant: 'implicit', tokens, client })
}
