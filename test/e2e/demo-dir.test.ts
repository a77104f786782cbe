import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { dbSnapshot } from '../support/db-snapshot.js'
import { dbFileOf, initHome, removeTempHomes, runCli, withLocalUser } from './helpers.js'

/** `recflow demo --dir` on a home whose demo lives elsewhere says where it is, and makes nothing. */
describe('recflow demo --dir on a home that has a demo', () => {
  afterAll(removeTempHomes)

  it('says where the demo is set up and writes nothing', async () => {
    const home = await initHome()
    const first = path.join(home, 'first-demo')
    fs.mkdirSync(path.join(first, 'inbox'), { recursive: true })
    await withLocalUser(home, (s) => s.sources.create({ name: 'demo', platform: 'local', config: { path: path.join(first, 'inbox') } }))
    const before = dbSnapshot(dbFileOf(home))
    const elsewhere = path.join(home, 'second-demo')

    const r = await runCli(['demo', '--dir', elsewhere, '--json'], { home })
    expect(r.code).toBe(1)
    expect(r.json.error).toMatchObject({
      code: 'conflict',
      message: `the demo is already set up in ${first} (source "demo", id 1), not in ${elsewhere}`,
      hint: expect.stringContaining(`recflow demo --dir "${first}"`),
    })
    expect(fs.existsSync(elsewhere)).toBe(false)
    expect(dbSnapshot(dbFileOf(home))).toBe(before)
  })
})
