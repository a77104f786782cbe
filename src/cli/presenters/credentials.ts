import type { CredentialCheck, CredentialView } from '../../services/credentials/credentials.js'
import type { SignInView } from '../../services/auth/auth-service.js'
import type { ReferenceUser } from '../../services/references.js'
import { details, table } from './table.js'

/** Text views of credentials: names, kinds and where the key is kept, never the key. */
export const credentialsTable = (items: CredentialView[]) =>
  table(
    items,
    [
      { header: 'id', value: (c) => c.id },
      { header: 'kind', value: (c) => c.kind },
      { header: 'name', value: (c) => c.name, max: 40 },
      { header: 'base url', value: (c) => c.base_url ?? '(default)', max: 50 },
      { header: 'store', value: (c) => c.store },
      { header: 'status', value: (c) => c.status },
    ],
    'No credentials yet. Add an API key: recflow credentials add fireworks',
  )

/** Where a key is, in words: a secret store, or sealed in the database with a key id (daemon mode). */
const keyPlace = (store: string) => (store.startsWith('db:') ? `sealed in the database (key ${store})` : `in the ${store} secret store`)

const userLine = (u: ReferenceUser) => (u.kind === 'config' ? `your config (${u.field})` : `${u.kind} ${u.id} "${u.name}" (${u.field})`)

export const credentialDetails = (c: CredentialView & { used_by: ReferenceUser[] }) =>
  details([
    ['id', c.id],
    ['kind', c.kind],
    ['name', c.name],
    ['base_url', c.base_url ?? '(default for the kind, or its RECFLOW_*_URL variable)'],
    ['key', keyPlace(c.store)],
    ['status', c.status],
    ['used_by', c.used_by.length === 0 ? '(nothing)' : c.used_by.map(userLine).join('; ')],
    ['created', c.created_at],
  ])

export const addedText = (c: CredentialView) => [
  `Stored ${c.kind} credential ${c.id} "${c.name}" (key ${keyPlace(c.store)}).`,
  c.kind === 'zoom-webhook' ? 'Zoom webhook deliveries signed with this secret token are now accepted.' : `Check it with: recflow credentials test ${c.id}`,
]

export const removedText = (r: { id: number; detached: ReferenceUser[]; key_deleted: boolean }) => [
  `Removed credential ${r.id}.`,
  ...r.detached.map((u) => `Detached from ${userLine(u)}.`),
  ...(r.key_deleted ? [] : ['Its key could not be deleted from the secret store it was kept in (another store than this run uses, or an error); delete it there by hand.']),
]

export const checkText = (r: CredentialCheck) => `ok: ${r.kind} credential ${r.id} "${r.name}" works (${r.detail})`

export const zoomServerToServerText = (c: SignInView & { replaced: boolean }) => [
  `${c.replaced ? 'Updated' : 'Stored'} Zoom Server-to-Server credential ${c.id} "${c.name}" (account ${c.account}; client secret and token in the ${c.store} secret store).`,
  `A new token is fetched whenever the current one expires${c.expires_at ? ` (this one: ${c.expires_at})` : ''}. See it with: recflow auth status`,
]
