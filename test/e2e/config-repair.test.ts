import { afterAll, describe, expect, it } from 'vitest'
import { initHome, removeTempHomes, runCli, seedRecordings, withLocalUser } from './helpers.js'

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

  it('names them where it is read too: a run of a recording, and config set of another key', async () => {
    const home = await initHome()
    const [id] = await seedRecordings(home, [{ display_name: 'Talk', start_time: '2026-03-02T09:00:00Z', status: 'INITIALIZED', original_file: '/nowhere/talk.mp4' }])
    await withLocalUser(home, (s) => s.configs.set({ processing: { padding_before: -3 } } as never))
    const repair = /`recflow config unset KEY`.*`recflow config reset`/

    const run = await runCli(['recordings', 'run', String(id), '--json'], { home })
    expect(run.code).toBe(1)
    expect(run.json.data.recordings[0].error).toMatchObject({ message: expect.stringContaining('processing.padding_before'), hint: expect.stringMatching(repair) })

    const set = await runCli(['config', 'set', 'processing.trim_mode', 'edges', '--json'], { home })
    expect(set.code).toBe(2)
    expect(set.json.error).toMatchObject({ message: expect.stringContaining('processing.padding_before'), hint: expect.stringMatching(repair) })
    // A bad value of one's own is still told to fix the key it names.
    expect((await runCli(['config', 'unset', 'processing.padding_before'], { home })).code).toBe(0)
    const own = await runCli(['config', 'set', 'processing.padding_before', '-1', '--json'], { home })
    expect(own.code).toBe(2)
    expect(own.json.error).toMatchObject({ code: 'validation', message: expect.stringContaining('padding_before') })
    expect(own.json.error.hint).not.toMatch(repair)
  })
})
