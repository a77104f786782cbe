import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
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
const SIZE = 3 * 1024 * 1024 + 123

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-up-'))
  media = path.join(dir, 'lecture.mp4')
  const bytes = crypto.randomBytes(SIZE)
  fs.writeFileSync(media, bytes)
  mediaSha = crypto.createHash('sha256').update(bytes).digest('hex')
  thumb = path.join(dir, 'poster.jpg')
  fs.writeFileSync(thumb, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(2000)]))
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
})
