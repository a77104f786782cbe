import { usageError } from '../errors.js'

/**
 * The OAuth client of a Google Cloud project, as the console's "Download JSON" gives it: `{"installed": {...}}`
 * (a Desktop app: any loopback redirect works) or `{"web": {...}}` (a Web application: only its registered redirect
 * URIs work, so one of them must be a loopback http URL recflow can listen on).
 */
export interface GoogleClientConfig {
  clientId: string
  clientSecret: string
  type: 'installed' | 'web'
  /** web clients: the registered loopback redirect URI to use. */
  redirectUri?: string
}

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost):\d+(\/[^?#]*)?$/

export function parseGoogleClientJson(text: string, file: string): GoogleClientConfig {
  const bad = (why: string) =>
    usageError(`${file} is not a Google OAuth client file: ${why}`, 'download it from Google Cloud console > APIs & Services > Credentials (an OAuth client ID of type "Desktop app"), or give --client-id and --client-secret')
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    throw bad('it is not JSON')
  }
  const root = doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>) : {}
  const type = 'installed' in root ? 'installed' : 'web' in root ? 'web' : undefined
  if (!type) throw bad('it has neither an "installed" nor a "web" section')
  const section = root[type] !== null && typeof root[type] === 'object' ? (root[type] as Record<string, unknown>) : {}
  const clientId = section.client_id
  const clientSecret = section.client_secret
  if (typeof clientId !== 'string' || clientId.trim() === '') throw bad(`"${type}.client_id" is missing`)
  if (typeof clientSecret !== 'string' || clientSecret.trim() === '') throw bad(`"${type}.client_secret" is missing`)
  const out: GoogleClientConfig = { clientId: clientId.trim(), clientSecret: clientSecret.trim(), type }
  if (type === 'web') {
    const uris = Array.isArray(section.redirect_uris) ? section.redirect_uris.filter((u): u is string => typeof u === 'string') : []
    const loopback = uris.find((u) => LOOPBACK.test(u) && !/:80(\/|$)/.test(u))
    if (!loopback) {
      throw usageError(
        `the web client in ${file} has no loopback redirect URI (http://127.0.0.1:PORT/PATH) for recflow to listen on`,
        'add one such as http://127.0.0.1:8765/callback to the client in the Google Cloud console, or use a "Desktop app" client',
      )
    }
    out.redirectUri = loopback
  }
  return out
}

/** --client-id / --client-secret as given: both needed, trimmed, on one line. */
export function googleClientFromFlags(id: string | undefined, secret: string | undefined): GoogleClientConfig {
  if (!id || !secret || id.trim() === '' || secret.trim() === '') {
    throw usageError('give the OAuth client: --client-secrets FILE, or both --client-id and --client-secret', 'create an OAuth client ID of type "Desktop app" in the Google Cloud console')
  }
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f]/.test(id.trim()) || /[\s\x00-\x1f]/.test(secret.trim())) throw usageError('--client-id and --client-secret must each be one word')
  return { clientId: id.trim(), clientSecret: secret.trim(), type: 'installed' }
}
