import type { App } from '../../src/app.js'
import { forUser } from '../../src/db/index.js'
import { openSecretStore } from '../../src/platform/secrets.js'

/**
 * A Zoom OAuth credential for the app's local user, stored the way the shared contract says (PLAN-9: a reference
 * row `{secret, grant, scopes, expires_at}`, the token pair in the secret store). TEMPORARY: becomes a call of the
 * oauth helper's seedOAuthCredential once that is merged.
 */
export async function seedZoomCredential(app: App, accessToken: string, accountName = 'lecturer@example.edu'): Promise<number> {
  const store = await openSecretStore({ preference: 'file', configDir: app.env.configDir, platform: app.env.platform })
  const secret = `oauth/${app.localUser.id}/zoom-${Date.now()}-${Math.random().toString(36).slice(2)}`
  await store.set(secret, JSON.stringify({ client_id: 'cid', client_secret: 'csecret', access_token: accessToken, refresh_token: 'rt', expires_at: null }))
  const row = await forUser(app.database.db, app.localUser.id).credentials.create({
    platform: 'zoom',
    account_name: accountName,
    encrypted_data: JSON.stringify({ secret, grant: 'authorization_code', scopes: ['recording:read'], expires_at: null }),
    key_id: store.kind,
  })
  return row.id
}
