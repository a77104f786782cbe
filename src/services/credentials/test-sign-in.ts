import type { Credential } from '../../db/index.js'
import { signInCommand, type OAuthPlatformName } from '../../domain/credentials/oauth.js'
import { RecflowError } from '../../domain/errors.js'
import { ProviderError } from '../../providers/types.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { accessToken } from './oauth-tokens.js'
import { readOAuthSecret } from './oauth-secrets.js'

/**
 * `recflow credentials test` on a sign-in (YouTube, VK, Zoom): one cheap authenticated call, the one sign-in made
 * to name the account. The access token is refreshed first when it is about to expire (and saved, as any use
 * would); a 401 gets one forced refresh. A refused grant marks the credential needs_reauth and exits 4 with the
 * sign-in command; a service that cannot be reached exits 5.
 */
export async function testSignIn(
  deps: ServiceDeps,
  user: UserRef,
  row: Credential,
  platform: OAuthPlatformName,
  control: { signal?: AbortSignal },
): Promise<{ id: number; kind: string; name: string; ok: true; detail: string }> {
  const again = signInCommand(platform, (await readOAuthSecret(deps, row)).reference.grant)
  const provider = await deps.oauth[platform]()
  const ask = async (forceRefresh: boolean) => {
    const token = await accessToken(deps, user, row.id, platform, { forceRefresh, signal: control.signal })
    const { secret } = await readOAuthSecret(deps, row)
    return provider.accountName(token, { signal: control.signal, extra: secret.extra })
  }
  try {
    let account: string
    try {
      account = await ask(false)
    } catch (e) {
      if (!(e instanceof ProviderError && e.kind === 'auth')) throw e
      account = await ask(true)
    }
    return { id: row.id, kind: platform, name: row.account_name, ok: true, detail: `signed in as ${account}` }
  } catch (e) {
    if (!(e instanceof ProviderError)) throw e
    if (e.kind === 'auth') {
      throw new RecflowError('auth', `the ${platform} sign-in of credential ${row.id} was refused: ${e.message}`, {
        hint: `sign in again with \`${again}\``,
        details: { id: row.id, kind: platform, result: 'refused' },
        cause: e,
      })
    }
    const unreachable = e.kind === 'transient' || e.kind === 'rate_limited'
    const what = unreachable ? `${platform} cannot be reached to check credential ${row.id}` : `the check of ${platform} credential ${row.id} failed`
    throw new RecflowError('provider', `${what}: ${e.message}`, {
      hint: unreachable ? 'check the network (or the RECFLOW_*_URL variable), then try again' : 'try again later',
      details: { id: row.id, kind: platform, result: unreachable ? 'unreachable' : e.kind },
      cause: e,
    })
  }
}
