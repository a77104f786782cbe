import type { Credential } from '../../db/index.js'
import { credentialConfigKeys } from '../../domain/credentials/api-key.js'
import { RecflowError, notFound } from '../../domain/errors.js'
import type { ApiKeyAccess, ApiKeyKind } from '../../providers/types.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { listAll } from '../paging.js'
import { readApiKey } from './api-key-secrets.js'

/**
 * The API key a stage or a command uses for `kind`: the credential `credentialId` names (it must be this user's
 * and of this kind, else not found), or with null the user's only credential of that kind. None of that kind is
 * an `auth` error with the hint to add one; several with no id is a `validation` error naming them and the
 * config key that picks one. The key is read from the secret store; no error ever holds it.
 */
export async function resolveApiKey(
  deps: Pick<ServiceDeps, 'scopes' | 'secrets'> & Partial<Pick<ServiceDeps, 'credentialKeys' | 'logger'>>,
  user: UserRef,
  kind: ApiKeyKind,
  credentialId: number | null,
): Promise<{ credentialId: number; access: ApiKeyAccess }> {
  const credentials = deps.scopes.forUser(user.id).credentials
  let row: Credential
  if (credentialId !== null) {
    const found = await credentials.get(credentialId)
    if (!found || found.platform !== kind) {
      throw notFound(`${kind} credential`, credentialId, `run \`recflow credentials list\` to see your credentials, or \`recflow credentials add ${kind}\``)
    }
    row = found
  } else {
    const rows = await listAll((page) => credentials.list({ platform: kind, status: 'active' }, page))
    if (rows.length === 0) {
      throw new RecflowError('auth', `no ${kind} API key is stored`, { hint: `run \`recflow credentials add ${kind}\` to add one` })
    }
    if (rows.length > 1) {
      const keys = credentialConfigKeys(kind)
      const names = rows.map((r) => `${r.id} "${r.account_name}"`).join(', ')
      throw new RecflowError('validation', `you have ${rows.length} ${kind} credentials (${names}); ${keys.join(' or ')} must say which one to use`, {
        hint: `run \`recflow config set ${keys[0]} ${rows[0]!.id}\` (or another id from \`recflow credentials list\`)`,
        details: { kind, credential_ids: rows.map((r) => r.id), config_keys: keys },
      })
    }
    row = rows[0]!
  }
  return { credentialId: row.id, access: await readApiKey(deps, row) }
}
