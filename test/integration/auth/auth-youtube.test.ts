import fs from 'node:fs'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonResponse } from '../../fakes/fake-http.js'
import { GOOGLE_TEST_CLIENT, startGoogleFake, type GoogleFake } from '../../fakes/google.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'
import { runCommandInProcess } from '../../support/run-in-process.js'
import { databaseText, readStoredOAuth } from '../../support/oauth-store.js'
import { recordingBrowserCommand, scriptedBrowser, type ScriptedBrowserOptions } from '../../support/scripted-browser.js'
import { openTestApp } from '../../support/test-app.js'

/*
 * `recflow auth youtube` and `recflow auth status` end to end, in process: the real loopback server, the Google
 * fake (strict PKCE, redirect_uri, single-use codes) and a scripted browser that follows the URL the command prints
 * on stderr.
 */

let google: GoogleFake
let home: string
let clientFile: string

beforeAll(async () => {
  google = await startGoogleFake()
  home = makeTempDir()
  clientFile = path.join(home, 'client_secret.json')
  fs.writeFileSync(clientFile, JSON.stringify({ installed: { client_id: GOOGLE_TEST_CLIENT.id, client_secret: GOOGLE_TEST_CLIENT.secret, redirect_uris: ['http://localhost'] } }))
})
afterAll(async () => {
  await google?.close()
  removeDir(home)
})

function signIn(args: string[], browserOpts: ScriptedBrowserOptions = {}, extra: { env?: Record<string, string>; stdin?: NodeJS.ReadableStream } = {}) {
  const browser = scriptedBrowser(browserOpts)
  const run = runCommandInProcess(['auth', 'youtube', ...args], { home, env: { ...google.env, ...extra.env }, onStderr: browser.onStderr, stdin: extra.stdin })
  return { browser, run }
}
const status = async () => (await runCommandInProcess(['auth', 'status', '--json'], { home })).json.data as Array<Record<string, any>>
const tokenPosts = () => google.server.requests.filter((r) => r.path === '/token')

describe('recflow auth youtube', () => {
  it('signs in: PKCE S256, offline consent, loopback redirect; stores the channel as the account, tokens only in the secret store; the server then closes', async () => {
    const before = tokenPosts().length
    const { browser, run } = signIn(['--client-secrets', clientFile, '--no-browser', '--json'])
    const result = await run
    const visit = await browser.visit
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/^Open this URL to sign in: http:\/\/127\.0\.0\.1:\d+\/o\/oauth2\/v2\/auth\?/m)
    const q = visit.signInUrl.searchParams
    expect(Object.fromEntries(['response_type', 'access_type', 'prompt', 'code_challenge_method'].map((k) => [k, q.get(k)]))).toEqual({
      response_type: 'code',
      access_type: 'offline',
      prompt: 'consent',
      code_challenge_method: 'S256',
    })
    expect(q.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/)
    expect(q.get('scope')).toContain('https://www.googleapis.com/auth/youtube.upload')
    expect(visit.callbacks).toEqual([expect.objectContaining({ status: 200 })])
    const exchange = new URLSearchParams(tokenPosts()[before]!.body.toString())
    expect(exchange.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(exchange.get('redirect_uri')).toBe(q.get('redirect_uri'))

    const data = result.json.data
    expect(data).toMatchObject({ platform: 'youtube', account: 'Lectures Channel', name: 'Lectures Channel', refreshes: true, needs_reauth: false, replaced: false })
    const app = await openTestApp(home)
    const secrets: string[] = []
    try {
      const stored = await readStoredOAuth(app, data.id)
      secrets.push(stored.secret.access_token, stored.secret.refresh_token!, GOOGLE_TEST_CLIENT.secret)
      expect(google.accepts(stored.secret.access_token)).toBe(true)
      expect(google.refreshTokens.has(stored.secret.refresh_token!)).toBe(true)
      expect(stored.secret.client_secret).toBe(GOOGLE_TEST_CLIENT.secret)
      const db = databaseText(app)
      for (const secret of [stored.secret.access_token, stored.secret.refresh_token!, GOOGLE_TEST_CLIENT.secret]) {
        expect(db).not.toContain(secret)
        expect(result.stdout + result.stderr).not.toContain(secret)
      }
    } finally {
      await app.close()
    }
    // The loopback server is gone.
    await expect(fetch(visit.callbackUrl!)).rejects.toThrow()

    const text = await runCommandInProcess(['auth', 'status'], { home })
    const json = await runCommandInProcess(['auth', 'status', '--json'], { home })
    for (const secret of secrets) expect(text.stdout + json.stdout).not.toContain(secret)
    expect(json.json.data[0]).toMatchObject({ platform: 'youtube', account: 'Lectures Channel', refreshes: true, needs_reauth: false, expires_at: expect.any(String) })
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/youtube\s+Lectures Channel\s+youtube\.upload youtube\.force-ssl\s+\d{4}-\d\d-\d\dT[\d:]+Z\s+yes\s+active/)
  })

  it('declined in the browser: exit 4 with a clear message, the browser told so, nothing stored', async () => {
    const count = (await status()).length
    const { browser, run } = signIn(['--client-id', GOOGLE_TEST_CLIENT.id, '--client-secret', GOOGLE_TEST_CLIENT.secret, '--no-browser'], { consent: 'deny' })
    const result = await run
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('access was declined in the browser')
    expect(result.stderr).toContain('recflow auth youtube')
    expect((await browser.visit).callbacks[0]).toMatchObject({ status: 400, body: expect.stringContaining('declined') })
    expect(await status()).toHaveLength(count)
  })

  it('a callback with a wrong state: exit 4, no code exchanged, nothing stored', async () => {
    const count = (await status()).length
    const posts = tokenPosts().length
    const { browser, run } = signIn(['--client-secrets', clientFile, '--no-browser'], {
      tamper: (u) => {
        u.searchParams.set('state', 'forged-state')
        return u
      },
    })
    const result = await run
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('wrong state')
    expect((await browser.visit).callbacks[0]!.status).toBe(400)
    expect(tokenPosts()).toHaveLength(posts)
    expect(await status()).toHaveLength(count)
  })

  it('a second callback is told the sign-in already has its answer; the first one signs in (same channel: updated in place)', async () => {
    const existing = (await status()).find((s) => s.account === 'Lectures Channel')!
    google.server.inject('POST /token', { delayMs: 400 })
    const { browser, run } = signIn(['--client-secrets', clientFile, '--no-browser', '--json'], { callbacks: 2 })
    const result = await run
    expect(result.code, result.stderr).toBe(0)
    const visit = await browser.visit
    expect(visit.callbacks[0]!.status).toBe(200)
    expect(visit.callbacks[1]).toMatchObject({ status: 409, body: expect.stringContaining('second callback') })
    expect(result.json.data).toMatchObject({ id: existing.id, replaced: true })
  })

  it('no answer within --timeout: exit 4 naming the timeout; the loopback server closes', async () => {
    const browser = scriptedBrowser() // never told the URL: the user walked away
    const result = await runCommandInProcess(['auth', 'youtube', '--client-secrets', clientFile, '--no-browser', '--timeout', '1'], { home, env: google.env })
    browser.onStderr(result.stderr)
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('no answer came from the browser within 1 s')
    const redirect = new URL((await browser.visit).signInUrl.searchParams.get('redirect_uri')!)
    await expect(fetch(redirect)).rejects.toThrow()
  })

  it('--manual takes the redirect URL pasted on stdin (the browser cannot reach the loopback)', async () => {
    const stdin = new PassThrough()
    const { browser, run } = signIn(['--client-secrets', clientFile, '--no-browser', '--manual', '--name', 'remote', '--json'], { followCallback: false }, { stdin })
    const visit = await browser.visit
    stdin.write(`${visit.callbackUrl!.toString()}\n`)
    const result = await run
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain('paste the address')
    expect(result.json.data).toMatchObject({ name: 'remote', account: 'Lectures Channel', refreshes: true })
  })

  it('opens the browser with BROWSER; a browser that cannot be started is only a notice', async () => {
    const opener = recordingBrowserCommand(home)
    const first = signIn(['--client-secrets', clientFile, '--name', 'opened'], {}, { env: { BROWSER: opener.command } })
    expect((await first.run).code).toBe(0)
    expect(opener.urls()).toEqual([(await first.browser.visit).signInUrl.toString()])

    const second = signIn(['--client-secrets', clientFile, '--name', 'no-opener'], {}, { env: { BROWSER: path.join(home, 'no-such-browser') } })
    const result = await second.run
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain('No browser could be opened')
  })

  it('bad input fails before any URL is printed and changes nothing', async () => {
    const count = (await status()).length
    const web = path.join(home, 'web-client.json')
    fs.writeFileSync(web, JSON.stringify({ web: { client_id: 'x.apps.googleusercontent.com', client_secret: 's', redirect_uris: ['https://example.com/cb'] } }))
    fs.writeFileSync(path.join(home, 'not-json.json'), 'hello')
    for (const args of [
      ['--client-secrets', path.join(home, 'missing.json')],
      ['--client-secrets', path.join(home, 'not-json.json')],
      ['--client-secrets', web],
      ['--client-id', GOOGLE_TEST_CLIENT.id],
      ['--client-secrets', clientFile, '--timeout', '0'],
      ['--client-secrets', clientFile, '--name', ' '],
    ]) {
      const result = await runCommandInProcess(['auth', 'youtube', '--no-browser', ...args], { home, env: google.env })
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).not.toContain('Open this URL')
    }
    expect(await status()).toHaveLength(count)
  })

  it('an account without a YouTube channel: a clear error, nothing stored', async () => {
    const count = (await status()).length
    google.channel = null
    try {
      const { run } = signIn(['--client-secrets', clientFile, '--no-browser'])
      const result = await run
      expect(result.code).toBe(5)
      expect(result.stderr).toContain('has no YouTube channel')
    } finally {
      google.channel = { id: 'UC_fake_channel_1', title: 'Lectures Channel' }
    }
    expect(await status()).toHaveLength(count)
  })

  it('a revoked grant shows as needs re-authorisation in auth status; signing in again makes the same credential active', async () => {
    const target = (await status()).find((s) => s.name === 'Lectures Channel')!
    google.revokeAll()
    const app = await openTestApp(home, google.env)
    try {
      const auth = await app.service('auth')
      await expect(auth.accessToken(app.localUser, target.id, 'youtube', { forceRefresh: true })).rejects.toMatchObject({ code: 'auth' })
    } finally {
      await app.close()
    }
    const text = await runCommandInProcess(['auth', 'status'], { home })
    expect(text.stdout).toMatch(new RegExp(`^${target.id}\\s.*needs re-authorisation`, 'm'))
    expect(text.stdout).toContain(`Credential ${target.id} needs you to sign in again: recflow auth youtube`)
    expect((await status()).find((s) => s.id === target.id)).toMatchObject({ needs_reauth: true, status: 'needs_reauth' })

    const { run } = signIn(['--client-secrets', clientFile, '--no-browser'])
    const result = await run
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('updated in place')
    expect((await status()).find((s) => s.id === target.id)).toMatchObject({ needs_reauth: false, status: 'active' })
  })

  it('a code Google refuses (used twice, say): exit 4, nothing stored', async () => {
    const count = (await status()).length
    google.server.inject('POST /token', jsonResponse(400, { error: 'invalid_grant', error_description: 'Bad Request' }))
    const { run } = signIn(['--client-secrets', clientFile, '--no-browser', '--name', 'refused'])
    const result = await run
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('Google refused the authorization code')
    expect(await status()).toHaveLength(count)
  })
})
