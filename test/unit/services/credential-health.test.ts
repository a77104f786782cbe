import { describe, expect, it } from 'vitest'
import type { Credential } from '../../../src/db/index.js'
import { credentialHealth } from '../../../src/services/credentials/credential-health.js'

/** GET /credentials/{id}/status's view of a row, at a fixed now. */
const NOW = new Date('2026-12-05T12:00:00.000Z')
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000).toISOString()

function row(platform: string, reference: Record<string, unknown> | string, fields: Partial<Credential> = {}): Credential {
  return {
    id: 7,
    user_id: 1,
    platform,
    account_name: 'main',
    encrypted_data: typeof reference === 'string' ? reference : JSON.stringify(reference),
    key_id: 'db:k1',
    expires_at: null,
    status: 'active',
    quota_blocked_until: null,
    created_at: NOW.toISOString(),
    updated_at: NOW.toISOString(),
    ...fields,
  }
}
const signIn = (grant: string, expiresAt: string | null, refreshes: boolean) => ({ secret: 'v1.sealed', grant, scopes: [], expires_at: expiresAt, refreshes, account: 'A' })

describe('credentialHealth', () => {
  it('a token valid for an hour: time left, nothing needed', () => {
    expect(credentialHealth(row('youtube', signIn('authorization_code', at(3600), true)), NOW)).toMatchObject({
      type: 'sign_in',
      expires_at: at(3600),
      seconds_left: 3600,
      expired: false,
      needs_refresh: false,
      needs_reauth: false,
      checked_at: NOW.toISOString(),
    })
  })

  it('within the 60 s skew it needs a refresh; once past, a refreshable one still does not need the user', () => {
    expect(credentialHealth(row('zoom', signIn('authorization_code', at(30), true)), NOW)).toMatchObject({ seconds_left: 30, expired: false, needs_refresh: true, needs_reauth: false })
    expect(credentialHealth(row('zoom', signIn('account_credentials', at(-5), true)), NOW)).toMatchObject({ seconds_left: -5, expired: true, needs_refresh: true, refreshes: true, needs_reauth: false })
  })

  it('an expired implicit VK token, a row the provider refused, a row without a reference: a new sign-in', () => {
    expect(credentialHealth(row('vk', signIn('implicit', at(-1), false)), NOW)).toMatchObject({ expired: true, refreshes: false, needs_reauth: true })
    expect(credentialHealth(row('youtube', signIn('authorization_code', at(3600), true), { status: 'needs_reauth' }), NOW).needs_reauth).toBe(true)
    expect(credentialHealth(row('vk', 'not json', { expires_at: at(100) }), NOW)).toMatchObject({ grant: null, seconds_left: 100, needs_reauth: true })
  })

  it('a token that does not expire, and an API key (a secret, never expiring) never need anything', () => {
    expect(credentialHealth(row('vk', signIn('implicit', null, false)), NOW)).toMatchObject({ expires_at: null, seconds_left: null, expired: false, needs_refresh: false, needs_reauth: false })
    const key = credentialHealth(row('deepseek', { secret: 'api-key/1/x', base_url: null }), NOW)
    expect(key).toMatchObject({ type: 'secret', grant: null, expires_at: null, seconds_left: null, needs_reauth: false })
    expect(JSON.stringify(key)).not.toContain('api-key/1/x')
  })
})
