import type { Credential } from '../../db/index.js'
import { normalizeApiKey, normalizeBaseUrl, parseApiKeyReference } from '../../domain/credentials/api-key.js'
import { normalizeWebhookSecretToken, ZOOM_WEBHOOK_KIND } from '../../domain/credentials/zoom-webhook.js'
import { RecflowError, conflict, notFound } from '../../domain/errors.js'
import type { ApiKeyKind } from '../../providers/types.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { listAll, type ListOptions } from '../paging.js'
import { credentialUsers, detachCredential, refuseInUse, type ReferenceUser } from '../references.js'
import { newSecretName, readApiKey, referenceOf } from './api-key-secrets.js'
import { oauthReferenceOf } from './oauth-secrets.js'
import { testSignIn } from './test-sign-in.js'
import { deleteCredentialSecret, storeCredentialSecret } from './credential-secrets.js'
import { isOAuthPlatform } from '../../domain/credentials/oauth.js'
import { updateCredential, type CredentialChange } from './credential-update.js'
import { credentialHealth, type CredentialHealth } from './credential-health.js'

/** A credential as shown to the user: never the key, nor where in the store it sits. */
export interface CredentialView {
  id: number
  kind: string
  name: string
  base_url: string | null
  /** Where the key is: the keychain or encrypted-file secret store, or sealed in the database (`db:<key id>`). */
  store: string
  status: string
  created_at: string
  updated_at: string
}

export interface AddApiKeyInput {
  /** An API key's service, or `zoom-webhook` for a Zoom app's webhook secret token (held the same way). */
  kind: ApiKeyKind | typeof ZOOM_WEBHOOK_KIND
  apiKey: string
  name?: string
  baseUrl?: string
}

export interface CredentialCheck {
  id: number
  kind: string
  name: string
  ok: true
  detail: string
}

const LIST_HINT = 'run `recflow credentials list` to see your credentials'

function view(row: Credential): CredentialView {
  let baseUrl: string | null = null
  try {
    baseUrl = referenceOf(row).base_url
  } catch {
    // An OAuth platform's row (a later issue) has no API-key reference.
  }
  return {
    id: row.id,
    kind: row.platform,
    name: row.account_name,
    base_url: baseUrl,
    store: row.key_id,
    status: row.status,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}

/** Every occurrence of the key replaced, for text that came back from a provider (a server may echo it). */
const redact = (text: string, key: string) => (key.length >= 4 ? text.split(key).join('***') : text)

export function credentialsService(deps: ServiceDeps) {
  const scope = (user: UserRef) => deps.scopes.forUser(user.id)

  const getRow = async (user: UserRef, id: number): Promise<Credential> => {
    const row = await scope(user).credentials.get(id)
    if (!row) throw notFound('credential', id, LIST_HINT)
    return row
  }

  /** Deletes a removed row's key; false when it cannot be reached (another store than this run's, or an error). */
  const deleteKey = async (row: Credential): Promise<boolean> => {
    let secret: string | undefined
    try {
      // API keys and a Zoom webhook secret token hold the same reference shape; OAuth rows their own.
      secret = isOAuthPlatform(row.platform) ? oauthReferenceOf(row).secret : parseApiKeyReference(row.encrypted_data)?.secret
    } catch {
      return true // no reference: nothing of it is in the store
    }
    if (secret === undefined) return true
    try {
      return await deleteCredentialSecret(deps, row, secret)
    } catch (e) {
      deps.logger.warn("the removed credential's key could not be deleted from the secret store", { credential_id: row.id, error: (e as Error).message })
      return false
    }
  }

  return {
    /**
     * Stores the key in the secret store, then the row that points at it. A refused input (bad key, URL or a name
     * already taken) changes nothing; a failed insert takes the stored secret back out.
     */
    async add(user: UserRef, input: AddApiKeyInput): Promise<CredentialView> {
      const webhook = input.kind === ZOOM_WEBHOOK_KIND
      if (webhook && input.baseUrl !== undefined) throw new RecflowError('usage', '--base-url is not a setting of a zoom-webhook credential')
      const apiKey = webhook ? normalizeWebhookSecretToken(input.apiKey) : normalizeApiKey(input.apiKey)
      const baseUrl = input.baseUrl === undefined ? null : normalizeBaseUrl(input.baseUrl)
      const repo = scope(user).credentials
      let name = input.name?.trim()
      if (name !== undefined) {
        if (name === '' || name.length > 100) throw new RecflowError('usage', '--name must be 1 to 100 characters')
        const taken = await repo.findByAccount(input.kind, name)
        if (taken) throw conflict(`you already have a ${input.kind} credential named "${name}" (id ${taken.id})`, 'choose another --name, or remove that one first')
      } else {
        name = input.kind
        for (let n = 2; await repo.findByAccount(input.kind, name); n++) name = `${input.kind}-${n}`
      }
      const stored = await storeCredentialSecret(deps, { userId: user.id, platform: input.kind }, newSecretName(user.id), apiKey)
      try {
        const row = await repo.create({
          platform: input.kind,
          account_name: name,
          encrypted_data: JSON.stringify({ secret: stored.secret, base_url: baseUrl }),
          key_id: stored.key_id,
        })
        deps.logger.info(webhook ? 'stored a Zoom webhook secret token' : 'stored an API key', { credential_id: row.id, kind: input.kind, store: stored.key_id })
        return view(row)
      } catch (e) {
        await stored.discard()
        throw e
      }
    },

    /** One page of the user's credentials (of one platform when given), by id. */
    async page(user: UserRef, opts: ListOptions & { platform?: string } = {}): Promise<{ items: CredentialView[]; nextCursor: string | null }> {
      const page = await scope(user).credentials.list({ platform: opts.platform }, opts)
      return { items: page.items.map(view), nextCursor: page.nextCursor }
    },

    async list(user: UserRef): Promise<CredentialView[]> {
      return (await listAll((page) => scope(user).credentials.list({}, page))).map(view)
    },

    async show(user: UserRef, id: number): Promise<CredentialView & { used_by: ReferenceUser[] }> {
      const row = await getRow(user, id)
      return { ...view(row), used_by: await credentialUsers(scope(user), id) }
    },

    /** A new name and/or secret (checked like `add`), same id: see credential-update.ts. Never returns the secret. */
    async update(user: UserRef, id: number, change: CredentialChange): Promise<CredentialView> {
      return view(await updateCredential(deps, user, await getRow(user, id), change))
    },

    /** Token health (expiry, time left, refresh or sign-in needed) from the row alone: credential-health.ts. */
    async health(user: UserRef, id: number): Promise<CredentialHealth> {
      return credentialHealth(await getRow(user, id), deps.clock.now())
    },

    /**
     * Removes the row (refused while presets, sources, templates, recordings or the config use it, unless forced,
     * which detaches it from them in the same transaction), then its key from the secret store.
     */
    async remove(
      user: UserRef,
      id: number,
      opts: { force?: boolean } = {},
    ): Promise<{ id: number; removed: true; detached: ReferenceUser[]; key_deleted: boolean }> {
      const { row, detached } = await scope(user).transaction(async (tx) => {
        const row = await tx.credentials.get(id)
        if (!row) throw notFound('credential', id, LIST_HINT)
        const users = await credentialUsers(tx, id)
        if (users.length > 0 && !opts.force) refuseInUse('credential', id, users, 'credentials remove')
        const detached = await detachCredential(tx, id, users)
        if (!(await tx.credentials.remove(id, { force: true }))) throw notFound('credential', id, LIST_HINT)
        return { row, detached }
      })
      return { id, removed: true as const, detached, key_deleted: await deleteKey(row) }
    },

    /**
     * One cheap authenticated call with the stored key: ok, or an `auth` error (bad key, exit 4) or a `provider`
     * error (unreachable or another failure, exit 5), each with a hint.
     */
    async test(user: UserRef, id: number, control: { signal?: AbortSignal } = {}): Promise<CredentialCheck> {
      const row = await getRow(user, id)
      const kind = row.platform
      if (isOAuthPlatform(kind)) return testSignIn(deps, user, row, kind, control)
      if (kind !== 'fireworks' && kind !== 'openai' && kind !== 'deepseek') {
        throw new RecflowError('usage', `credential ${id} is a ${kind} credential: it holds a secret recflow checks when it is used, not one it can test`, {
          hint: 'API keys and sign-ins can be tested: `recflow credentials list` shows their kinds',
        })
      }
      const access = await readApiKey(deps, row)
      const check = await deps.ai.checkApiKey(kind, access, control)
      if (check.ok) return { id, kind, name: row.account_name, ok: true, detail: redact(check.detail, access.apiKey) }
      const detail = redact(check.detail, access.apiKey)
      if (check.kind === 'auth') {
        throw new RecflowError('auth', `the ${kind} API key of credential ${id} was refused: ${detail}`, {
          hint: `check the key, then replace it: \`recflow credentials remove ${id} --force\` and \`recflow credentials add ${kind}\``,
          details: { id, kind, result: 'bad_key' },
        })
      }
      const where = access.baseUrl ?? 'the service'
      throw new RecflowError('provider', check.kind === 'unreachable' ? `${where} cannot be reached: ${detail}` : `the ${kind} key check failed: ${detail}`, {
        hint: check.kind === 'unreachable' ? 'check the network (and --base-url, or the RECFLOW_*_URL variable), then try again' : 'try again later',
        details: { id, kind, result: check.kind },
      })
    },
  }
}

export type CredentialsService = ReturnType<typeof credentialsService>
