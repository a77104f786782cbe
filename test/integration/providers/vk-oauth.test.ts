import crypto from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { parseImplicitRedirect, vkAccountName, vkAuthorizeUrl, vkExchange, vkImplicitUrl, vkRefresh } from '../../../src/providers/oauth/vk.js'
import { ProviderError } from '../../../src/providers/types.js'
import { startVkIdFake, VK_APP_ID, type VkIdFake } from '../../fakes/vk-id.js'
import { providerEnv } from './transcription-env.js'

const client = { clientId: VK_APP_ID, clientSecret: null }
const redirectUri = 'http://127.0.0.1:53124/callback'

describe('VK ID and legacy VK OAuth against the VK fake (§C.1–C.2)', () => {
  let fake: VkIdFake
  afterEach(async () => fake?.close())
  const env = () => providerEnv({ RECFLOW_VK_ID_URL: fake.idUrl, RECFLOW_VK_OAUTH_URL: fake.oauthUrl, RECFLOW_VK_API_URL: fake.apiUrl })
  const state = 's'.repeat(40)

  const signIn = async () => {
    const verifier = crypto.randomBytes(32).toString('base64url')
    const challenge = crypto.createHash('sha256').update(verifier).digest('base64url')
    const res = await fetch(vkAuthorizeUrl(env(), { clientId: VK_APP_ID, redirectUri, state, codeChallenge: challenge }), { redirect: 'manual' })
    expect(res.status).toBe(302)
    const back = new URL(res.headers.get('location')!)
    return { code: back.searchParams.get('code')!, deviceId: back.searchParams.get('device_id')!, verifier }
  }

  it('exchanges the code with its device_id, names the user, and rotates refresh tokens', async () => {
    fake = await startVkIdFake()
    const { code, deviceId, verifier } = await signIn()
    expect(deviceId).toBe(fake.deviceIds[0])
    const t = await vkExchange(env(), { code, codeVerifier: verifier, redirectUri, deviceId, state, client })
    expect(t).toMatchObject({ deviceId, userId: '1234567', scopes: ['vkid.personal_info', 'video', 'groups'] })
    expect(await vkAccountName(env(), t.accessToken)).toBe('Pavel Durov')
    const next = await vkRefresh(env(), { refreshToken: t.refreshToken!, deviceId, client })
    expect(next.refreshToken).not.toBe(t.refreshToken)
    const reuse = await vkRefresh(env(), { refreshToken: t.refreshToken!, deviceId, client }).catch((e: unknown) => e)
    expect(reuse).toBeInstanceOf(ProviderError)
    expect(reuse).toMatchObject({ kind: 'auth' })
    expect(fake.reusedRefreshTokens).toEqual([t.refreshToken])
  })

  it('refuses a wrong device_id or verifier, and after revoke() the token and refresh token', async () => {
    fake = await startVkIdFake()
    const a = await signIn()
    await expect(vkExchange(env(), { ...a, deviceId: 'other-device', redirectUri, state, client })).rejects.toMatchObject({ kind: 'auth' })
    const b = await signIn()
    await expect(vkExchange(env(), { code: b.code, deviceId: b.deviceId, codeVerifier: 'a'.repeat(43), redirectUri, state, client })).rejects.toMatchObject({ kind: 'auth' })
    const c = await signIn()
    const t = await vkExchange(env(), { code: c.code, deviceId: c.deviceId, codeVerifier: c.verifier, redirectUri, state, client })
    fake.revoke()
    await expect(vkAccountName(env(), t.accessToken)).rejects.toMatchObject({ kind: 'auth' })
    await expect(vkRefresh(env(), { refreshToken: t.refreshToken!, deviceId: c.deviceId, client })).rejects.toMatchObject({ kind: 'auth' })
  })

  it('implicit flow: the pasted blank.html address gives a token; a wrong state or a denial is refused', async () => {
    fake = await startVkIdFake()
    const res = await fetch(vkImplicitUrl(env(), { clientId: VK_APP_ID, state }), { redirect: 'manual' })
    const pasted = res.headers.get('location')!
    expect(pasted).toMatch(/^https:\/\/oauth\.vk\.com\/blank\.html#access_token=/)
    const t = parseImplicitRedirect(pasted, state, new Date())
    expect(t).toMatchObject({ refreshToken: null, expiresAt: null, userId: '1234567' })
    expect(await vkAccountName(env(), t.accessToken)).toBe('Pavel Durov')
    expect(() => parseImplicitRedirect(pasted, 'another-state', new Date())).toThrow(/not from this sign-in/)
    expect(() => parseImplicitRedirect('not a url', state, new Date())).toThrow(/not a URL/)
    fake.consent = 'deny'
    const denied = (await fetch(vkImplicitUrl(env(), { clientId: VK_APP_ID, state }), { redirect: 'manual' })).headers.get('location')!
    expect(() => parseImplicitRedirect(denied, state, new Date())).toThrow(/did not grant access/)
  })
})
