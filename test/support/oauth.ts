import type { App } from '../../src/app.js'
import type { OAuthGrant } from '../../src/domain/credentials/oauth.js'
import type { OAuthPlatform } from '../../src/providers/types.js'

export interface SeedOAuthInput {
  platform: OAuthPlatform
  accessToken: string
  refreshToken: string | null
  /** null: the token never expires. */
  expiresAt: Date | null
  clientId: string
  clientSecret: string | null
  accountName: string
  /** Default: authorization_code. */
  grant?: OAuthGrant
  scopes?: string[]
  /** Zoom S2S (grant account_credentials). */
  accountId?: string
  /** Provider-specific values kept with the tokens (VK ID's device_id). */
  extra?: Record<string, string>
}

/**
 * Stores an OAuth credential for the app's local user through the real storage code (the auth service: tokens and
 * client in the test home's encrypted-file secret store, the reference row in user_credentials), as a sign-in would,
 * and returns its id. Tokens are whatever the test's fake issued (or will accept).
 */
export async function seedOAuthCredential(app: App, input: SeedOAuthInput): Promise<number> {
  const auth = await app.service('auth')
  const view = await auth.saveCredential(app.localUser, {
    platform: input.platform,
    account: input.accountName,
    grant: input.grant ?? 'authorization_code',
    tokens: { accessToken: input.accessToken, refreshToken: input.refreshToken, expiresAt: input.expiresAt, scopes: input.scopes ?? [], extra: input.extra },
    client: { clientId: input.clientId, clientSecret: input.clientSecret },
    accountId: input.accountId,
  })
  return view.id
}
