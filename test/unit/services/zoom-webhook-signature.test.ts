import { describe, expect, it } from 'vitest'
import { checkZoomSignature, urlValidationAnswer, zoomSignature } from '../../../src/services/zoom-webhooks/webhook-signature.js'

// Known vectors computed outside the code under test:
//   printf %s 'v0:1700000000:{"event":"x"}' | openssl dgst -sha256 -hmac secret-token-abc
//   printf %s qgg8vlvZRS6UYooatFL8Aw | openssl dgst -sha256 -hmac secret-token-abc
const SECRET = 'secret-token-abc'
const BODY = '{"event":"x"}'
const SIGNATURE = 'v0=6b9ec3a2de5522655c53e8f99f90ebd56139a62c811e8bbbbf1bed6203a0530f'
const AT = new Date(1_700_000_000_000)

describe('Zoom webhook signature (v0)', () => {
  it('signs "v0:{timestamp}:{raw body}" with HMAC-SHA256, hex', () => {
    expect(zoomSignature(SECRET, '1700000000', BODY)).toBe(SIGNATURE)
    expect(zoomSignature(SECRET, '1700000000', Buffer.from(BODY))).toBe(SIGNATURE)
  })

  it('answers url_validation with the HMAC of the plain token (known vector)', () => {
    expect(urlValidationAnswer(SECRET, 'qgg8vlvZRS6UYooatFL8Aw')).toEqual({
      plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
      encryptedToken: 'd654af51aa44a07d6bb466e961ac24449e51afc495deab8d0fb9435a3c5e3239',
    })
  })

  it('accepts a request signed with the secret, within five minutes either way', () => {
    const req = { timestamp: '1700000000', signature: SIGNATURE, rawBody: BODY }
    expect(checkZoomSignature([SECRET], req, AT)).toEqual({ ok: true, secret: SECRET })
    expect(checkZoomSignature([SECRET], req, new Date(AT.getTime() + 300_000)).ok).toBe(true)
    expect(checkZoomSignature([SECRET], req, new Date(AT.getTime() - 300_000)).ok).toBe(true)
  })

  it('finds the matching secret among several (one per Zoom app)', () => {
    const req = { timestamp: '1700000000', signature: SIGNATURE, rawBody: BODY }
    expect(checkZoomSignature(['other-app', SECRET, 'third'], req, AT)).toEqual({ ok: true, secret: SECRET })
  })

  it('refuses a timestamp more than five minutes old or ahead (a replay)', () => {
    const req = { timestamp: '1700000000', signature: SIGNATURE, rawBody: BODY }
    const late = checkZoomSignature([SECRET], req, new Date(AT.getTime() + 301_000))
    expect(late).toEqual({ ok: false, reason: expect.stringContaining('more than 5 minutes') })
    expect(checkZoomSignature([SECRET], req, new Date(AT.getTime() - 301_000)).ok).toBe(false)
  })

  it('refuses a body changed after signing, a wrong secret, and a signature for another timestamp', () => {
    expect(checkZoomSignature([SECRET], { timestamp: '1700000000', signature: SIGNATURE, rawBody: '{"event":"y"}' }, AT).ok).toBe(false)
    expect(checkZoomSignature(['not-the-secret'], { timestamp: '1700000000', signature: SIGNATURE, rawBody: BODY }, AT).ok).toBe(false)
    expect(checkZoomSignature([SECRET], { timestamp: '1700000001', signature: SIGNATURE, rawBody: BODY }, AT).ok).toBe(false)
    // The same JSON re-serialised (spacing) is another body: the raw bytes are what is signed.
    expect(checkZoomSignature([SECRET], { timestamp: '1700000000', signature: SIGNATURE, rawBody: '{"event": "x"}' }, AT).ok).toBe(false)
  })

  it('refuses missing or malformed headers without echoing them, and having no secret', () => {
    const base = { timestamp: '1700000000', signature: SIGNATURE, rawBody: BODY }
    for (const req of [
      { ...base, timestamp: undefined },
      { ...base, timestamp: '1700000000000x' },
      { ...base, timestamp: '-5' },
      { ...base, signature: undefined },
      { ...base, signature: SIGNATURE.slice(3) },
      { ...base, signature: `v1=${SIGNATURE.slice(3)}` },
      { ...base, signature: `${SIGNATURE}00` },
    ]) {
      const check = checkZoomSignature([SECRET], req, AT)
      expect(check.ok).toBe(false)
      expect(JSON.stringify(check)).not.toContain(SIGNATURE.slice(3, 20))
      expect(JSON.stringify(check)).not.toContain(SECRET)
    }
    expect(checkZoomSignature([], base, AT)).toEqual({ ok: false, reason: 'no Zoom webhook secret token is stored' })
  })
})
