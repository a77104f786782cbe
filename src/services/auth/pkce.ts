import crypto from 'node:crypto'

/** RFC 7636: a 43-character code_verifier (32 random bytes, base64url) and its S256 challenge. */
export function newPkcePair(): { verifier: string; challenge: string } {
  const verifier = crypto.randomBytes(32).toString('base64url')
  return { verifier, challenge: pkceChallenge(verifier) }
}

export const pkceChallenge = (verifier: string): string => crypto.createHash('sha256').update(verifier, 'ascii').digest('base64url')

/** An unguessable single-use `state` value (32 random bytes, base64url). */
export const newState = (): string => crypto.randomBytes(32).toString('base64url')
