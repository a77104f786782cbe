import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { App } from '../../../src/app.js'
import type { Recording } from '../../../src/db/index.js'
import { listAll } from '../../../src/services/paging.js'
import { startZoomApiFake, zoomMeeting, zoomRateLimited, ZOOM_ME, ZOOM_TEST_TOKEN, type ZoomApiFake } from '../../fakes/zoom-api.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'
import { openTestApp } from '../../support/test-app.js'
import { seedZoomCredential } from '../../support/zoom.js'
import { seedOAuthCredential } from '../../support/oauth.js'
import { startZoomOAuthFake, ZOOM_S2S_APP, type ZoomOAuthFake } from '../../fakes/zoom-oauth.js'

// Zoom sources synced in-process against the Zoom fake over real HTTP (API-CONTRACTS.md §A.4, A.5, A.9).

let zoom: ZoomApiFake
let oauth: ZoomOAuthFake
let home: string
let app: App

beforeEach(async () => {
  oauth = await startZoomOAuthFake()
  // The API takes the tests' own token and whatever the OAuth fake has issued and still holds valid.
  zoom = await startZoomApiFake({
    users: [ZOOM_ME, { id: 'alice-id', email: 'alice@example.edu' }],
    accepts: (t) => t === ZOOM_TEST_TOKEN || oauth.validAccessTokens().includes(t),
  })
  home = makeTempDir()
  app = await openTestApp(home, { RECFLOW_ZOOM_API_URL: `${zoom.url}/v2`, RECFLOW_ZOOM_OAUTH_URL: oauth.oauthUrl })
})
afterEach(async () => {
  await app.close()
  await zoom.close()
  await oauth.close()
  removeDir(home)
})

async function addZoomSource(config: Record<string, unknown>, name = 'lectures') {
  const credential = await seedZoomCredential(app, ZOOM_TEST_TOKEN)
  return (await app.service('sources')).create(app.localUser, { name, platform: 'zoom', credential_id: credential, config })
}

const sync = async (sources?: string[]) => (await app.service('sync')).sync(app.localUser, sources ? { sources } : {})
const scope = async () => (await import('../../../src/db/index.js')).forUser(app.database.db, app.localUser.id)
const recordings = async (): Promise<Recording[]> => listAll(async (page) => (await scope()).recordings.list({ includeDeleted: true }, page))
const byKey = async (uuid: string) => (await recordings()).find((r) => r.source_key === uuid)
const metadataOf = async (id: number) => (await (await scope()).sourceMetadata.getByRecording(id))?.metadata as Record<string, any>

describe('syncing a Zoom source', () => {
  it('lists a year in one-month windows of 300-meeting pages, and a re-sync creates nothing', async () => {
    const meetings = Array.from({ length: 350 }, (_, i) =>
      zoomMeeting({ topic: `Algebra ${i}`, startTime: new Date(Date.UTC(2024, 0, 1) + (i % 366) * 86_400_000 + 36_000_000).toISOString(), seed: 1000 + i }),
    )
    // 300 more in March: two pages in that window.
    meetings.push(...Array.from({ length: 300 }, (_, i) => zoomMeeting({ topic: `Busy ${i}`, startTime: `2024-03-${String((i % 28) + 1).padStart(2, '0')}T09:00:00Z`, seed: 5000 + i })))
    zoom.addMeetings('me', meetings)
    await (await app.service('templates')).create(app.localUser, { name: 'Algebra', matching_rules: { keywords: ['algebra'] } })
    await addZoomSource({ from: '2024-01-01', to: '2024-12-31' })

    const first = (await sync()).sources[0]!
    expect(first).toMatchObject({ status: 'synced', found: 650, created: 650, matched: 350, skipped: 300, failed: 0 })
    const windows = new Set(zoom.listings.map((l) => `${l.from}..${l.to}`))
    expect(windows.size).toBe(12)
    expect([...windows]).toContain('2024-03-01..2024-03-31')
    expect(zoom.listings.every((l) => l.pageSize === 300)).toBe(true)
    // March: 31 of the spread meetings and the 300 busy ones, so a page of 300 and the rest with its page token.
    expect(zoom.listings.filter((l) => l.from === '2024-03-01').map((l) => [l.returned, l.pageToken === null])).toEqual([[300, true], [31, false]])

    const again = (await sync()).sources[0]!
    expect(again).toMatchObject({ found: 650, created: 0, changed: 0, unchanged: 650 })
    expect(await recordings()).toHaveLength(650)
  })

  it('chooses the file per meeting, keeps transcript and chat, and stores everything Zoom said', async () => {
    const shared = zoomMeeting({ topic: 'Shared', startTime: '2024-12-02T10:00:00Z', files: ['gallery_view', 'active_speaker', 'shared_screen_with_speaker_view', 'audio_only', 'audio_transcript', 'chat_file', 'timeline'] })
    const speaker = zoomMeeting({ topic: 'Speaker', startTime: '2024-12-03T10:00:00Z', files: ['gallery_view', 'active_speaker', 'audio_only'] })
    const gallery = zoomMeeting({ topic: 'Gallery', startTime: '2024-12-04T10:00:00Z', files: ['audio_only', 'gallery_view'] })
    const anyMp4 = zoomMeeting({ topic: 'Screen', startTime: '2024-12-05T10:00:00Z', files: ['audio_only', 'shared_screen'] })
    const audio = zoomMeeting({ topic: 'Audio', startTime: '2024-12-06T10:00:00Z', files: ['audio_only', 'audio_transcript'] })
    const chatOnly = zoomMeeting({ topic: 'Chat only', startTime: '2024-12-07T10:00:00Z', files: ['chat_file'] })
    zoom.addMeetings('me', [shared, speaker, gallery, anyMp4, audio, chatOnly])
    await addZoomSource({ from: '2024-12-01', to: '2024-12-31' })

    const summary = (await sync()).sources[0]!
    expect(summary).toMatchObject({ created: 6, failed: 1 })
    const chosen = async (m: typeof shared) => (await metadataOf((await byKey(m.uuid))!.id)).media_file?.recordingType ?? null
    expect(await chosen(shared)).toBe('shared_screen_with_speaker_view')
    expect(await chosen(speaker)).toBe('active_speaker')
    expect(await chosen(gallery)).toBe('gallery_view')
    expect(await chosen(anyMp4)).toBe('shared_screen')
    expect(await chosen(audio)).toBe('audio_only')
    expect(await chosen(chatOnly)).toBeNull()
    expect(await byKey(chatOnly.uuid)).toMatchObject({ failed: true, failed_stage: 'DOWNLOAD', status: 'SKIPPED' })

    const rec = (await byKey(shared.uuid))!
    expect(rec).toMatchObject({ display_name: 'Shared', start_time: '2024-12-02T10:00:00.000Z', size_bytes: shared.recording_files[2]!.file_size })
    const meta = await metadataOf(rec.id)
    expect(meta.extra_files.map((f: { fileType: string }) => f.fileType).sort()).toEqual(['CHAT', 'TRANSCRIPT'])
    expect(meta.media_file.downloadUrl).toBe(shared.recording_files[2]!.download_url)
    expect(meta.meeting).toEqual(JSON.parse(JSON.stringify(shared)))
    expect(meta).toMatchObject({ kind: 'zoom_meeting', zoom_user: 'me', meeting_uuid: shared.uuid })
  })

  it('keeps a meeting Zoom still processes as PENDING_SOURCE and a later sync picks it up, by UUID when the listing no longer shows it', async () => {
    const slashUuid = '/ajXp112QmuoKj4854875=='
    const pending = zoomMeeting({ topic: 'Algebra late', startTime: '2024-12-10T10:00:00Z', uuid: slashUuid, files: [{ kind: 'shared_screen_with_speaker_view', status: 'processing' }, 'audio_only'] })
    zoom.addMeetings('me', [pending])
    await (await app.service('templates')).create(app.localUser, { name: 'Algebra', matching_rules: { keywords: ['algebra'] } })
    const source = await addZoomSource({ from: '2024-12-01', to: '2024-12-31' })

    expect((await sync()).sources[0]).toMatchObject({ created: 1, pending: 1, matched: 0 })
    const waiting = (await byKey(slashUuid))!
    expect(waiting).toMatchObject({ status: 'PENDING_SOURCE', template_id: null })
    expect(await (await app.service('pipeline')).run(app.localUser, { recordingId: waiting.id }).catch((e: unknown) => e)).toMatchObject({ code: 'conflict' })
    expect((await sync()).sources[0]).toMatchObject({ created: 0, unchanged: 1, pending: 1 })

    // Zoom finishes; the source's range no longer covers the meeting: it is fetched by its (double-encoded) UUID.
    zoom.meeting(slashUuid)!.recording_files[0]!.status = 'completed'
    await (await app.service('sources')).update(app.localUser, source.id, { config: { from: '2024-12-20', to: '2024-12-31' } })
    const later = (await sync()).sources[0]!
    expect(later).toMatchObject({ created: 0, changed: 1, ready: 1, pending: 0 })
    expect(zoom.requests.some((r) => r.path === `/v2/meetings/${encodeURIComponent(encodeURIComponent(slashUuid))}/recordings`)).toBe(true)
    const ready = (await byKey(slashUuid))!
    expect(ready).toMatchObject({ id: waiting.id, status: 'INITIALIZED', is_mapped: true })
    expect((await metadataOf(ready.id)).pending).toBeUndefined()
    expect(await recordings()).toHaveLength(1)
  })

  it("lists the range a sync asks for (POST /sources/{id}/sync {from, to}) instead of the source config's", async () => {
    zoom.addMeetings('me', [zoomMeeting({ topic: 'In May', startTime: '2024-05-10T10:00:00Z', seed: 71 }), zoomMeeting({ topic: 'In July', startTime: '2024-07-10T10:00:00Z', seed: 72 })])
    const source = await addZoomSource({ from: '2024-01-01', to: '2024-12-31' })
    const result = (await (await app.service('sync')).sync(app.localUser, { sourceIds: [source.id], from: '2024-05-01', to: '2024-05-31' })).sources[0]
    expect(result).toMatchObject({ status: 'synced', found: 1, created: 1 })
    expect([...new Set(zoom.listings.map((l) => `${l.from}..${l.to}`))]).toEqual(['2024-05-01..2024-05-31'])
    expect((await recordings()).map((r) => r.display_name)).toEqual([expect.stringContaining('In May')])
  })

  it('lists every configured user', async () => {
    zoom.addMeetings('me', [zoomMeeting({ topic: 'Mine', startTime: '2024-12-02T10:00:00Z' })])
    zoom.addMeetings('alice@example.edu', [zoomMeeting({ topic: 'Alice’s', startTime: '2024-12-03T10:00:00Z' })])
    await addZoomSource({ users: ['me', 'alice@example.edu'], from: '2024-12-01', to: '2024-12-31' })
    expect((await sync()).sources[0]).toMatchObject({ created: 2 })
    expect(new Set(zoom.listings.map((l) => l.user))).toEqual(new Set([ZOOM_ME.id, 'alice-id']))
  })

  it('waits what Retry-After says on a 429 and then goes on', async () => {
    zoom.addMeetings('me', [zoomMeeting({ topic: 'One', startTime: '2024-12-02T10:00:00Z' })])
    await addZoomSource({ from: '2024-12-01', to: '2024-12-31' })
    zoom.inject('GET /v2/users', zoomRateLimited(1))
    const started = Date.now()
    expect((await sync()).sources[0]).toMatchObject({ status: 'synced', created: 1 })
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
  })

  it('asks once for a fresh token on a 401 and goes on with it (Server-to-Server: a new account token)', async () => {
    zoom.addMeetings('me', [zoomMeeting({ topic: 'One', startTime: '2024-12-02T10:00:00Z' })])
    const credential = await seedOAuthCredential(app, {
      platform: 'zoom',
      grant: 'account_credentials',
      accountId: ZOOM_S2S_APP.accountId,
      accessToken: ZOOM_TEST_TOKEN,
      refreshToken: null,
      expiresAt: new Date(Date.now() + 3_600_000),
      clientId: ZOOM_S2S_APP.clientId,
      clientSecret: ZOOM_S2S_APP.clientSecret,
      accountName: 's2s',
    })
    await (await app.service('sources')).create(app.localUser, { name: 'lectures', platform: 'zoom', credential_id: credential, config: { from: '2024-12-01', to: '2024-12-31' } })
    zoom.expireToken(ZOOM_TEST_TOKEN) // Zoom says no before the stored expiry
    expect((await sync(['lectures'])).sources[0]).toMatchObject({ status: 'synced', created: 1 })
    const listed = zoom.requests.filter((r) => r.path === '/v2/users/me/recordings')
    expect(listed.map((r) => r.headers.authorization === `Bearer ${ZOOM_TEST_TOKEN}`)).toEqual([true, false])
    expect(oauth.grants).toEqual(['account_credentials'])
  })

  it('fails with the sign-in hint (exit 4) when the fresh token is refused too, and writes nothing', async () => {
    zoom.addMeetings('me', [zoomMeeting({ topic: 'One', startTime: '2024-12-02T10:00:00Z' })])
    await addZoomSource({ from: '2024-12-01', to: '2024-12-31' })
    zoom.expireToken(ZOOM_TEST_TOKEN)
    // The stored refresh token is not one the OAuth fake issued: the refresh is refused, the grant needs signing in.
    const err = await sync(['lectures']).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'auth', hint: expect.stringMatching(/recflow auth zoom/) })
    expect(JSON.stringify(err)).not.toContain(ZOOM_TEST_TOKEN)
    expect(await recordings()).toHaveLength(0)
    expect(zoom.requests.filter((r) => r.path === '/v2/users/me/recordings')).toHaveLength(1)
  })
})

