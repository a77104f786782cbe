import { randomUploadFiles } from '../../support/upload-files.js'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { VkPublishRequest } from '../../../src/domain/publish/requests.js'
import { fixedClock } from '../../../src/platform/clock.js'
import { resolveServiceUrls } from '../../../src/platform/config.js'
import { silentLogger } from '../../../src/platform/logger.js'
import { createVkUploader } from '../../../src/providers/vk/index.js'
import { TokenRateLimiter, type LimiterTiming } from '../../../src/providers/vk/rate-limit.js'
import { ProviderError, type UploadCheckpoint } from '../../../src/providers/types.js'
import { startVkApiFake, VK_FAKE_TOKEN, type VkApiFake } from '../../fakes/vk-api.js'

/** Virtual time shared by the uploader's limiter and backoff and the fake's per-second limit: sleeping advances it. */
function virtualTiming(): LimiterTiming & { t: number } {
  const timing = {
    t: 1_000_000,
    now: () => timing.t,
    sleep: async (ms: number) => {
      timing.t += ms
    },
  }
  return timing
}

let dir: string
let media: string
let mediaSha: string
let thumb: string
const SIZE = 2 * 1024 * 1024 + 123

beforeAll(() => {
  ;({ dir, media, mediaSha, thumb } = randomUploadFiles('vk-up-', SIZE))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const request = (over: Partial<VkPublishRequest> = {}): VkPublishRequest => ({
  platform: 'vk',
  save: { name: 'Lecture 3: consensus', description: 'Raft and Paxos', group_id: '777', no_comments: '0', repeat: '0', wallpost: '0' },
  ...over,
})

describe('VK uploader against the strict VK fake', () => {
  let fake: VkApiFake
  let timing: ReturnType<typeof virtualTiming>
  let tokenCalls: boolean[]
  afterEach(async () => fake?.close())

  const setup = async (opts: Parameters<typeof startVkApiFake>[0] = {}) => {
    timing = virtualTiming()
    fake = await startVkApiFake({ ...opts, now: () => timing.now() })
    tokenCalls = []
    const env = { urls: resolveServiceUrls({ RECFLOW_VK_API_URL: fake.apiUrl }), logger: silentLogger, clock: fixedClock('2026-12-05T03:00:00Z') }
    return createVkUploader(
      {
        credentialId: 9,
        accessToken: async ({ forceRefresh }) => {
          tokenCalls.push(forceRefresh)
          return VK_FAKE_TOKEN
        },
      },
      env,
      { timing, limiter: new TokenRateLimiter(timing), backoffMs: 1, maxAttempts: 4 },
    )
  }

  const run = async (uploader: Awaited<ReturnType<typeof setup>>, req = request(), checkpoint: UploadCheckpoint = {}) => {
    const checkpoints: UploadCheckpoint[] = []
    const bytes: number[] = []
    const result = await uploader.upload(
      { mediaFile: media, request: req, checkpoint },
      {
        onBytes: (sent) => bytes.push(sent),
        onCheckpoint: async (cp) => {
          // What the uploader hands over must be what the fake already has: the id is stored before any byte.
          checkpoints.push(structuredClone(cp))
        },
      },
    )
    return { result, checkpoints, bytes }
  }

  it('saves the video with the preset parameters, checkpoints the id before the upload, streams the file and places it in the album with the preview', async () => {
    const uploader = await setup()
    const req = request({ album: { albumId: 5, targetId: -777 }, thumbnail: { file: thumb, contentType: 'image/jpeg' } })
    const { result, checkpoints, bytes } = await run(uploader, req)

    expect(fake.live()).toHaveLength(1)
    const video = fake.live()[0]!
    expect(video).toMatchObject({ ownerId: -777, title: 'Lecture 3: consensus', description: 'Raft and Paxos', albums: [5] })
    expect(video.file).toMatchObject({ size: SIZE, sha256: mediaSha })
    expect(video.thumb).toBeDefined()
    const save = fake.calls.find((c) => c.method === 'video.save')!
    expect(save.params).toMatchObject({ ...req.save, v: '5.199' })
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${VK_FAKE_TOKEN}`)

    // The first checkpoint holds the id, the owner and the upload address, and no upload is done yet.
    expect(checkpoints[0]).toMatchObject({ videoId: String(video.id), ownerId: -777, sessionUrl: expect.stringContaining('/upload/video?key=') })
    expect(checkpoints[0]!.done).toEqual([])
    expect(checkpoints.map((c) => c.done)).toContainEqual(['upload'])
    expect(result).toMatchObject({ videoId: String(video.id), url: `https://vk.com/video-777_${video.id}`, warnings: [] })
    expect(result.checkpoint.done).toEqual(['upload', 'album', 'thumbnail'])
    expect(bytes.at(-1)).toBe(SIZE)
    expect(fake.calls.map((c) => c.method)).toEqual(['video.save', 'video.addToAlbum', 'video.getThumbUploadUrl', 'video.saveUploadedThumb'])
  })

  it('given a checkpoint with the upload done, runs only the steps left and never saves another video', async () => {
    const uploader = await setup()
    const first = await run(uploader)
    const again = await run(uploader, request({ album: { albumId: 5, targetId: -777 } }), first.result.checkpoint)
    expect(again.result.videoId).toBe(first.result.videoId)
    expect(fake.live()).toHaveLength(1)
    expect(fake.calls.filter((c) => c.method === 'video.save')).toHaveLength(1)
    expect(fake.uploads).toHaveLength(1)
    expect(again.result.checkpoint.done).toEqual(['upload', 'album'])
  })

  it('counts error 800 (already in the album) as done', async () => {
    const uploader = await setup()
    const req = request({ save: { ...request().save, album_id: '5' }, album: { albumId: 5, targetId: -777 } })
    const { result } = await run(uploader, req)
    expect(result.checkpoint.done).toContain('album')
    expect(fake.live()[0]!.albums).toEqual([5])
  })

  const failure = async (p: Promise<unknown>): Promise<ProviderError> => {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    )
    expect(e).toBeInstanceOf(ProviderError)
    return e as ProviderError
  }

  it('after a connection lost once the last byte was sent, asks video.get and does not send the file again', async () => {
    const uploader = await setup()
    fake.dropAfterUpload()
    const { result } = await run(uploader)
    expect(fake.live()).toHaveLength(1)
    expect(fake.uploads).toEqual([expect.objectContaining({ accepted: true })])
    expect(fake.calls.map((c) => c.method)).toEqual(['video.save', 'video.get'])
    expect(result.checkpoint.done).toEqual(['upload'])
    expect(fake.live()[0]!.file?.sha256).toBe(mediaSha)
  })

  it('a run cut mid-upload resumes from its checkpoint: video.get first, then the stored upload_url, one video in the end', async () => {
    const uploader = await setup()
    fake.inject('POST /upload/video', { drop: true }, { drop: true }, { drop: true }, { drop: true })
    const checkpoints: UploadCheckpoint[] = []
    const e = await failure(uploader.upload({ mediaFile: media, request: request(), checkpoint: {} }, { onCheckpoint: async (cp) => void checkpoints.push(structuredClone(cp)) }))
    expect(e.kind).toBe('transient')
    const saved = checkpoints.at(-1)!
    expect(saved.videoId).toBeDefined()
    expect(saved.done).toEqual([])

    const { result } = await run(uploader, request(), saved)
    expect(result.videoId).toBe(saved.videoId)
    expect(fake.videos).toHaveLength(1)
    expect(fake.live()[0]!.file?.sha256).toBe(mediaSha)
    expect(fake.calls.filter((c) => c.method === 'video.save')).toHaveLength(1)
    expect(fake.calls.at(-1)!.method).toBe('video.get')
  })

  it('a crash after VK received the file but before the checkpoint said so: the next run sees it in video.get and uploads nothing', async () => {
    const uploader = await setup()
    let last: UploadCheckpoint = {}
    const crash = uploader.upload(
      { mediaFile: media, request: request(), checkpoint: {} },
      {
        onCheckpoint: async (cp) => {
          if (cp.done?.includes('upload')) throw new Error('SIGKILL')
          last = structuredClone(cp)
        },
      },
    )
    await expect(crash).rejects.toThrow('SIGKILL')
    const { result } = await run(uploader, request(), last)
    expect(result.videoId).toBe(last.videoId)
    expect(fake.uploads).toHaveLength(1)
    expect(fake.live()).toHaveLength(1)
  })

  it('when VK refuses the stored upload_url, deletes the empty placeholder before saving a new video', async () => {
    const uploader = await setup()
    fake.inject('POST /upload/video', { drop: true }, { drop: true }, { drop: true }, { drop: true })
    let last: UploadCheckpoint = {}
    await failure(uploader.upload({ mediaFile: media, request: request(), checkpoint: {} }, { onCheckpoint: async (cp) => void (last = structuredClone(cp)) }))
    fake.expireUploadUrls()
    const { result } = await run(uploader, request(), last)
    expect(fake.videos).toHaveLength(2)
    expect(fake.videos[0]!.deleted).toBe(true)
    expect(fake.live()).toHaveLength(1)
    expect(result.videoId).toBe(String(fake.live()[0]!.id))
    expect(fake.live()[0]!.file?.sha256).toBe(mediaSha)
  })

  it('never repeats video.save after a lost connection (it may have made a video)', async () => {
    const uploader = await setup()
    fake.inject('POST /method/video.save', { drop: true })
    const e = await failure(run(uploader))
    expect(e.kind).toBe('transient')
    expect(fake.requests.filter((r) => r.path === '/method/video.save')).toHaveLength(1)
  })

  it('error 5: one forced token refresh, then the call goes through; twice: auth with the sign-in hint', async () => {
    const uploader = await setup()
    fake.failNext('video.save', 5)
    await run(uploader)
    expect(tokenCalls).toEqual([false, true])
    expect(fake.live()).toHaveLength(1)

    fake.failNext('video.save', 5)
    fake.failNext('video.save', 5)
    const e = await failure(run(uploader))
    expect(e.kind).toBe('auth')
    expect(e.hint).toContain('recflow auth vk')
    expect(e.message).toContain('credential 9')
    expect(fake.live()).toHaveLength(1)
  })

  it('error 6 is waited out with backoff; 9 and 29 ask the caller to wait; 14 asks to try later; nothing is created', async () => {
    const uploader = await setup()
    fake.failNext('video.save', 6)
    fake.failNext('video.save', 6)
    await run(uploader)
    expect(fake.live()).toHaveLength(1)

    fake.failNext('video.save', 9)
    const flood = await failure(run(uploader))
    expect(flood).toMatchObject({ kind: 'rate_limited', retryAfterMs: 60_000 })

    fake.failNext('video.save', 29)
    const daily = await failure(run(uploader))
    expect(daily.kind).toBe('quota')
    // 03:00 UTC is 06:00 in Moscow: 18 hours to midnight there.
    expect(daily.retryAfterMs).toBe(18 * 3600_000)

    fake.failNext('video.save', 14, { captcha_sid: '123', captcha_img: 'https://vk.com/captcha.php?sid=123' })
    const captcha = await failure(run(uploader))
    expect(captcha.kind).toBe('permanent')
    expect(captcha.message).toMatch(/captcha.*try again later/)
    expect(fake.live()).toHaveLength(1)
  })

  it('a community the user does not administer: access denied naming the community and the rights needed', async () => {
    const uploader = await setup()
    const e = await failure(run(uploader, request({ save: { name: 'x', group_id: '888' } })))
    expect(e.kind).toBe('permanent')
    expect(e.message).toContain('community 888')
    expect(e.message).toMatch(/administrator or editor/)
    expect(e.message).toMatch(/video and groups scopes/)
    expect(fake.videos).toHaveLength(0)
  })

  it('invalid metadata is refused by VK (error 100) as permanent, with what was wrong', async () => {
    const uploader = await setup()
    const e = await failure(run(uploader, request({ save: { name: 'x'.repeat(129) } })))
    expect(e.kind).toBe('permanent')
    expect(e.message).toContain('longer than 128')
  })

  it('keeps to 3 requests a second per token across uploaders sharing the limiter (the fake answers error 6 beyond)', async () => {
    timing = virtualTiming()
    fake = await startVkApiFake({ now: () => timing.now() })
    const env = { urls: resolveServiceUrls({ RECFLOW_VK_API_URL: fake.apiUrl }), logger: silentLogger, clock: fixedClock('2026-12-05T03:00:00Z') }
    const limiter = new TokenRateLimiter(timing)
    // maxAttempts 1: an error 6 would fail the upload, so passing means the fake never saw a 4th call in a second.
    const make = () => createVkUploader({ credentialId: 9, accessToken: async () => VK_FAKE_TOKEN }, env, { timing, limiter, backoffMs: 1, maxAttempts: 1 })
    const req = request({ album: { albumId: 5, targetId: -777 }, thumbnail: { file: thumb, contentType: 'image/jpeg' } })
    await Promise.all([0, 1, 2].map(() => make().upload({ mediaFile: media, request: req, checkpoint: {} }, { onCheckpoint: async () => {} })))
    expect(fake.calls).toHaveLength(12)
    const times = fake.calls.map((c) => c.at)
    for (let i = 3; i < times.length; i++) expect(times[i]! - times[i - 3]!).toBeGreaterThanOrEqual(1000)
    expect(fake.live()).toHaveLength(3)
  })
})
