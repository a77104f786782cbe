import { afterEach, describe, expect, it } from 'vitest'
import { startYoutubeFake, youtubeTagsLength, type YoutubeFake } from '../../fakes/youtube.js'

/* The YouTube fake rejects what YouTube rejects (API-CONTRACTS.md §B.3–B.9), so the uploader's tests mean something. */

const TOKEN = 'ya29.fake-check'
let fake: YoutubeFake | undefined
afterEach(async () => fake?.close())

const auth = { authorization: `Bearer ${TOKEN}` }
const video = (snippet: Record<string, unknown> = {}, status: Record<string, unknown> = {}) => ({
  snippet: { title: 'A lecture', description: 'About logs', categoryId: '27', ...snippet },
  status: { privacyStatus: 'private', ...status },
})

async function initiate(f: YoutubeFake, body: unknown, headers: Record<string, string> = auth, total = 600_000) {
  const res = await fetch(`${f.url}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json; charset=UTF-8', 'x-upload-content-length': String(total), 'x-upload-content-type': 'video/mp4' },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  const reason = text ? ((JSON.parse(text) as { error?: { errors?: Array<{ reason: string }> } }).error?.errors?.[0]?.reason ?? null) : null
  return { status: res.status, reason, location: res.headers.get('location') }
}

const put = (url: string, range: string, body: Buffer) =>
  fetch(url, { method: 'PUT', headers: { ...auth, 'content-range': range }, body }).then(async (r) => ({ status: r.status, range: r.headers.get('range'), text: await r.text() }))

describe('YouTube fake strictness', () => {
  it('checks the token and the video resource as YouTube does', async () => {
    fake = await startYoutubeFake({ tokens: [TOKEN] })
    expect(await initiate(fake, video(), {})).toMatchObject({ status: 401, reason: 'authError' })
    expect(await initiate(fake, video({ title: 'x'.repeat(101) }))).toMatchObject({ status: 400, reason: 'invalidTitle' })
    expect(await initiate(fake, video({ title: 'a <b> title' }))).toMatchObject({ status: 400, reason: 'invalidTitle' })
    expect(await initiate(fake, video({ title: '' }))).toMatchObject({ status: 400, reason: 'invalidTitle' })
    expect(await initiate(fake, video({ description: 'é'.repeat(2501) }))).toMatchObject({ status: 400, reason: 'invalidDescription' })
    expect(await initiate(fake, video({ categoryId: 'Education' }))).toMatchObject({ status: 400, reason: 'invalidCategoryId' })
    expect(await initiate(fake, video({}, { privacyStatus: 'public', publishAt: '2027-01-01T10:00:00Z' }))).toMatchObject({ status: 400, reason: 'invalidPublishAt' })
    // Tags: commas count, a tag with a space counts its quotes.
    expect(youtubeTagsLength(['Foo-Baz', 'Foo Baz'])).toBe(7 + 1 + 9)
    const tags = Array.from({ length: 50 }, (_, i) => `tag ${String(i).padStart(2, '0')}`) // 50 × 8 + 50 commas (one before the next tag) = 450
    expect(await initiate(fake, video({ tags: [...tags, 'x'.repeat(50)] }))).toMatchObject({ status: 200 }) // 500
    expect(await initiate(fake, video({ tags: [...tags, 'x'.repeat(51)] }))).toMatchObject({ status: 400, reason: 'invalidTags' }) // 501
    expect(fake.sessionsCreated()).toBe(1)
  })

  it('takes chunks only at the committed offset and 256 KiB-aligned, answers status queries and expires sessions', async () => {
    fake = await startYoutubeFake({ tokens: [TOKEN] })
    const { location } = await initiate(fake, video())
    const session = location!
    const total = 600_000
    expect(await put(session, `bytes */${total}`, Buffer.alloc(0))).toMatchObject({ status: 308, range: null })
    expect(await put(session, `bytes 0-99999/${total}`, Buffer.alloc(100_000))).toMatchObject({ status: 400 }) // not a multiple of 262144
    expect(await put(session, `bytes 262144-524287/${total}`, Buffer.alloc(262144))).toMatchObject({ status: 400 }) // not where the session is
    expect(await put(session, `bytes 0-262143/${total + 1}`, Buffer.alloc(262144))).toMatchObject({ status: 400 }) // another total
    expect(await put(session, `bytes 0-262143/${total}`, Buffer.alloc(262144))).toMatchObject({ status: 308, range: 'bytes=0-262143' })
    fake.inject('chunk', { shortRange: 1000 })
    expect(await put(session, `bytes 262144-524287/${total}`, Buffer.alloc(262144))).toMatchObject({ status: 308, range: 'bytes=0-263143' })
    expect(await put(session, `bytes */${total}`, Buffer.alloc(0))).toMatchObject({ status: 308, range: 'bytes=0-263143' })
    const last = await put(session, `bytes 263144-599999/${total}`, Buffer.alloc(total - 263144)) // the last chunk may be any size
    expect(last.status).toBe(201)
    expect(JSON.parse(last.text)).toMatchObject({ kind: 'youtube#video', status: { uploadStatus: 'uploaded', privacyStatus: 'private' } })
    expect(await put(session, `bytes */${total}`, Buffer.alloc(0))).toMatchObject({ status: 200 })
    expect(fake.videos).toHaveLength(1)
    const second = (await initiate(fake, video())).location!
    fake.expireSessions()
    expect(await put(second, `bytes */${total}`, Buffer.alloc(0))).toMatchObject({ status: 404 })
  })

  it('checks thumbnails, playlist items, captions and the quota', async () => {
    fake = await startYoutubeFake({ tokens: [TOKEN], quotaLimit: 1600 + 50, playlists: ['PL1'] })
    const session = (await initiate(fake, video(), auth, 10)).location!
    const id = (JSON.parse((await put(session, 'bytes 0-9/10', Buffer.alloc(10))).text) as { id: string }).id
    const thumb = (type: string, body: Buffer) =>
      fetch(`${fake!.url}/upload/youtube/v3/thumbnails/set?videoId=${id}`, { method: 'POST', headers: { ...auth, 'content-type': type }, body }).then((r) => r.status)
    expect(await thumb('image/jpeg', Buffer.from('not an image'))).toBe(400)
    expect(await thumb('image/jpeg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(2 * 1024 * 1024)]))).toBe(413)
    expect(await thumb('image/gif', Buffer.from([0xff, 0xd8, 0xff, 0]))).toBe(400)
    expect(await thumb('image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0]))).toBe(200)
    const item = (playlistId: string) =>
      fetch(`${fake!.url}/youtube/v3/playlistItems?part=snippet`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ snippet: { playlistId, resourceId: { kind: 'youtube#video', videoId: id } } }),
      }).then((r) => r.status)
    expect(await item('PLnope')).toBe(404)
    expect(await item('PL1')).toBe(403) // 1600 + 50 used: the quota is gone
    const captions = await fetch(`${fake.url}/upload/youtube/v3/captions?part=snippet`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' })
    expect(captions.status).toBe(400)
    expect(fake.quotaUsed).toBe(1650)
  })
})
