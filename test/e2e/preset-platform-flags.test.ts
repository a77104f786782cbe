import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { dbFileOf, initHome, removeTempHomes, runCli, withLocalUser } from './helpers.js'
import { dbSnapshot } from '../support/db-snapshot.js'

describe('presets edit with a flag of another platform', () => {
  afterAll(removeTempHomes)

  async function seed() {
    const home = await initHome()
    const ids = await withLocalUser(home, async (s) => {
      const credential = await s.credentials.create({ platform: 'youtube', account_name: 'me', encrypted_data: 'x', key_id: 'k1' })
      const youtube = await s.presets.create({ name: 'Channel', platform: 'youtube', credential_id: credential.id })
      const local = await s.presets.create({ name: 'Archive', platform: 'local', preset_metadata: { destination: home } })
      return { youtube: youtube.id, local: local.id }
    })
    return { home, ...ids }
  }

  it.each([
    { what: '--privacy on a local preset', preset: 'local' as const, flags: ['--privacy', 'public'], message: /--privacy is a youtube\/vk setting; preset \d+ publishes to local/ },
    { what: '--playlist on a local preset', preset: 'local' as const, flags: ['--playlist', 'PL1'], message: /--playlist is a youtube setting; preset \d+ publishes to local/ },
    { what: '--destination on a youtube preset', preset: 'youtube' as const, flags: ['--destination', '/srv'], message: /--destination is a local setting; preset \d+ publishes to youtube/ },
    { what: '--album on a youtube preset', preset: 'youtube' as const, flags: ['--album', '7', '--title', 'x'], message: /--album is a vk setting; preset \d+ publishes to youtube/ },
  ])('refuses $what, exit 2, nothing changed', async ({ preset, flags, message }) => {
    const t = await seed()
    const before = await dbSnapshot(dbFileOf(t.home))
    const r = await runCli(['presets', 'edit', String(t[preset]), ...flags], { home: t.home })
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr).not.toMatch(/unknown key/)
    expect(await dbSnapshot(dbFileOf(t.home))).toEqual(before)

    const json = await runCli(['presets', 'edit', String(t[preset]), ...flags, '--json'], { home: t.home })
    expect(json.code).toBe(2)
    expect(json.json?.error?.message).toMatch(message)
  })

  it('still takes a flag of the preset’s own platform', async () => {
    const t = await seed()
    const r = await runCli(['presets', 'edit', String(t.youtube), '--privacy', 'public', '--json'], { home: t.home })
    expect(r.code, r.stdout).toBe(0)
    expect(r.json.data.preset_metadata.privacy).toBe('public')
  })

  it('presets add names the platform too', async () => {
    const home = await initHome()
    const r = await runCli(['presets', 'add', 'A', '--platform', 'local', '--destination', home, '--privacy', 'public'], { home })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--privacy is a youtube\/vk setting; this preset publishes to local/)
  })

  it('refuses --name-template on a youtube preset, and takes --no-captions (YouTube has a caption track too)', async () => {
    const t = await seed()
    const r = await runCli(['presets', 'edit', String(t.youtube), '--name-template', '{display_name}'], { home: t.home })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--name-template is a local setting; preset \d+ publishes to youtube/)
    const ok = await runCli(['presets', 'edit', String(t.youtube), '--no-captions', '--json'], { home: t.home })
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.json.data.preset_metadata).toMatchObject({ captions: false })
  })
})

describe('folder presets and captions', () => {
  afterAll(removeTempHomes)

  it('copies captions by default; --no-captions and captions: false in --file turn them off; --captions back on', async () => {
    const home = await initHome()
    const add = async (...args: string[]) => (await runCli(['presets', 'add', ...args, '--json'], { home })).json.data
    expect((await add('On', '--platform', 'local', '--destination', home)).preset_metadata.captions).toBe(true)
    const off = await add('Off', '--platform', 'local', '--destination', home, '--no-captions')
    expect(off.preset_metadata.captions).toBe(false)
    fs.writeFileSync(path.join(home, 'preset.yaml'), `name: FromFile\nplatform: local\npreset_metadata:\n  destination: ${home}\n  captions: false\n`)
    expect((await add('--file', path.join(home, 'preset.yaml'))).preset_metadata.captions).toBe(false)
    const on = await runCli(['presets', 'edit', String(off.id), '--captions', '--json'], { home })
    expect(on.json.data.preset_metadata.captions).toBe(true)
  })
})
