import { describe, expect, it } from 'vitest'
import type { Clock } from '../../../src/platform/clock.js'
import { browserSignIn, STATE_TTL_MS, type SignInIo } from '../../../src/services/auth/browser-sign-in.js'
import { pkceChallenge } from '../../../src/services/auth/pkce.js'

/*
 * The browser half on its own (the real loopback server, a hand-driven "browser"): what the authorize URL carries,
 * the state's 10-minute life, a pasted text that is not a redirect URL, and the answer reaching `complete`.
 */

function harness(clock: Clock, pasted?: string) {
  let announced: URL | undefined
  let onUrl!: (u: URL) => void
  const urlSeen = new Promise<URL>((r) => (onUrl = r))
  const io: SignInIo = {
    announce: (url) => {
      announced = new URL(url)
      onUrl(announced)
    },
  }
  if (pasted !== undefined) io.pasted = async () => pasted
  const run = browserSignIn(
    {
      service: 'Test',
      command: 'recflow auth youtube',
      clock,
      timeoutMs: 5_000,
      authorizeUrl: ({ redirectUri, state, codeChallenge }) => `https://auth.example/authorize?${new URLSearchParams({ redirect_uri: redirectUri, state, code_challenge: codeChallenge })}`,
    },
    io,
    async (callback) => callback,
  )
  run.catch(() => undefined)
  return { run, urlSeen }
}

describe('browserSignIn', () => {
  it('hands the code, the callback parameters and the PKCE verifier of the announced challenge to complete', async () => {
    const { run, urlSeen } = harness({ now: () => new Date() })
    const url = await urlSeen
    const q = url.searchParams
    const res = await fetch(`${q.get('redirect_uri')}?code=abc&state=${q.get('state')}&device_id=dev-1`)
    expect(res.status).toBe(200)
    const callback = await run
    expect(callback.code).toBe('abc')
    expect(callback.params.get('device_id')).toBe('dev-1')
    expect(pkceChallenge(callback.codeVerifier)).toBe(q.get('code_challenge'))
    expect(callback.redirectUri).toBe(q.get('redirect_uri'))
  })

  it('refuses an answer that comes after the state expired (10 minutes)', async () => {
    let now = Date.parse('2026-01-01T10:00:00Z')
    const { run, urlSeen } = harness({ now: () => new Date(now) })
    const q = (await urlSeen).searchParams
    now += STATE_TTL_MS + 1000
    const res = await fetch(`${q.get('redirect_uri')}?code=abc&state=${q.get('state')}`)
    expect(res.status).toBe(400)
    await expect(run).rejects.toMatchObject({ code: 'auth', message: expect.stringContaining('state expired') })
  })

  it('--manual: pasted text that is not the redirect URL is a usage error naming what to paste', async () => {
    const { run } = harness({ now: () => new Date() }, 'hello there')
    await expect(run).rejects.toMatchObject({ code: 'usage', message: expect.stringContaining('not the redirect URL') })
  })

  it('a provider error in the callback (not a denial) is named', async () => {
    const { run, urlSeen } = harness({ now: () => new Date() })
    const q = (await urlSeen).searchParams
    await fetch(`${q.get('redirect_uri')}?error=invalid_scope&error_description=bad+scope&state=${q.get('state')}`)
    await expect(run).rejects.toMatchObject({ code: 'auth', message: expect.stringContaining('invalid_scope (bad scope)') })
  })
})
