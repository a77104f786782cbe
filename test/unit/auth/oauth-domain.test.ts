import { describe, expect, it } from 'vitest'
import { googleClientFromFlags, parseGoogleClientJson } from '../../../src/domain/credentials/google-client.js'
import { parseOAuthReference, parseOAuthSecret, tokenStillValid } from '../../../src/domain/credentials/oauth.js'
import { newPkcePair, newState, pkceChallenge } from '../../../src/services/auth/pkce.js'

describe('PKCE', () => {
  it('the S256 challenge is base64url(SHA-256(verifier)) without padding (checked with WebCrypto, another implementation)', async () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r7wW1gFWFOEjXk'
    const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))
    const expected = btoa(String.fromCharCode(...new Uint8Array(digest))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    expect(pkceChallenge(verifier)).toBe(expected)
    expect(expected).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })
  it('verifiers and states are 43 base64url characters and never repeat', () => {
    const a = newPkcePair()
    const b = newPkcePair()
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(a.verifier).not.toBe(b.verifier)
    expect(a.challenge).toBe(pkceChallenge(a.verifier))
    expect(newState()).not.toBe(newState())
  })
})

describe('Google client JSON', () => {
  it('reads an installed client', () => {
    expect(parseGoogleClientJson(JSON.stringify({ installed: { client_id: ' id ', client_secret: 'sec' } }), 'f.json')).toEqual({ clientId: 'id', clientSecret: 'sec', type: 'installed' })
  })
  it('reads a web client and picks its loopback redirect URI', () => {
    const web = { web: { client_id: 'id', client_secret: 's', redirect_uris: ['https://example.com/cb', 'http://127.0.0.1:8765/callback'] } }
    expect(parseGoogleClientJson(JSON.stringify(web), 'f.json').redirectUri).toBe('http://127.0.0.1:8765/callback')
  })
  it('refuses what is not a client file, naming the file', () => {
    for (const text of ['nope', '{}', JSON.stringify({ installed: { client_id: 'id' } }), JSON.stringify({ web: { client_id: 'id', client_secret: 's', redirect_uris: ['https://x/cb'] } })]) {
      expect(() => parseGoogleClientJson(text, 'f.json')).toThrow(/f\.json/)
    }
    expect(() => googleClientFromFlags('id', undefined)).toThrow(/--client-secret/)
    expect(() => googleClientFromFlags('id x', 'y')).toThrow(/one word/)
  })
})

describe('OAuth storage documents', () => {
  it('a reference needs a secret and a known grant', () => {
    expect(parseOAuthReference(JSON.stringify({ secret: 's', grant: 'authorization_code', scopes: ['a'], expires_at: null, refreshes: true, account: 'A' }))).toMatchObject({ grant: 'authorization_code', refreshes: true })
    expect(parseOAuthReference(JSON.stringify({ secret: 's', base_url: null }))).toBeUndefined() // an API-key reference
    expect(parseOAuthReference(JSON.stringify({ secret: 's', grant: 'password' }))).toBeUndefined()
  })
  it('a secret keeps an empty refresh token as null', () => {
    expect(parseOAuthSecret(JSON.stringify({ client_id: 'c', client_secret: '', access_token: 'a', refresh_token: '', expires_at: null }))).toEqual({
      client_id: 'c', client_secret: null, access_token: 'a', refresh_token: null, expires_at: null,
    })
  })
  it('a token is valid until 60 s before it expires; null never expires', () => {
    const now = new Date('2026-01-01T00:00:00Z')
    expect(tokenStillValid('2026-01-01T00:01:01Z', now)).toBe(true)
    expect(tokenStillValid('2026-01-01T00:01:00Z', now)).toBe(false)
    expect(tokenStillValid(null, now)).toBe(true)
    expect(tokenStillValid('garbage', now)).toBe(false)
  })
})
