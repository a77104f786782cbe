import crypto from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { vkOAuth, VK_IMPLICIT_SCOPES } from '../../../src/providers/oauth/vk.js'
import { ProviderError } from '../../../src/providers/types.js'
import { startVkIdFake, VK_APP_ID, type VkIdFake } from '../../fakes/vk-id.js'
import { providerEnv } from './transcription-env.js'

const client = { clientId: VK_APP_ID, clientSecret: null }
const redirectUri = 'http://127.0.0.1:53124/callback'

describe('VK ID and legacy VK OAuth against the VK fake (§C.1–C.2)', () => {
  let fake: VkIdFake
  afterEach(async () => fake?.close())
  const vk = () => vkOAuth(providerEnv({ RECFLOW_VK_ID_URL: fake.idUrl, RECFLOW_VK_OAUTH_URL: fake.oauthUrl, RECFLOW_VK_API_URL: fake.apiUrl }))
  const exchange = (a: { code: string; codeVerifier: string; deviceId: string }) =>
    vk().exchange({ code: a.code, codeVerifier: a.codeVerifier, redirectUri, client, extra: { device_id: a.deviceId, state } })
  const state = 's'.repeat(40)

  const signIn = async () => {
    const verifier = crypto.randomBytes(32).toString('base64url')
    const challenge = crypto.createHash('sha256').update(verifier).digest('base64url')
    const res = await fetch(vk().authorizeUrl({ clientId: VK_APP_ID, redirectUri, state, codeChallenge: challenge, scopes: vk().defaultScopes }), { redirect: 'manual' })
    expect(res.status).toBe(302)
    const back = new URL(res.headers.get('location')!)
    return { code: back.searchParams.get('code')!, deviceId: back.searchParams.get('device_id')!, verifier }
  }

  it('exchanges the code with its device_id, names the user, and rotates refresh tokens', async () => {
    fake = await startVkIdFake()
    const { code, deviceId, verifier } = await signIn()
    expect(deviceId).toBe(fake.deviceIds[0])
    const t = await exchange({ code, codeVerifier: verifier, deviceId })
    expect(t).toMatchObject({ extra: { device_id: deviceId, user_id: '1234567' }, scopes: ['vkid.personal_info', 'video', 'groups'] })
    expect(await vk().accountName(t.accessToken)).toBe('Pavel Durov')
    const next = await vk().refresh({ refreshToken: t.refreshToken!, client, extra: { device_id: deviceId } })
    expect(next.refreshToken).not.toBe(t.refreshToken)
    const reuse = await vk().refresh({ refreshToken: t.refreshToken!, client, extra: { device_id: deviceId } }).catch((e: unknown) => e)
    expect(reuse).toBeInstanceOf(ProviderError)
    expect(reuse).toMatchObject({ kind: 'auth', reauth: true })
    expect(fake.reusedRefreshTokens).toEqual([t.refreshToken])
  })

  it('refuses a wrong device_id or verifier, and after revoke() the token and refresh token', async () => {
    fake = await startVkIdFake()
    const a = await signIn()
    await expect(exchange({ code: a.code, codeVerifier: a.verifier, deviceId: 'other-device' })).rejects.toMatchObject({ kind: 'auth' })
    const b = await signIn()
    await expect(exchange({ code: b.code, deviceId: b.deviceId, codeVerifier: 'a'.repeat(43) })).rejects.toMatchObject({ kind: 'auth' })
    const c = await signIn()
    const t = await exchange({ code: c.code, deviceId: c.deviceId, codeVerifier: c.verifier })
    fake.revoke()
    await expect(vk().accountName(t.accessToken)).rejects.toMatchObject({ kind: 'auth' })
    await expect(vk().refresh({ refreshToken: t.refreshToken!, client, extra: { device_id: c.deviceId } })).rejects.toMatchObject({ kind: 'auth', reauth: true })
  })

  it('implicit flow: the pasted blank.html address gives a token; a wrong state or a denial is refused', async () => {
    fake = await startVkIdFake()
    const res = await fetch(vk().implicitUrl!({ clientId: VK_APP_ID, state, scopes: [] }), { redirect: 'manual' })
    const pasted = res.headers.get('location')!
    expect(pasted).toMatch(/^https:\/\/oauth\.vk\.com\/blank\.html#access_token=/)
    const t = vk().implicitTokens!(pasted, state, VK_IMPLICIT_SCOPES)
    expect(t).toMatchObject({ refreshToken: null, expiresAt: null, extra: { user_id: '1234567' } })
    expect(await vk().accountName(t.accessToken)).toBe('Pavel Durov')
    expect(() => vk().implicitTokens!(pasted, 'another-state', [])).toThrow(/not from this sign-in/)
    expect(() => vk().implicitTokens!('not a url', state, [])).toThrow(/not a URL/)
    fake.consent = 'deny'
    const denied = (await fetch(vk().implicitUrl!({ clientId: VK_APP_ID, state, scopes: [] }), { redirect: 'manual' })).headers.get('location')!
    expect(() => vk().implicitTokens!(denied, state, [])).toThrow(/did not grant access/)
  })
})
