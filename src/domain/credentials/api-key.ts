import { usageError } from '../errors.js'

/** The kinds of API-key credential (`recflow credentials add <kind>`); the same set as providers' ApiKeyKind. */
export const API_KEY_KINDS = ['fireworks', 'openai', 'deepseek'] as const
export type ApiKeyKindName = (typeof API_KEY_KINDS)[number]

export const isApiKeyKind = (platform: string): platform is ApiKeyKindName => (API_KEY_KINDS as readonly string[]).includes(platform)

/** Longest key accepted: real keys are under 200 characters; anything much longer is a pasted file. */
const MAX_KEY_LENGTH = 1024

/**
 * The key as given (surrounding whitespace and a trailing newline dropped). Refused, without ever echoing it:
 * empty, longer than MAX_KEY_LENGTH, or holding spaces or control characters (a pasted sentence, two keys).
 */
export function normalizeApiKey(input: string): string {
  const key = input.trim()
  if (key === '') throw usageError('the API key is empty', 'give it with --api-key, or pipe it on stdin: `printf %s "$KEY" | recflow credentials add <kind>`')
  if (key.length > MAX_KEY_LENGTH) throw usageError(`the API key is longer than ${MAX_KEY_LENGTH} characters`, 'give only the key itself')
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(key)) throw usageError('the API key holds spaces or control characters', 'give only the key itself, on one line')
  return key
}

/** An http(s) base URL without query or fragment, trailing slash dropped (paths under it are the service's). */
export function normalizeBaseUrl(input: string): string {
  let url: URL
  try {
    url = new URL(input.trim())
  } catch {
    throw usageError(`--base-url "${input}" is not a URL`, 'give the service root, e.g. --base-url https://api.groq.com/openai')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError(`--base-url must be http or https, not ${url.protocol.slice(0, -1)}`)
  if (url.username || url.password) throw usageError('--base-url must not hold a user name or password', 'the key goes in --api-key, never in the URL')
  if (url.search || url.hash) throw usageError('--base-url must not hold a query or fragment')
  return url.toString().replace(/\/+$/, '')
}

/** The config key that picks a credential of this kind when several exist. */
export function credentialConfigKeys(kind: ApiKeyKindName): string[] {
  if (kind === 'fireworks') return ['transcription.credential_id']
  if (kind === 'deepseek') return ['topics.credential_id']
  return ['transcription.credential_id', 'topics.credential_id']
}

/**
 * What the database row of an API-key credential holds in `encrypted_data`: where the key is, never the key.
 * `secret` names the entry in the secret store the row's `key_id` names; `base_url` is the credential's own.
 */
export interface ApiKeyReference {
  secret: string
  base_url: string | null
}

export function parseApiKeyReference(text: string): ApiKeyReference | undefined {
  try {
    const doc = JSON.parse(text) as Partial<ApiKeyReference>
    if (typeof doc.secret !== 'string' || doc.secret === '') return undefined
    return { secret: doc.secret, base_url: typeof doc.base_url === 'string' ? doc.base_url : null }
  } catch {
    return undefined
  }
}
