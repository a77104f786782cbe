import type { App } from '../../src/app.js'
import { seedOAuthCredential } from './oauth.js'

/** A Zoom user-OAuth credential of the app's local user holding `accessToken` (valid for an hour), stored for real. */
export function seedZoomCredential(app: App, accessToken: string, accountName = 'lecturer@example.edu'): Promise<number> {
  return seedOAuthCredential(app, {
    platform: 'zoom',
    accessToken,
    refreshToken: 'zoom-sync-test-refresh',
    expiresAt: new Date(Date.now() + 3_600_000),
    clientId: 'zoom-client',
    clientSecret: 'zoom-client-secret',
    accountName,
  })
}
