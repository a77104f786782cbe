import { afterAll, describe, expect, it } from 'vitest'
import { initHome, removeTempHomes, runCli, withLocalUser } from './helpers.js'

/** A stored config layer that no longer validates says how to repair it, and `config unset` repairs it. */
describe('a malformed stored config', () => {
  afterAll(removeTempHomes)

  it('names config unset and config reset, and config unset works on it', async () => {
    const home = await initHome()
    await withLocalUser(home, (s) => s.configs.set({ processing: { padding_before: -3, zzz: 1 } } as never))
    const shown = await runCli(['config', 'show', '--json'], { home })
    expect(shown.code).toBe(2)
    expect(shown.json.error.hint).toMatch(/`recflow config unset KEY`.*`recflow config reset`/)

    expect((await runCli(['config', 'unset', 'processing.zzz'], { home })).code).toBe(0)
    expect((await runCli(['config', 'unset', 'processing.padding_before'], { home })).code).toBe(0)
    const repaired = await runCli(['config', 'get', 'processing.padding_before', '--json'], { home })
    expect(repaired.json).toMatchObject({ ok: true, data: { value: 5, source: 'default' } })
    expect((await runCli(['config', 'unset', 'processing.nope'], { home })).code).toBe(2)
  })
})
