import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startZoomOAuthFake, ZOOM_S2S_APP, type ZoomOAuthFake } from '../../fakes/zoom-oauth.js'
import { tempHome, type CliResult } from '../../support/cli.js'
import { dbSnapshot } from '../../support/db-snapshot.js'
import { runCommandInProcess } from '../../support/run-in-process.js'

// `recflow credentials add zoom` (Server-to-Server) through oclif in-process on dist/ (build first; `npm test` does).

let home: string
let zoom: ZoomOAuthFake
const printed: string[] = []
const cli = async (...args: string[]): Promise<CliResult> => {
  const r = await runCommandInProcess(args, { home, env: { RECFLOW_LOG_LEVEL: 'debug', RECFLOW_ZOOM_OAUTH_URL: zoom.oauthUrl, RECFLOW_ZOOM_API_URL: zoom.apiUrl } })
  printed.push(r.stdout, r.stderr)
  return r
}
const dbFile = () => path.join(home, 'data', 'recflow.db')
const dataBytes = () =>
  fs
    .readdirSync(path.join(home, 'data'))
    .filter((f) => f.startsWith('recflow.db'))
    .map((f) => fs.readFileSync(path.join(home, 'data', f)).toString('latin1'))
    .join('\n')
const s2sFlags = (secret = ZOOM_S2S_APP.clientSecret) => ['--account-id', ZOOM_S2S_APP.accountId, '--client-id', ZOOM_S2S_APP.clientId, '--client-secret', secret]

beforeAll(async () => {
  home = tempHome()
  zoom = await startZoomOAuthFake()
  await cli('init')
})
afterAll(async () => {
  await zoom?.close()
  fs.rmSync(home, { recursive: true, force: true })
})

describe('recflow credentials add zoom (Server-to-Server)', () => {
  it('refuses missing or foreign flags and a refused secret, changing nothing', async () => {
    const before = dbSnapshot(dbFile())
    const missing = await cli('credentials', 'add', 'zoom', '--client-id', 'x', '--client-secret', 'y', '--json')
    expect(missing.code).toBe(2)
    expect(missing.json).toMatchObject({ ok: false, error: { message: expect.stringContaining('--account-id') } })
    expect((await cli('credentials', 'add', 'zoom', ...s2sFlags(), '--api-key', 'k')).code).toBe(2)
    expect((await cli('credentials', 'add', 'fireworks', '--api-key', 'fw-key-123456', '--account-id', 'a')).code).toBe(2)
    const refused = await cli('credentials', 'add', 'zoom', ...s2sFlags('not-the-secret-42'), '--json')
    expect(refused.code).toBe(4)
    expect(refused.json).toMatchObject({ ok: false, error: { code: 'auth', hint: expect.stringContaining('--client-secret') } })
    expect(dbSnapshot(dbFile())).toBe(before)
  })

  it('stores the app after one token; credentials list has it; nothing secret printed or in the DB', async () => {
    const added = await cli('credentials', 'add', 'zoom', ...s2sFlags(), '--json')
    expect(added.code).toBe(0)
    expect(added.json).toMatchObject({ ok: true, data: { platform: 'zoom', grant: 'account_credentials', name: `s2s-${ZOOM_S2S_APP.accountId}`, refreshes: true } })
    const text = await cli('credentials', 'add', 'zoom', ...s2sFlags(), '--name', 'dept')
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/Stored Zoom Server-to-Server credential \d+ "dept"/)
    const again = await cli('credentials', 'add', 'zoom', ...s2sFlags(), '--name', 'dept')
    expect(again.stdout).toMatch(/Updated Zoom Server-to-Server credential/)
    const list = await cli('credentials', 'list', '--json')
    expect((list.json as { data: Array<{ kind: string }> }).data.filter((c) => c.kind === 'zoom')).toHaveLength(2)
    expect(zoom.issuedTokens.length).toBe(3)
    const db = dataBytes()
    for (const s of [...zoom.issuedTokens, ZOOM_S2S_APP.clientSecret]) {
      expect(db).not.toContain(s)
      for (const out of printed) expect(out).not.toContain(s)
    }
  })
})
