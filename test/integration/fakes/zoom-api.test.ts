import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startZoomApiFake, zoomMeeting, zoomRateLimited, ZOOM_TEST_TOKEN, type ZoomApiFake } from '../../fakes/zoom-api.js'

// The Zoom fake refuses what Zoom refuses (API-CONTRACTS.md §A.3–A.5, A.9), so a client that works against it
// splits ranges, follows page tokens and double-encodes slash UUIDs.

describe('Zoom API fake', () => {
  let zoom: ZoomApiFake
  const SLASH_UUID = '/ajXp112QmuoKj4854875=='

  beforeAll(async () => {
    zoom = await startZoomApiFake()
    zoom.addMeetings('me', [
      ...Array.from({ length: 7 }, (_, i) => zoomMeeting({ topic: `Lecture ${i}`, startTime: `2024-03-${String(i + 1).padStart(2, '0')}T10:00:00Z`, seed: 100 + i })),
      zoomMeeting({ topic: 'Slash', startTime: '2024-03-20T10:00:00Z', uuid: SLASH_UUID, seed: 200 }),
    ])
  })
  afterAll(() => zoom.close())

  const get = async (path: string, token = ZOOM_TEST_TOKEN) => {
    const res = await fetch(`${zoom.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> }
  }

  it('refuses an unknown token with 401/124', async () => {
    const r = await get('/v2/users/me/recordings?from=2024-03-01&to=2024-03-31', 'nope')
    expect(r).toMatchObject({ status: 401, body: { code: 124 } })
  })

  it('refuses a range longer than a month and a page size over 300', async () => {
    expect((await get('/v2/users/me/recordings?from=2024-03-01&to=2024-04-02')).body).toMatchObject({ code: 300 })
    expect((await get('/v2/users/me/recordings?from=2024-03-01&to=2024-04-01')).status).toBe(200)
    expect((await get('/v2/users/me/recordings?from=2024-03-01&to=2024-03-31&page_size=301')).status).toBe(400)
  })

  it('pages with next_page_token until it comes back empty, and page tokens expire', async () => {
    const first = await get('/v2/users/me/recordings?from=2024-03-01&to=2024-03-31&page_size=3')
    expect(first.body).toMatchObject({ total_records: 8, page_size: 3 })
    expect((first.body.meetings as unknown[]).length).toBe(3)
    let token = first.body.next_page_token as string
    let seen = 3
    while (token !== '') {
      const page = await get(`/v2/users/me/recordings?next_page_token=${encodeURIComponent(token)}`)
      seen += (page.body.meetings as unknown[]).length
      token = page.body.next_page_token as string
    }
    expect(seen).toBe(8)
    const again = await get('/v2/users/me/recordings?from=2024-03-01&to=2024-03-31&page_size=3')
    zoom.expirePageTokens()
    expect((await get(`/v2/users/me/recordings?next_page_token=${encodeURIComponent(again.body.next_page_token as string)}`)).body).toMatchObject({ code: 300 })
  })

  it('wants a slash UUID double-encoded in paths', async () => {
    const once = encodeURIComponent(SLASH_UUID)
    expect((await get(`/v2/meetings/${once}/recordings`)).body).toMatchObject({ code: 3301 })
    const twice = await get(`/v2/meetings/${encodeURIComponent(once)}/recordings`)
    expect(twice).toMatchObject({ status: 200, body: { uuid: SLASH_UUID, topic: 'Slash' } })
  })

  it('answers an injected 429 with Retry-After, then serves again', async () => {
    zoom.inject('GET /v2/users', zoomRateLimited(2))
    const limited = await get('/v2/users/me/recordings?from=2024-03-01&to=2024-03-31')
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('2')
    expect((await get('/v2/users/me/recordings?from=2024-03-01&to=2024-03-31')).status).toBe(200)
  })

  it('points download_url at the download host and answers 404/1001 for an unknown user', async () => {
    const page = await get('/v2/users/me/recordings?from=2024-03-01&to=2024-03-02')
    const files = (page.body.meetings as Array<{ recording_files: Array<{ download_url: string }> }>)[0]!.recording_files
    expect(files[0]!.download_url.startsWith(`${zoom.url}/rec/download/`)).toBe(true)
    expect((await get('/v2/users/nobody@x.org/recordings')).body).toMatchObject({ code: 1001 })
  })
})
