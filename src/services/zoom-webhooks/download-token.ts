import crypto from 'node:crypto'
import type { ServiceDeps, UserRef } from '../context.js'

/*
 * The `download_token` of a `recording.completed` webhook (§A.6: the meeting's files can be downloaded with it
 * instead of an OAuth token, for about 24 h). A token never goes into the database (task payloads are rows), so
 * it is kept in the secret store under a name derived from the user and the meeting UUID: the queued sync names
 * only the meeting, and the DOWNLOAD stage finds the token by the same name. A newer event replaces it.
 */

/** Zoom gives no lifetime; secondary sources say 24 h. An hour less, so a token is not tried as it expires. */
export const DOWNLOAD_TOKEN_LIFETIME_MS = 23 * 3600_000

export const downloadTokenSecretName = (userId: number, meetingUuid: string): string =>
  `zoom-download-token/${userId}/${crypto.createHash('sha256').update(meetingUuid).digest('hex').slice(0, 32)}`

interface StoredDownloadToken {
  token: string
  expires_at: string
}

type Deps = Pick<ServiceDeps, 'secrets' | 'clock'>

export async function saveDownloadToken(deps: Deps, user: UserRef, meetingUuid: string, token: string): Promise<void> {
  const value: StoredDownloadToken = { token, expires_at: new Date(deps.clock.now().getTime() + DOWNLOAD_TOKEN_LIFETIME_MS).toISOString() }
  await (await deps.secrets()).set(downloadTokenSecretName(user.id, meetingUuid), JSON.stringify(value))
}

/** The meeting's webhook download token while it is fresh; an expired (or unreadable) one is removed. */
export async function webhookDownloadToken(deps: Deps, user: UserRef, meetingUuid: string): Promise<string | undefined> {
  const store = await deps.secrets()
  const name = downloadTokenSecretName(user.id, meetingUuid)
  const text = await store.get(name)
  if (text === undefined) return undefined
  let stored: Partial<StoredDownloadToken> = {}
  try {
    stored = JSON.parse(text) as Partial<StoredDownloadToken>
  } catch {
    // unreadable: removed below
  }
  const expires = typeof stored.expires_at === 'string' ? Date.parse(stored.expires_at) : NaN
  if (typeof stored.token === 'string' && stored.token !== '' && expires > deps.clock.now().getTime()) return stored.token
  await store.delete(name)
  return undefined
}

/** Drops the meeting's download token (its files are downloaded, or it was trashed). */
export async function forgetDownloadToken(deps: Pick<ServiceDeps, 'secrets'>, user: UserRef, meetingUuid: string): Promise<void> {
  await (await deps.secrets()).delete(downloadTokenSecretName(user.id, meetingUuid))
}
