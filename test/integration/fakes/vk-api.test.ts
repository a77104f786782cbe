import { afterEach, describe, expect, it } from 'vitest'
import { startVkApiFake, VK_FAKE_TOKEN, type VkApiFake } from '../../fakes/vk-api.js'

/* The VK fake is as strict as API-CONTRACTS.md §C.3–C.8 says VK is; these pin what it refuses. */

describe('VK API fake strictness', () => {
  let fake: VkApiFake
  afterEach(async () => fake?.close())

  const call = async (method: string, params: Record<string, string>, token: string | null = VK_FAKE_TOKEN) => {
    const res = await fetch(`${fake.apiUrl}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: new URLSearchParams(params).toString(),
    })
    expect(res.status).toBe(200) // API errors are HTTP 200 too
    return (await res.json()) as { response?: Record<string, unknown>; error?: { error_code: number; error_msg: string; request_params: Array<{ key: string; value: string }> } }
  }

  it('answers errors as HTTP 200 {error}: 8 without v, 5 for an unknown token, 27 for a community token on video.save; never echoes the token', async () => {
    fake = await startVkApiFake({ communityTokens: ['community-token'], perSecond: 0 })
    expect((await call('video.save', { name: 'a' })).error?.error_code).toBe(8)
    const bad = await call('video.save', { name: 'a', v: '5.199', access_token: 'nope' }, null)
    expect(bad.error?.error_code).toBe(5)
    expect(bad.error?.request_params).toEqual(expect.arrayContaining([{ key: 'v', value: '5.199' }]))
    expect(JSON.stringify(bad)).not.toContain('nope')
    expect((await call('video.save', { name: 'a', v: '5.199' }, 'community-token')).error?.error_code).toBe(27)
  })

  it('checks video.save parameters: name length, flags, privacy values, group rights, album existence', async () => {
    fake = await startVkApiFake({ perSecond: 0 })
    const save = (p: Record<string, string>) => call('video.save', { v: '5.199', ...p })
    expect((await save({ name: 'x'.repeat(129) })).error?.error_code).toBe(100)
    expect((await save({ name: 'x', repeat: 'yes' })).error?.error_code).toBe(100)
    expect((await save({ name: 'x', privacy_view: 'everyone' })).error?.error_code).toBe(100)
    expect((await save({ name: 'x', group_id: '-777' })).error?.error_code).toBe(100)
    expect((await save({ name: 'x', group_id: '888' })).error?.error_code).toBe(204)
    expect((await save({ name: 'x', group_id: '777', album_id: '99' })).error?.error_code).toBe(204)
    const ok = await save({ name: 'x', privacy_view: 'friends,list3', group_id: '777', album_id: '5' })
    expect(ok.response).toMatchObject({ owner_id: -777, upload_url: expect.stringContaining('/upload/video?key=') })
    expect(fake.videos).toHaveLength(1)
  })

  it('upload host: video_file required, one upload per address; a placeholder is not listed by video.get until its file came', async () => {
    fake = await startVkApiFake({ perSecond: 0 })
    const saved = (await call('video.save', { v: '5.199', name: 'x' })).response as { upload_url: string; video_id: number; owner_id: number }
    const listed = async () => ((await call('video.get', { v: '5.199', videos: `${saved.owner_id}_${saved.video_id}` })).response as { count: number }).count
    expect(await listed()).toBe(0)
    const wrong = new FormData()
    wrong.set('file', new Blob([Buffer.from('abc')]), 'a.mp4')
    expect((await fetch(saved.upload_url, { method: 'POST', body: wrong })).status).toBe(400)
    const form = new FormData()
    form.set('video_file', new Blob([Buffer.from('video bytes')]), 'a.mp4')
    expect(await (await fetch(saved.upload_url, { method: 'POST', body: form })).json()).toMatchObject({ size: 11, video_id: saved.video_id })
    expect(await (await fetch(saved.upload_url, { method: 'POST', body: form })).json()).toHaveProperty('error')
    expect(await listed()).toBe(1)
  })

  it('answers error 6 past 3 calls a second per token, and injected errors once', async () => {
    let now = 0
    fake = await startVkApiFake({ now: () => now })
    const codes = []
    for (let i = 0; i < 4; i++) codes.push((await call('video.get', { v: '5.199', videos: '1_1' })).error?.error_code)
    expect(codes).toEqual([undefined, undefined, undefined, 6])
    now += 1000
    fake.failNext('video.get', 14, { captcha_sid: '1' })
    const captcha = await call('video.get', { v: '5.199', videos: '1_1' })
    expect(captcha.error).toMatchObject({ error_code: 14, captcha_sid: '1' })
    expect((await call('video.get', { v: '5.199', videos: '1_1' })).error).toBeUndefined()
  })
})
