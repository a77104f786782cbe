import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../../support/cli.js'
import { cliData, initHome, removeTempHomes } from '../helpers.js'

/** Several recflow processes writing one database at the same moment: SQLite's locking between processes. */

afterAll(removeTempHomes)
describe('config set from several processes at once', () => {
  it('keeps every value', async () => {
    const home = await initHome()
    const values = { padding_before: 1, padding_after: 2, min_silence_duration: 3, min_pause: 4, poster_time: 7, pause_margin: 0.25 }
    // Spawned all at once: the point is that they overlap.
    const results = await Promise.all(
      Object.entries(values).map(([key, value]) => runCli(['config', 'set', `processing.${key}`, String(value)], { home })),
    )
    expect(results.map((r) => r.code)).toEqual(results.map(() => 0))
    const layers = await cliData(home, ['config', 'show', '--layers'])
    expect(layers.stored).toEqual({ processing: values })
  }, 180_000)
})
