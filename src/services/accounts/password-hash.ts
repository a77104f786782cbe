import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/*
 * Password hashes: scrypt (RFC 7914) from node:crypto, stored as `scrypt$N$r$p$salt$hash` (salt and hash
 * base64url), so the cost can be raised later without invalidating stored passwords.
 *
 * Default cost N=2^15, r=8, p=1: 32 MiB and ~50-100 ms per hash on the 2-core target machine. OWASP asks for
 * 2^17 (128 MiB); on a shared 2-core daemon with a 250 MB RSS budget, a handful of simultaneous logins at 128 MiB
 * each would exhaust it, so 2^15 (twice RFC 7914's interactive-login figure) is the compromise, and operators can
 * raise it with RECFLOW_SCRYPT_LOG_N. The auth routes are rate limited, which bounds the cost an attacker can
 * make the daemon spend.
 */

const KEY_LENGTH = 32
const SALT_LENGTH = 16
const R = 8
const P = 1

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  // maxmem: scrypt needs 128 * N * r bytes; node's default ceiling (32 MiB) is just below 2^15 with r=8.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r }
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  )
}

/** A new hash of `password` at cost N = 2^logN. */
export async function hashPassword(password: string, logN: number): Promise<string> {
  const N = 2 ** logN
  const salt = randomBytes(SALT_LENGTH)
  const key = await derive(password, salt, N, R, P)
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$')
}

interface ParsedHash {
  N: number
  r: number
  p: number
  salt: Buffer
  key: Buffer
}

const isPowerOfTwo = (n: number) => Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0

/** The parameters of a stored hash, or undefined for anything not written by hashPassword (or absurdly costly). */
function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  if (!isPowerOfTwo(N) || N > 2 ** 20 || !Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) return undefined
  const salt = Buffer.from(parts[4]!, 'base64url')
  const key = Buffer.from(parts[5]!, 'base64url')
  if (salt.length < 8 || key.length !== KEY_LENGTH) return undefined
  return { N, r, p, salt, key }
}

/** Whether `password` matches `stored` (constant-time compare). A malformed or missing hash never matches. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parsed = stored === null ? undefined : parseHash(stored)
  if (parsed === undefined) return false
  const key = await derive(password, parsed.salt, parsed.N, parsed.r, parsed.p)
  return timingSafeEqual(key, parsed.key)
}

/** Whether a stored hash was made with less than the cost `logN` asks for now (rehash it at the next login). */
export function needsRehash(stored: string, logN: number): boolean {
  const parsed = parseHash(stored)
  return parsed === undefined || parsed.N < 2 ** logN || parsed.r !== R || parsed.p !== P
}

/**
 * Spends the time of one verification without a stored hash, so an unknown email answers as slowly as a wrong
 * password (no account enumeration by timing).
 */
export async function spendVerificationTime(password: string, logN: number): Promise<void> {
  await derive(password, DUMMY_SALT, 2 ** logN, R, P)
}
const DUMMY_SALT = Buffer.alloc(SALT_LENGTH, 7)

/** A random password that meets the policy: 24 random base64url characters (144 bits) and `-7a`, so it always mixes kinds. */
export function generatePassword(): string {
  return `${randomBytes(18).toString('base64url')}-7a`
}
