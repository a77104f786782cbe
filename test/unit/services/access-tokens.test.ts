import { describe, expect, it } from 'vitest'
import { accessTokensWithSecret } from '../../../src/services/access-tokens.js'

// The verified-token memory: a hit answers without jose, but never past the token's expiry, and only for the
// exact string that verified (any change to it is a miss and goes through the full check).
describe('access tokens: verified tokens remembered until they expire', () => {
  const secret = Buffer.from('s'.repeat(32))

  it('answers a second verify from memory and refuses it once expired, like the first check would', async () => {
    let now = new Date('2026-12-05T10:00:00Z')
    const tokens = accessTokensWithSecret(secret, () => now)
    const { access_token } = await tokens.issue({ id: 7, role: 'admin' })
    await expect(tokens.verify(access_token)).resolves.toEqual({ userId: 7, role: 'admin' })
    now = new Date('2026-12-05T10:29:59Z')
    await expect(tokens.verify(access_token)).resolves.toEqual({ userId: 7, role: 'admin' })
    now = new Date('2026-12-05T10:30:00Z')
    await expect(tokens.verify(access_token)).rejects.toThrow(/expired/)
    await expect(tokens.verify(access_token)).rejects.toThrow(/expired/)
  })

  it('a remembered token changed by one character is checked again and refused', async () => {
    const tokens = accessTokensWithSecret(secret, () => new Date())
    const { access_token } = await tokens.issue({ id: 7, role: 'user' })
    await tokens.verify(access_token)
    const [head, payload, sig] = access_token.split('.') as [string, string, string]
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>
    const admin = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')
    await expect(tokens.verify(`${head}.${admin}.${sig}`)).rejects.toThrow(/not valid/)
    const flipped = (sig.startsWith('A') ? 'B' : 'A') + sig.slice(1)
    await expect(tokens.verify(`${head}.${payload}.${flipped}`)).rejects.toThrow(/not valid/)
    // Another signer (another daemon's secret) does not share the memory.
    await expect(accessTokensWithSecret(Buffer.from('t'.repeat(32)), () => new Date()).verify(access_token)).rejects.toThrow(/not valid/)
  })
})
