import type { App } from '../../src/app.js'
import type { ApiKeyKind } from '../../src/providers/types.js'
import { forUser, systemScope } from '../../src/db/index.js'
import { CredentialKeyring } from '../../src/platform/credential-keys.js'
import { silentLogger } from '../../src/platform/logger.js'
import { EncryptedFileStore } from '../../src/platform/secrets.js'
import type { ServiceDeps } from '../../src/services/context.js'

/**
 * Adds an API-key credential for the app's local user through the real credentials service (the key goes to the
 * test home's encrypted-file secret store) and returns its id. With baseUrl the credential points at a fake.
 */
export async function addApiKey(app: App, input: { kind: ApiKeyKind; apiKey: string; name?: string; baseUrl?: string }): Promise<number> {
  const credentials = await app.service('credentials')
  return (await credentials.add(app.localUser, input)).id
}

/**
 * The deps the credential secret functions take, over the app's database, its home's encrypted-file store and its
 * credential keyring, as createApp wires them (sealNewSecrets: daemon mode, RECFLOW_SECRET_STORE=database).
 */
export function credentialDeps(app: App, opts: { sealNewSecrets?: boolean } = {}): Pick<ServiceDeps, 'scopes' | 'secrets' | 'logger' | 'credentialKeys'> {
  return {
    scopes: { forUser: (id) => forUser(app.database.db, id), system: () => systemScope(app.database.db) },
    secrets: async () => new EncryptedFileStore(app.env.configDir),
    logger: silentLogger,
    credentialKeys: { sealNewSecrets: opts.sealNewSecrets ?? false, keyring: async () => new CredentialKeyring(app.env.configDir) },
  }
}
