import type { App } from '../../src/app.js'
import type { ApiKeyKind } from '../../src/providers/types.js'

/**
 * Adds an API-key credential for the app's local user through the real credentials service (the key goes to the
 * test home's encrypted-file secret store) and returns its id. With baseUrl the credential points at a fake.
 */
export async function addApiKey(app: App, input: { kind: ApiKeyKind; apiKey: string; name?: string; baseUrl?: string }): Promise<number> {
  const credentials = await app.service('credentials')
  return (await credentials.add(app.localUser, input)).id
}
