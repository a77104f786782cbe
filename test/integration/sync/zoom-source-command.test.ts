import path from 'node:path'
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startZoomApiFake, zoomMeeting, type ZoomApiFake } from '../../fakes/zoom-api.js'
import { startZoomOAuthFake, ZOOM_S2S_APP, type ZoomOAuthFake } from '../../fakes/zoom-oauth.js'
import { tempHome, type CliResult } from '../../support/cli.js'
import { dbSnapshot } from '../../support/db-snapshot.js'
import { runCommandInProcess } from '../../support/run-in-process.js'

// `recflow sources add zoom` and `recflow sync` of it through oclif in-process on dist/ (build first; `npm test` does),
// against the Zoom OAuth and API fakes: flags, refusals that change nothing, exit 4 with the hint.

let home: string
let oauth: ZoomOAuthFake
let zoom: ZoomApiFake
const printed: string[] = []
const cli = async (...args: string[]): Promise<CliResult> => {
  const r = await runCommandInProcess(args, { home, env: { RECFLOW_ZOOM_OAUTH_URL: oauth.oauthUrl, RECFLOW_ZOOM_API_URL: `${zoom.url}/v2` } })
  printed.push(r.stdout, r.stderr)
  return r
}
const dbFile = () => path.join(home, 'data', 'recflow.db')

beforeAll(async () => {
  home = tempHome()
  oauth = await startZoomOAuthFake()
  zoom = await startZoomApiFake({ accepts: (t) => oauth.validAccessTokens().includes(t) })
  zoom.addMeetings('me', [zoomMeeting({ topic: 'Algebra 1', startTime: '2024-10-07T09:00:00Z' }), zoomMeeting({ topic: 'Algebra 2', startTime: '2025-02-03T09:00:00Z' })])
  await cli('init')
})
afterAll(async () => {
  await zoom?.close()
  await oauth?.close()
  fs.rmSync(home, { recursive: true, force: true })
})

describe('recflow sources add zoom, then recflow sync', () => {
  let credential: number

  it('adds a source for several users over a date range', async () => {
    const added = await cli('credentials', 'add', 'zoom', '--account-id', ZOOM_S2S_APP.accountId, '--client-id', ZOOM_S2S_APP.clientId, '--client-secret', ZOOM_S2S_APP.clientSecret, '--json')
    expect(added.code).toBe(0)
    credential = (added.json as { data: { id: number } }).data.id
    const source = await cli('sources', 'add', 'zoom', 'lectures', '--credential', String(credential), '--users', 'me, alice@example.edu', '--from', '2024-09-01', '--to', '2025-06-30', '--json')
    expect(source.code).toBe(0)
    expect(source.json).toMatchObject({ ok: true, data: { platform: 'zoom', credential_id: credential, config: { users: ['me', 'alice@example.edu'], from: '2024-09-01', to: '2025-06-30' } } })
  })

  it('refuses a malformed date, a range backwards and a bad user, changing nothing', async () => {
    const before = dbSnapshot(dbFile())
    const bad = await cli('sources', 'add', 'zoom', 'x', '--credential', String(credential), '--from', '2024-13-01', '--json')
    expect(bad.code).toBe(2)
    expect(bad.json).toMatchObject({ ok: false, error: { message: expect.stringContaining('--from') } })
    const backwards = await cli('sources', 'add', 'zoom', 'y', '--credential', String(credential), '--from', '2025-01-01', '--to', '2024-01-01', '--json')
    expect(backwards.code).toBe(2)
    const user = await cli('sources', 'add', 'zoom', 'z', '--credential', String(credential), '--users', 'me,,bob x', '--json')
    expect(user.code).toBe(2)
    expect(dbSnapshot(dbFile())).toEqual(before)
  })

  it('syncs with the S2S token, then exits 4 with the hint once the app is deactivated', async () => {
    // alice is not a user of this account: Zoom's 404 stops the sync with a hint at the source's users (what was
    // written for `me` before it stays).
    const alice = await cli('sync', 'lectures', '--json')
    expect(alice.code).toBe(5)
    expect(alice.json).toMatchObject({ ok: false, error: { message: expect.stringContaining('alice@example.edu'), hint: expect.stringContaining('--users') } })
    expect((await cli('sources', 'edit', '1', '--users', 'me')).code).toBe(0)
    const synced = await cli('sync', 'lectures', '--json')
    expect(synced.code).toBe(0)
    expect(synced.json).toMatchObject({ ok: true, data: { sources: [{ name: 'lectures', status: 'synced', found: 2, created: 0, unchanged: 2 }] } })
    // Windows of at most a month from 2024-09-01 to 2025-06-30: ten listings.
    expect(new Set(zoom.listings.filter((l) => l.user !== 'alice').map((l) => l.from)).size).toBe(10)

    oauth.deactivateS2S()
    const refused = await cli('sync', 'lectures', '--json')
    expect(refused.code).toBe(4)
    expect(refused.json).toMatchObject({ ok: false, error: { code: 'auth', hint: expect.stringMatching(/recflow/) } })
    for (const token of oauth.issuedTokens) expect(printed.join('\n')).not.toContain(token)
  })
})
