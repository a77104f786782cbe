import { randomUploadFiles } from '../../support/upload-files.js'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { YoutubePublishRequest } from '../../../src/domain/publish/requests.js'
import { fixedClock } from '../../../src/platform/clock.js'
import { resolveServiceUrls } from '../../../src/platform/config.js'
import { silentLogger } from '../../../src/platform/logger.js'
import { createYoutubeUploader } from '../../../src/providers/youtube/index.js'
import { ProviderError, type UploadCheckpoint } from '../../../src/providers/types.js'
import { startYoutubeFake, type YoutubeFake } from '../../fakes/youtube.js'

const CHUNK = 256 * 1024
const SIZE = 3 * 1024 * 1024 + 12_345 // 13 chunks, the last one short
const TOKEN = 'ya29.test-access-token'
const FRESH = 'ya29.refreshed-token'

let dir: string
let media: string
let mediaSha: string
let fake: YoutubeFake | undefined

beforeAll(() => {
  ;({ dir, media, mediaSha } = randomUploadFiles('recflow-ytup-', SIZE))
  fs.writeFileSync(path.join(dir, 'captions.srt'), '1\n00:00:00,000 --> 00:00:02,000\nHello\n')
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

const request = (extra: Partial<YoutubePublishRequest> = {}): YoutubePublishRequest => ({
  platform: 'youtube',
  insert: {
    query: { part: 'snippet,status', notifySubscribers: false },
    body: {
      snippet: { title: 'Lecture 3: consensus', description: 'Raft and Paxos', tags: ['raft', 'distributed systems'], categoryId: '27' },
      status: { privacyStatus: 'private', publishAt: '2027-01-01T10:00:00Z', selfDeclaredMadeForKids: false },
    },
  },
  ...extra,
})

async function start(opts: Parameters<typeof startYoutubeFake>[0] = {}) {
  fake = await startYoutubeFake({ tokens: [TOKEN], ...opts })
  const refreshes: number[] = []
  const google = { refreshWorks: true }
  let current = TOKEN
  const uploader = createYoutubeUploader(
    {
      credentialId: 7,
      chunkBytes: CHUNK,
      accessToken: async ({ forceRefresh }) => {
        if (forceRefresh) {
          refreshes.push(1)
          current = FRESH
          if (google.refreshWorks) fake!.tokens.add(FRESH)
        }
        return current
      },
    },
    { urls: resolveServiceUrls(fake.env), logger: silentLogger, clock: fixedClock('2026-12-05T03:00:00Z') },
    { retryBaseMs: 1, stallTimeoutMs: 5000 },
  )
  const saved: UploadCheckpoint[] = []
  const control = { onCheckpoint: async (c: UploadCheckpoint) => void saved.push(c) }
  return { fake, uploader, saved, control, refreshes, google }
}

const resent = (f: YoutubeFake) => f.chunkBytesReceived() - SIZE

describe('YouTube resumable uploader against the strict fake', () => {
  it('uploads in 256 KiB chunks, persisting the session first, each committed offset, then the video id, and runs the follow-up steps', async () => {
    const { fake, uploader, saved } = await start({ playlists: ['PLlectures'] })
    const bytes: number[] = []
    const result = await uploader.upload(
      {
        mediaFile: media,
        request: request({
          thumbnail: { file: path.join(dir, 'thumb.jpg'), contentType: 'image/jpeg' },
          playlist: { playlistId: 'PLlectures' },
          captions: { file: path.join(dir, 'captions.srt'), language: 'en', name: 'English' },
        }),
        checkpoint: {},
      },
      { onCheckpoint: async (c) => void saved.push(c), onBytes: (sent) => bytes.push(sent) },
    )
    expect(fake.videos).toHaveLength(1)
    const video = fake.videos[0]!
    expect(result).toMatchObject({ videoId: video.id, url: `https://www.youtube.com/watch?v=${video.id}`, warnings: [] })
    expect(await video.sha256()).toBe(mediaSha)
    expect(video.resource.snippet).toMatchObject({ title: 'Lecture 3: consensus', categoryId: '27' })
    expect(video.notifySubscribers).toBe(false)
    expect(video.thumbnail).toMatchObject({ contentType: 'image/jpeg' })
    expect(video.captions).toEqual([{ language: 'en', name: 'English', bytes: expect.any(Number) }])
    expect(fake.playlists.get('PLlectures')).toEqual([video.id])
    expect(saved[0]).toMatchObject({ sessionUrl: expect.stringContaining('upload_id='), committedBytes: 0, totalBytes: SIZE })
    const offsets = saved.filter((c) => !c.videoId).map((c) => c.committedBytes)
    expect(offsets).toEqual(Array.from({ length: 13 }, (_, i) => i * CHUNK))
    const withId = saved.findIndex((c) => c.videoId)
    expect(saved[withId]).toMatchObject({ videoId: video.id, done: ['upload'] })
    expect(saved.at(-1)!.done).toEqual(['upload', 'thumbnail', 'playlist', 'captions'])
    expect(resent(fake)).toBe(0)
    expect(bytes.at(-1)).toBe(SIZE)
    expect(fake.quotaUsed).toBe(1600 + 50 + 50 + 400)
  })

  it('trusts a 308 that kept fewer bytes than were sent and resends from there', async () => {
    const { fake, uploader, control } = await start()
    fake.inject('chunk', { shortRange: 1000 })
    await uploader.upload({ mediaFile: media, request: request(), checkpoint: {} }, control)
    expect(await fake.videos[0]!.sha256()).toBe(mediaSha)
    expect(resent(fake)).toBe(CHUNK - 1000)
    expect(fake.log.filter((e) => e.route === 'chunk')[1]).toMatchObject({ start: 1000, end: 1000 + CHUNK })
  })

  it('after a connection dropped mid-chunk, a 503 and a dropped status query, asks the session before resending', async () => {
    const { fake, uploader, control } = await start()
    fake.inject('chunk', { drop: 'mid-chunk' }, { status: 503 })
    fake.inject('status', { drop: 'now' })
    await uploader.upload({ mediaFile: media, request: request(), checkpoint: {} }, control)
    const routes = fake.log.map((e) => `${e.route}:${e.status}`)
    expect(routes.slice(0, 6)).toEqual(['init:200', 'chunk:dropped', 'status:dropped', 'status:308', 'chunk:503', 'status:308'])
    expect(fake.videos).toHaveLength(1)
    expect(await fake.videos[0]!.sha256()).toBe(mediaSha)
    expect(resent(fake)).toBe(CHUNK / 2)
  })

  it('starts a new session when the old one is gone (404), clearing the session from the checkpoint first', async () => {
    const { fake, uploader, saved, control } = await start()
    let expired = false
    await uploader.upload(
      { mediaFile: media, request: request(), checkpoint: {} },
      {
        onCheckpoint: async (c) => {
          await control.onCheckpoint(c)
          if (!expired && (c.committedBytes ?? 0) >= 4 * CHUNK) {
            expired = true
            fake.expireSessions()
          }
        },
      },
    )
    expect(fake.sessionsCreated()).toBe(2)
    expect(fake.videos).toHaveLength(1)
    expect(await fake.videos[0]!.sha256()).toBe(mediaSha)
    const cleared = saved.findIndex((c) => c.sessionUrl === undefined)
    expect(saved[cleared]).toMatchObject({ committedBytes: 0 })
    expect(saved[cleared + 1]!.sessionUrl).not.toBe(saved[0]!.sessionUrl)
  })

  it('resumes a crashed upload from its checkpoint: status query first, at most one chunk re-sent, one session, one video', async () => {
    const { fake, uploader, saved } = await start()
    const crash = new Error('SIGKILL')
    await expect(
      uploader.upload(
        { mediaFile: media, request: request(), checkpoint: {} },
        {
          onCheckpoint: async (c) => {
            if ((c.committedBytes ?? 0) >= 8 * CHUNK) throw crash // the process dies before this one is stored
            saved.push(c)
          },
        },
      ),
    ).rejects.toBe(crash)
    const persisted = saved.at(-1)!
    expect(persisted.committedBytes).toBe(7 * CHUNK)
    const before = fake.chunkBytesReceived()
    const logged = fake.log.length
    const result = await uploader.upload({ mediaFile: media, request: request(), checkpoint: persisted }, { onCheckpoint: async () => {} })
    expect(fake.log[logged]).toMatchObject({ route: 'status', status: 308 })
    expect(fake.log[logged + 1]).toMatchObject({ route: 'chunk', start: 8 * CHUNK })
    expect(fake.chunkBytesReceived() - before).toBe(SIZE - 8 * CHUNK)
    expect(resent(fake)).toBeLessThanOrEqual(CHUNK)
    expect(fake.sessionsCreated()).toBe(1)
    expect(fake.videos.map((v) => v.id)).toEqual([result.videoId])
    expect(await fake.videos[0]!.sha256()).toBe(mediaSha)
  })

  it('when the last chunk was kept but its answer lost, the status query yields the video: never a second upload', async () => {
    const { fake, uploader, saved, control } = await start()
    // Let 12 chunks through, then drop the connection after the server has taken the 13th (the last).
    let chunks = 0
    const result = await uploader.upload(
      { mediaFile: media, request: request(), checkpoint: {} },
      {
        onCheckpoint: async (c) => {
          await control.onCheckpoint(c)
          if (!c.videoId && ++chunks === 13) fake.inject('chunk', { drop: 'after-commit' })
        },
      },
    )
    expect(fake.log.slice(-2).map((e) => `${e.route}:${e.status}`)).toEqual(['chunk:dropped', 'status:200'])
    expect(fake.videos).toHaveLength(1)
    expect(result.videoId).toBe(fake.videos[0]!.id)
    expect(saved.at(-1)).toMatchObject({ videoId: result.videoId, done: ['upload'] })
    // The same after a crash at that moment: the stored session is asked first and gives the video.
    const again = await uploader.upload({ mediaFile: media, request: request(), checkpoint: saved.find((c) => c.committedBytes === 12 * CHUNK)! }, control)
    expect(again.videoId).toBe(result.videoId)
    expect(fake.videos).toHaveLength(1)
    expect(fake.sessionsCreated()).toBe(1)
  })

  it('with a video id in the checkpoint uploads nothing and runs only the steps not done', async () => {
    const { fake, uploader, control } = await start({ playlists: ['PL1'] })
    const first = await uploader.upload({ mediaFile: media, request: request(), checkpoint: {} }, control)
    const logged = fake.log.length
    const result = await uploader.upload(
      {
        mediaFile: media,
        request: request({ thumbnail: { file: path.join(dir, 'thumb.jpg'), contentType: 'image/jpeg' }, playlist: { playlistId: 'PL1' } }),
        checkpoint: { videoId: first.videoId, done: ['upload', 'thumbnail'] },
      },
      control,
    )
    expect(fake.log.slice(logged).map((e) => e.route)).toEqual(['playlist'])
    expect(result.checkpoint.done).toEqual(['upload', 'thumbnail', 'playlist'])
    expect(fake.videos).toHaveLength(1)
  })

  it('a failing step throws after the upload is recorded; the next attempt runs only that step', async () => {
    const { fake, uploader, saved, control } = await start({ playlists: [] })
    const req = request({ playlist: { playlistId: 'PLmissing' } })
    const err = await uploader.upload({ mediaFile: media, request: req, checkpoint: {} }, control).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ProviderError)
    expect(err).toMatchObject({ kind: 'not_found', message: expect.stringContaining('playlistNotFound') })
    fake.playlists.set('PLmissing', [])
    const logged = fake.log.length
    await uploader.upload({ mediaFile: media, request: req, checkpoint: saved.at(-1)! }, control)
    expect(fake.log.slice(logged).map((e) => e.route)).toEqual(['playlist'])
    expect(fake.videos).toHaveLength(1)
  })

  it('refreshes the token once on 401, and fails auth with the sign-in hint when the fresh one is refused too', async () => {
    const { fake, uploader, refreshes, control, google } = await start()
    fake.expireTokens()
    await uploader.upload({ mediaFile: media, request: request(), checkpoint: {} }, control)
    expect(refreshes).toHaveLength(1)
    expect(fake.videos).toHaveLength(1)
    fake.expireTokens()
    google.refreshWorks = false
    const err = await uploader.upload({ mediaFile: media, request: request(), checkpoint: {} }, control).catch((e: unknown) => e)
    expect(err).toMatchObject({ kind: 'auth', hint: expect.stringContaining('recflow auth youtube') })
    expect(refreshes).toHaveLength(2)
  })

  it('quotaExceeded and uploadLimitExceeded stop with kind quota until midnight Pacific', async () => {
    const { fake, uploader, control } = await start({ quotaLimit: 1000 })
    const err = await uploader.upload({ mediaFile: media, request: request(), checkpoint: {} }, control).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ProviderError)
    expect(err).toMatchObject({ kind: 'quota', retryAfterMs: 5 * 3600_000, message: expect.stringContaining('2026-12-05T08:00:00.000Z') })
    fake.quotaLimit = 10_000
    fake.inject('init', { status: 400, reason: 'uploadLimitExceeded', message: 'The user has exceeded the number of videos they may upload.' })
    const limit = await uploader.upload({ mediaFile: media, request: request(), checkpoint: {} }, control).catch((e: unknown) => e)
    expect(limit).toMatchObject({ kind: 'quota', retryAfterMs: 5 * 3600_000 })
    expect(fake.videos).toHaveLength(0)
  })

  it('rejected metadata fails permanently with the reason; a bad chunk size is refused up front', async () => {
    const { uploader, control } = await start()
    const bad = request()
    bad.insert.body.snippet.title = 'x'.repeat(101)
    await expect(uploader.upload({ mediaFile: media, request: bad, checkpoint: {} }, control)).rejects.toMatchObject({ kind: 'permanent', message: expect.stringContaining('invalidTitle') })
    expect(() => createYoutubeUploader({ credentialId: 1, chunkBytes: 1_000_000, accessToken: async () => TOKEN }, { urls: resolveServiceUrls({}), logger: silentLogger, clock: fixedClock('2026-12-05T03:00:00Z') })).toThrow(/multiple of 256 KiB/)
  })

  it('an unverified channel makes the thumbnail a warning, and an existing caption track counts as done', async () => {
    const { fake, uploader, control } = await start({ channelVerified: false })
    const req = request({ thumbnail: { file: path.join(dir, 'thumb.jpg'), contentType: 'image/jpeg' }, captions: { file: path.join(dir, 'captions.srt'), language: 'en', name: 'English' } })
    const first = await uploader.upload({ mediaFile: media, request: req, checkpoint: {} }, control)
    expect(first.warnings).toEqual([expect.stringContaining('verified')])
    expect(first.checkpoint.done).toEqual(['upload', 'thumbnail', 'captions'])
    // A retry that does not know the captions were added (lost answer): 409 captionExists is success.
    const again = await uploader.upload({ mediaFile: media, request: req, checkpoint: { videoId: first.videoId, done: ['upload', 'thumbnail'] } }, control)
    expect(fake.log.at(-1)).toMatchObject({ route: 'captions', status: 409 })
    expect(again.checkpoint.done).toContain('captions')
    expect(fake.videos[0]!.captions).toHaveLength(1)
  })
})
