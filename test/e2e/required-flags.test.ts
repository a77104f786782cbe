import { afterAll, describe, expect, it } from 'vitest'
import { initHome, removeTempHomes, runCli } from './helpers.js'

/** A required field left out of `presets add` / `sources add` is named with the flag that sets it. */
describe('required flags in errors', () => {
  afterAll(removeTempHomes)

  it.each([
    [['presets', 'add', 'Archive', '--platform', 'local'], 'preset_metadata.destination (--destination): required'],
    [['sources', 'add', 'local', 'lectures'], 'config.path (--path): required'],
  ])('%j names the missing flag', async (args, message) => {
    const home = await initHome()
    const r = await runCli([...args, '--json'], { home })
    expect(r.code).toBe(2)
    expect(r.json.error).toMatchObject({ code: 'validation', message: expect.stringContaining(message) })
  })
})
