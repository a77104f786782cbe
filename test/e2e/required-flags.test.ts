import { afterAll, describe, expect, it } from 'vitest'
import { initHome, removeTempHomes, runCli, withLocalUser } from './helpers.js'

/** A required field left out of an `add` command is named with the flag (or the argument) that sets it. */
describe('required flags in errors', () => {
  afterAll(removeTempHomes)

  it.each([
    [['presets', 'add', 'Archive', '--platform', 'local'], 'preset_metadata.destination (--destination): required'],
    [['sources', 'add', 'local', 'lectures'], 'config.path (--path): required'],
    [['presets', 'add', '--platform', 'local', '--destination', '/srv/out'], 'name (the NAME argument): required'],
    [['templates', 'add', '--keyword', 'Math'], 'name (the NAME argument): required'],
    [['jobs', 'add', 'nightly', '--source', '1'], 'schedule (--at, --every-hours, --weekdays with --at, or --cron):'],
  ])('%j names the missing flag', async (args, message) => {
    const home = await initHome()
    await withLocalUser(home, (s) => s.sources.create({ name: 'inbox', platform: 'local', config: { path: home } }))
    const r = await runCli([...args, '--json'], { home })
    expect(r.code).toBe(2)
    expect(r.json.error).toMatchObject({ code: 'validation', message: expect.stringContaining(message) })
  })
})
