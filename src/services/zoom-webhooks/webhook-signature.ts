import crypto from 'node:crypto'

/*
 * Zoom's webhook signature, v0 (API-CONTRACTS.md §A.8): `x-zm-signature: v0=<hex HMAC-SHA256(secret token,
 * "v0:" + x-zm-request-timestamp + ":" + raw body)>`. Pure functions of their inputs (the time is passed in).
 */

/** How far the request's timestamp may be from now, either way (Zoom states no number; 5 minutes is the usual). */
export const SIGNATURE_TOLERANCE_S = 5 * 60

const hmacHex = (secret: string, message: string | Uint8Array) => crypto.createHmac('sha256', secret).update(message).digest('hex')

/** The `x-zm-signature` value for a body sent at `timestamp` (unix seconds, as sent in x-zm-request-timestamp). */
export function zoomSignature(secret: string, timestamp: string, rawBody: string | Uint8Array): string {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody)
  return `v0=${hmacHex(secret, Buffer.concat([Buffer.from(`v0:${timestamp}:`, 'utf8'), body]))}`
}

/** The answer to `endpoint.url_validation`: the plain token back, and its HMAC-SHA256 under the secret token. */
export function urlValidationAnswer(secret: string, plainToken: string): { plainToken: string; encryptedToken: string } {
  return { plainToken, encryptedToken: hmacHex(secret, plainToken) }
}

export interface SignedRequest {
  /** The x-zm-request-timestamp header. */
  timestamp: string | undefined
  /** The x-zm-signature header. */
  signature: string | undefined
  /** The request body exactly as received (a re-serialised JSON would not verify). */
  rawBody: string | Uint8Array
}

export type SignatureCheck = { ok: true; secret: string } | { ok: false; reason: string }

const SIGNATURE_RE = /^v0=([0-9a-f]{64})$/

/**
 * Checks a request against each of the user's secret tokens (one per Zoom app): the timestamp must be unix
 * seconds within SIGNATURE_TOLERANCE_S of `now`, and the signature must match one of them. The comparison is
 * constant-time, and every secret is tried whatever the earlier ones gave, so the time taken tells nothing.
 * The reasons never repeat a header or a secret.
 */
export function checkZoomSignature(secrets: readonly string[], req: SignedRequest, now: Date): SignatureCheck {
  if (secrets.length === 0) return { ok: false, reason: 'no Zoom webhook secret token is stored' }
  const ts = req.timestamp?.trim() ?? ''
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, reason: 'the x-zm-request-timestamp header is missing or not unix seconds' }
  if (Math.abs(now.getTime() / 1000 - Number(ts)) > SIGNATURE_TOLERANCE_S) {
    return { ok: false, reason: `the request timestamp is more than ${SIGNATURE_TOLERANCE_S / 60} minutes from now (a replay, or a wrong clock)` }
  }
  const given = SIGNATURE_RE.exec(req.signature?.trim().toLowerCase() ?? '')
  if (!given) return { ok: false, reason: 'the x-zm-signature header is missing or not a v0 signature' }
  const givenBytes = Buffer.from(given[1]!, 'hex')
  let match: string | undefined
  for (const secret of secrets) {
    const expected = Buffer.from(zoomSignature(secret, ts, req.rawBody).slice(3), 'hex')
    if (crypto.timingSafeEqual(expected, givenBytes) && match === undefined) match = secret
  }
  return match === undefined ? { ok: false, reason: 'the signature does not match the stored secret token' } : { ok: true, secret: match }
}
