import fs from 'node:fs'
import type { App } from '../../src/app.js'
import { parseOAuthReference, parseOAuthSecret, type OAuthReference, type OAuthSecret } from '../../src/domain/credentials/oauth.js'
import { openSecretStore } from '../../src/platform/secrets.js'

/** What a test checks about a stored OAuth credential: its row's reference and the secret-store entry it names. */
export async function readStoredOAuth(app: App, credentialId: number): Promise<{ status: string; reference: OAuthReference; secret: OAuthSecret }> {
  const row = await app.database.db.selectFrom('user_credentials').selectAll().where('id', '=', credentialId).executeTakeFirstOrThrow()
  const reference = parseOAuthReference(row.encrypted_data)
  if (!reference) throw new Error(`credential ${credentialId} holds no OAuth reference: ${row.encrypted_data}`)
  const store = await openSecretStore({ preference: app.env.secretStore, configDir: app.env.configDir, platform: app.env.platform })
  const text = await store.get(reference.secret)
  const secret = text === undefined ? undefined : parseOAuthSecret(text)
  if (!secret) throw new Error(`the secret entry of credential ${credentialId} is missing or not OAuth JSON`)
  return { status: row.status, reference, secret }
}

/** The database file's bytes (with its WAL) as text, to check that no token or client secret is in it. */
export function databaseText(app: App): string {
  return [app.env.dbPath, `${app.env.dbPath}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f).toString('latin1')).join('\n')
}
