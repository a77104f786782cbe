import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startVkIdFake, VK_APP_ID, type VkIdFake } from '../../fakes/vk-id.js'
import { startZoomApiFake, type ZoomApiFake } from '../../fakes/zoom-api.js'
import { startZoomOAuthFake, ZOOM_USER, ZOOM_USER_APP, type ZoomOAuthFake } from '../../fakes/zoom-oauth.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'
import { databaseText, readStoredOAuth } from '../../support/oauth-store.js'
import { runCommandInProcess } from '../../support/run-in-process.js'
import { scriptedBrowser, type ScriptedBrowserOptions } from '../../support/scripted-browser.js'
import { openTestApp } from '../../support/test-app.js'

/*
 * `recflow auth zoom`, `recflow auth vk` (VK ID and --implicit) end to end, in process: the real loopback server,
 * the Zoom OAuth and VK fakes (strict PKCE, registered redirect, single-use codes, device_id, rotating refresh
 * tokens) and the scripted browser following the URL printed on stderr. Then what a refresh and a revoked grant do
 * to the stored credential, as `auth status` and `recflow sync` show it.
 */

let zoom: ZoomOAuthFake
let vk: VkIdFake
/** The recordings API for `recflow sync`: it takes exactly the access tokens the OAuth fake considers valid. */
let zoomApi: ZoomApiFake
let home: string
const printed: string[] = []
const ANY_PORT = 'http://127.0.0.1:0/callback' // a registered loopback URL; port 0 = a free one (tests run in parallel)

beforeAll(async () => {
  zoom = await startZoomOAuthFake()
  vk = await startVkIdFake()
  zoomApi = await startZoomApiFake({ accepts: (t) => zoom.validAccessTokens().includes(t) })
  home = makeTempDir()
})
afterAll(async () => {
  await zoom?.close()
  await vk?.close()
  await zoomApi?.close()
  removeDir(home)
})

const env = () => ({
  RECFLOW_ZOOM_OAUTH_URL: zoom.oauthUrl,
  RECFLOW_ZOOM_API_URL: zoom.apiUrl,
  RECFLOW_VK_ID_URL: vk.idUrl,
  RECFLOW_VK_OAUTH_URL: vk.oauthUrl,
  RECFLOW_VK_API_URL: vk.apiUrl,
  RECFLOW_LOG_LEVEL: 'debug',
})
async function cli(args: string[], opts: { browser?: ScriptedBrowserOptions; stdin?: NodeJS.ReadableStream; recordingsApi?: boolean } = {}) {
  const browser = scriptedBrowser(opts.browser)
  const vars = opts.recordingsApi ? { ...env(), RECFLOW_ZOOM_API_URL: `${zoomApi.url}/v2` } : env()
  const result = await runCommandInProcess(args, { home, env: vars, onStderr: browser.onStderr, stdin: opts.stdin })
  printed.push(result.stdout, result.stderr)
  return { result, browser }
}
const status = async () => (await cli(['auth', 'status', '--json'])).result.json.data as Array<Record<string, any>>
const zoomArgs = ['auth', 'zoom', '--client-id', ZOOM_USER_APP.clientId, '--client-secret', ZOOM_USER_APP.clientSecret, '--redirect-uri', ANY_PORT, '--no-browser']
const withApp = async <T>(fn: (app: Awaited<ReturnType<typeof openTestApp>>) => Promise<T>): Promise<T> => {
  const app = await openTestApp(home, env())
  try {
    return await fn(app)
  } finally {
    await app.close()
  }
}

describe('recflow auth zoom', () => {
  it('signs in with PKCE S256 on the registered loopback URL; the Zoom email is the account; the loopback server then closes', async () => {
    const { result, browser } = await cli([...zoomArgs, '--json'])
    const visit = await browser.visit
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/^Open this URL to sign in: http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?/m)
    const q = visit.signInUrl.searchParams
    expect(q.get('code_challenge_method')).toBe('S256')
    expect(q.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/)
    const exchange = new URLSearchParams(zoom.requests.find((r) => r.path === '/oauth/token')!.body.toString())
    expect(exchange.get('grant_type')).toBe('authorization_code')
    expect(exchange.get('redirect_uri')).toBe(q.get('redirect_uri'))
    expect(exchange.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(result.json.data).toMatchObject({ platform: 'zoom', account: ZOOM_USER.email, grant: 'authorization_code', refreshes: true, needs_reauth: false })
    await expect(fetch(visit.callbackUrl!)).rejects.toThrow()
  })

  it('a declined consent, a wrong state and a bad --redirect-uri each exit with a clear message and store nothing', async () => {
    const before = (await status()).length
    const denied = await cli(zoomArgs, { browser: { consent: 'deny' } })
    expect(denied.result.code).toBe(4)
    expect(denied.result.stderr).toMatch(/declined/)
    const forged = await cli(zoomArgs, {
      browser: { tamper: (u) => (u.searchParams.set('state', 'forged'), u) },
    })
    expect(forged.result.code).toBe(4)
    expect(forged.result.stderr).toMatch(/wrong state/)
    const remote = await cli([...zoomArgs.slice(0, -3), '--redirect-uri', 'https://example.com/cb'])
    expect(remote.result.code).toBe(2)
    expect(remote.result.stderr).toMatch(/--redirect-uri must be http:\/\/127\.0\.0\.1/)
    expect((await status()).length).toBe(before)
  })

  it('refreshes rotate: each new pair is stored before use and the old refresh token is never sent again', async () => {
    const id = (await status()).find((v) => v.platform === 'zoom')!.id as number
    await withApp(async (app) => {
      const auth = await app.service('auth')
      const first = (await readStoredOAuth(app, id)).secret
      const token = await auth.accessToken(app.localUser, id, 'zoom', { forceRefresh: true })
      const second = (await readStoredOAuth(app, id)).secret
      expect(second.access_token).toBe(token)
      expect(second.refresh_token).not.toBe(first.refresh_token)
      await auth.accessToken(app.localUser, id, 'zoom', { forceRefresh: true })
      expect((await readStoredOAuth(app, id)).secret.refresh_token).not.toBe(second.refresh_token)
    })
    expect(zoom.grants.filter((g) => g === 'refresh_token')).toHaveLength(2)
    expect(zoom.reusedRefreshTokens).toEqual([])
  })

  it('a sync whose token Zoom refuses (401) refreshes once and goes on; after a revoked grant it exits 4 with the hint, auth status says needs re-authorisation, signing in again restores it', async () => {
    const id = (await status()).find((v) => v.platform === 'zoom')!.id as number
    expect((await cli(['sources', 'add', 'zoom', 'lectures', '--credential', String(id)])).result.code).toBe(0)
    const sync = () => cli(['sync', 'lectures'], { recordingsApi: true }).then((r) => r.result)
    expect((await sync()).code).toBe(0)
    zoom.expireAccessTokens() // Zoom ended the token early: 401, one forced refresh, the new pair stored
    const refreshes = zoom.grants.filter((g) => g === 'refresh_token').length
    const ok = await sync()
    expect(ok.code, ok.stderr).toBe(0)
    expect(zoom.grants.filter((g) => g === 'refresh_token')).toHaveLength(refreshes + 1)

    zoom.revoke() // the user removed the app: the token and the refresh token are refused
    const refused = await sync()
    expect(refused.code, refused.stdout + refused.stderr).toBe(4)
    expect(refused.stderr).toContain('recflow auth zoom')
    const text = (await cli(['auth', 'status'])).result
    expect(text.stdout).toContain('needs re-authorisation')
    expect(text.stdout).toContain(`Credential ${id} needs you to sign in again: recflow auth zoom`)
    expect((await status()).find((v) => v.id === id)).toMatchObject({ status: 'needs_reauth', needs_reauth: true })
    const again = (await cli([...zoomArgs, '--json'])).result
    expect(again.code).toBe(0)
    expect(again.json.data).toMatchObject({ id, replaced: true, needs_reauth: false })
    expect((await sync()).code).toBe(0)
    expect(zoom.reusedRefreshTokens).toEqual([])
  })
})

describe('recflow auth vk', () => {
  const vkArgs = ['auth', 'vk', '--app-id', VK_APP_ID, '--redirect-uri', ANY_PORT, '--no-browser']

  it('VK ID: PKCE s256 with a long state; the device_id of the callback is sent in the exchange and kept for refreshes', async () => {
    const { result, browser } = await cli([...vkArgs, '--json'])
    const visit = await browser.visit
    expect(result.code, result.stderr).toBe(0)
    const q = visit.signInUrl.searchParams
    expect(q.get('code_challenge_method')).toBe('s256')
    expect(q.get('scope')).toBe('vkid.personal_info video groups')
    const deviceId = visit.callbackUrl!.searchParams.get('device_id')!
    const exchange = new URLSearchParams(vk.requests.find((r) => r.path === '/oauth2/auth')!.body.toString())
    expect(exchange.get('device_id')).toBe(deviceId)
    expect(result.json.data).toMatchObject({ platform: 'vk', account: 'Pavel Durov', grant: 'authorization_code', refreshes: true })
    await withApp(async (app) => {
      const id = result.json.data.id as number
      expect((await readStoredOAuth(app, id)).secret.extra).toMatchObject({ device_id: deviceId })
      await (await app.service('auth')).accessToken(app.localUser, id, 'vk', { forceRefresh: true })
    })
    const refresh = new URLSearchParams(vk.requests.filter((r) => r.path === '/oauth2/auth').at(-1)!.body.toString())
    expect(refresh.get('grant_type')).toBe('refresh_token')
    expect(refresh.get('device_id')).toBe(deviceId)
  })

  it('--implicit: prints the legacy URL and stores the token from the pasted blank.html address (no refresh token)', async () => {
    const stdin = new PassThrough()
    const browser = scriptedBrowser({ followCallback: false })
    const run = runCommandInProcess(['auth', 'vk', '--app-id', VK_APP_ID, '--implicit', '--no-browser', '--json'], { home, env: env(), onStderr: browser.onStderr, stdin })
    const visit = await browser.visit
    expect(visit.signInUrl.pathname).toBe('/legacy/authorize')
    expect(Object.fromEntries(['response_type', 'redirect_uri', 'scope', 'v'].map((k) => [k, visit.signInUrl.searchParams.get(k)]))).toEqual({
      response_type: 'token',
      redirect_uri: 'https://oauth.vk.com/blank.html',
      scope: 'video,groups,offline',
      v: '5.199',
    })
    stdin.write(`${visit.callbackUrl!.toString()}\n`)
    const result = await run
    printed.push(result.stdout, result.stderr)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain('paste the address of the page VK shows')
    expect(result.json.data).toMatchObject({ platform: 'vk', grant: 'implicit', refreshes: false, expires_at: null, account: 'Pavel Durov' })
  })

  it('--implicit refuses a pasted address of another sign-in (wrong state) and flags that do not apply; nothing stored', async () => {
    const before = (await status()).length
    const stdin = new PassThrough()
    const browser = scriptedBrowser({ followCallback: false })
    const run = runCommandInProcess(['auth', 'vk', '--app-id', VK_APP_ID, '--implicit', '--no-browser'], { home, env: env(), onStderr: browser.onStderr, stdin })
    const visit = await browser.visit
    stdin.write(visit.callbackUrl!.toString().replace(/state=[^&]+/, 'state=someone-elses') + '\n')
    const result = await run
    printed.push(result.stdout, result.stderr)
    expect(result.code).toBe(4)
    expect(result.stderr).toMatch(/not from this sign-in/)
    expect((await cli(['auth', 'vk', '--app-id', VK_APP_ID, '--implicit', '--client-secret', 'x'])).result.code).toBe(2)
    expect((await cli(['auth', 'vk', '--app-id', 'my-app'])).result.code).toBe(2)
    expect((await status()).length).toBe(before)
  })
})

describe('secrets', () => {
  it('no token, code or client secret is in the database file or anything printed', async () => {
    const secrets = [...zoom.issuedTokens, ...vk.issuedTokens, ZOOM_USER_APP.clientSecret]
    expect(secrets.length).toBeGreaterThan(8)
    await withApp(async (app) => {
      const db = databaseText(app)
      for (const s of secrets) expect(db).not.toContain(s)
    })
    const out = printed.join('\n')
    for (const s of secrets) expect(out).not.toContain(s)
  })
})
