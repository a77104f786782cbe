import { randomBytes } from 'node:crypto'
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose'
import { boundedMap } from '../domain/bounded-map.js'
import { RecflowError } from '../domain/errors.js'
import type { ServiceDeps } from './context.js'

/** Where the daemon's HS256 signing secret lives in the secret store (generated at first start). */
export const JWT_SECRET_NAME = 'daemon:jwt-secret'
export const ACCESS_TOKEN_TTL_S = 30 * 60
const ISSUER = 'recflow'
const AUDIENCE = 'recflow-api'

export interface AccessClaims {
  readonly userId: number
  readonly role: 'user' | 'admin'
}

/** Short-lived access tokens for the REST API: HS256 JWTs, 30 minutes, fixed issuer and audience. */
export interface AccessTokens {
  issue(user: { id: number; role: 'user' | 'admin' }): Promise<{ access_token: string; expires_in: number }>
  /** The claims of a valid token; RecflowError('auth') for an expired, tampered, unsigned or foreign one. */
  verify(token: string): Promise<AccessClaims>
}

const invalid = (message: string) => new RecflowError('auth', message, { hint: 'sign in again: POST /api/v1/auth/login or /auth/refresh' })

/** How many verified tokens are remembered (10 users making requests all day need a few dozen). */
const VERIFIED_CACHE_SIZE = 10_000

/**
 * Signs and verifies with `secret`. Only HS256 is accepted, so an `alg: none` or RS256-confused token fails.
 * A token once verified is remembered with its expiry until then (HMAC is deterministic: the same string verifies
 * the same way until it expires): jose's verification through WebCrypto was a tenth of the CPU of a list request.
 */
export function accessTokensWithSecret(secret: Uint8Array, now: () => Date): AccessTokens {
  const seconds = () => Math.floor(now().getTime() / 1000)
  const verified = boundedMap<string, { claims: AccessClaims; exp: number }>(VERIFIED_CACHE_SIZE)
  return {
    async issue(user) {
      const iat = seconds()
      const access_token = await new SignJWT({ role: user.role })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(String(user.id))
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ACCESS_TOKEN_TTL_S)
        .sign(secret)
      return { access_token, expires_in: ACCESS_TOKEN_TTL_S }
    },
    async verify(token) {
      const known = verified.get(token)
      if (known !== undefined) {
        if (seconds() < known.exp) return known.claims
        throw invalid('the access token has expired')
      }
      try {
        const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, currentDate: now() })
        const userId = Number(payload.sub)
        const role = payload.role
        if (!Number.isSafeInteger(userId) || userId <= 0 || (role !== 'user' && role !== 'admin')) throw invalid('the access token has no valid subject')
        const claims: AccessClaims = { userId, role }
        if (typeof payload.exp === 'number') verified.set(token, { claims, exp: payload.exp })
        return claims
      } catch (e) {
        if (e instanceof RecflowError) throw e
        if (e instanceof joseErrors.JWTExpired) throw invalid('the access token has expired')
        throw invalid('the access token is not valid')
      }
    },
  }
}

/** The daemon's access tokens: the signing secret is read from the secret store, or made and kept there first. */
export async function accessTokensService({ secrets, clock }: ServiceDeps): Promise<AccessTokens> {
  const store = await secrets()
  let encoded = await store.get(JWT_SECRET_NAME)
  if (encoded === undefined) {
    encoded = randomBytes(32).toString('base64url')
    await store.set(JWT_SECRET_NAME, encoded)
  }
  return accessTokensWithSecret(Buffer.from(encoded, 'base64url'), () => clock.now())
}
