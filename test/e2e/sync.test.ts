import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dbSnapshot } from '../support/db-snapshot.js'
import { makeStock, put, type Stock } from '../integration/sync/support.js'
import { cliData, cloneHome, dbFileOf, E2E_TIMEOUT, expectRefused, initHome, runCli, withLocalUser } from './helpers.js'

/** `recflow sync` and `recflow recordings add` as a user runs them (build first: npx tsc -p tsconfig.json). */

let stock: Stock
let initialised: string
beforeAll(async () => {
  ;[stock, initialised] = await Promise.all([makeStock(), initHome()])
})
afterAll(() => fs.rmSync(stock.dir, { recursive: true, force: true }))

/** An initialised home with a local source on its own folder and an "algebra" template (seeded directly). */
async function homeWithSource(): Promise<{ home: string; folder: string }> {
  const home = cloneHome(initialised)
  const folder = path.join(home, 'Recordings')
  fs.mkdirSync(folder)
  await withLocalUser(home, async (s) => {
    await s.sources.create({ name: 'lectures', platform: 'local', config: { path: folder } })
    await s.templates.create({ name: 'Algebra', matching_rules: { keywords: ['algebra'] } })
  })
  return { home, folder }
}

describe('recflow sync', { timeout: E2E_TIMEOUT }, () => {
  it('syncs a folder, matches new recordings, and creates nothing on a second run', async () => {
    const { home, folder } = await homeWithSource()
    put(stock.mp4, folder, 'Linear_Algebra_01.mp4')
    put(stock.wav, folder, 'standup.wav')
    fs.writeFileSync(path.join(folder, 'broken.m4a'), 'not audio')

    const first = await cliData(home, ['sync'])

    expect(first.sources).toEqual([
      expect.objectContaining({ name: 'lectures', status: 'synced', found: 3, created: 3, matched: 1, skipped: 1, failed: 1, vanished: 0 }),
    ])
    const list = await cliData(home, ['recordings', 'list'])
    const byName = Object.fromEntries(list.items.map((r: any) => [r.display_name, r]))
    expect(byName['Linear Algebra 01']).toMatchObject({ status: 'INITIALIZED', is_mapped: true, failed: false })
    expect(byName.standup).toMatchObject({ status: 'SKIPPED', is_mapped: false })
    expect(byName.broken).toMatchObject({ failed: true, failed_stage: 'DOWNLOAD', failed_reason: expect.stringMatching(/broken\.m4a is not a readable media file/) })

    const before = dbSnapshot(dbFileOf(home))
    const text = await runCli(['sync'], { home })
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/lectures \(source \d+, local\): 3 found, 0 new .* 0 changed, 3 unchanged, 0 vanished/)
    const second = await cliData(home, ['sync', 'lectures'])
    expect(second.sources[0]).toMatchObject({ found: 3, created: 0, changed: 0, unchanged: 3 })
    // Only the source's last_synced_at moves.
    const strip = (snapshot: string) => snapshot.replace(/"last_synced_at":"[^"]+"|"updated_at":"[^"]+"/g, '')
    expect(strip(dbSnapshot(dbFileOf(home)))).toBe(strip(before))
  })

  it('refuses an unknown source with exit 3 and changes nothing', async () => {
    const { home } = await homeWithSource()
    await expectRefused(home, ['sync', 'lectures', 'nope'], { code: 'not_found', exit: 3, message: /source "nope" not found/ })
  })
})

describe('recflow recordings add', { timeout: E2E_TIMEOUT }, () => {
  it('imports one file, matched, and returns the same recording when the file is added again', async () => {
    const { home, folder } = await homeWithSource()
    const file = put(stock.m4a, folder, 'algebra-07.m4a')

    const added = await cliData(home, ['recordings', 'add', file, '--name', 'Algebra 07'])

    expect(added).toMatchObject({ created: true, match: { reason: 'keyword "algebra"' } })
    expect(added.recording).toMatchObject({ display_name: 'Algebra 07', status: 'INITIALIZED', input_source_id: null, source_key: file })
    const again = await runCli(['recordings', 'add', 'Recordings/algebra-07.m4a'], { home })
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(new RegExp(`already added as recording ${added.recording.id} "Algebra 07"`))
    expect((await cliData(home, ['recordings', 'list'])).items).toHaveLength(1)
  })

  it('refuses a file that is not media with exit 2, and keeps it as a failed recording with the reason', async () => {
    const { home, folder } = await homeWithSource()
    const file = path.join(folder, 'notes.mp4')
    fs.writeFileSync(file, 'meeting notes')
    const text = await runCli(['recordings', 'add', file], { home })
    expect(text.code, text.stderr).toBe(2)
    expect(text.stdout).toBe('')
    expect(text.stderr).toMatch(/^Error: notes\.mp4 is not a readable media file/)
    expect(text.stderr).toMatch(/Hint: it is kept as recording 1 \(SKIPPED, failed\)/)
    const [rec] = (await cliData(home, ['recordings', 'list', '--failed'])).items
    expect(rec).toMatchObject({ display_name: 'notes', failed: true, failed_stage: 'DOWNLOAD' })
    // The same file again, unchanged: still unusable, still exit 2 (it was exit 0, "already added"), no second recording.
    const again = await runCli(['recordings', 'add', file, '--json'], { home })
    expect(again.code).toBe(2)
    expect(again.json.error).toMatchObject({ code: 'validation', message: expect.stringMatching(/^notes\.mp4 is not a readable media file/), hint: expect.stringContaining('kept as recording 1') })
    expect((await cliData(home, ['recordings', 'list'])).items).toHaveLength(1)
  })

  it('refuses a missing file with exit 2 and changes nothing', async () => {
    const { home } = await homeWithSource()
    await expectRefused(home, ['recordings', 'add', 'missing.mp4'], { code: 'usage', exit: 2, message: /missing\.mp4 does not exist/ })
  })

  it('refuses a missing FILE argument with exit 2', async () => {
    const { home } = await homeWithSource()
    await expectRefused(home, ['recordings', 'add'], { code: 'usage', exit: 2, message: /file/i })
  })
})
