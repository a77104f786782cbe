import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../../support/cli.js'
import { E2E_TIMEOUT, newHome, removeTempHomes } from '../helpers.js'

/** bin/run.js answers a bare --version without oclif; with --json it must still give the envelope. */
describe('recflow --version --json, spawned', () => {
  afterAll(removeTempHomes)

  it('prints the version envelope past the fast path', { timeout: E2E_TIMEOUT }, async () => {
    const r = await runCli(['--version', '--json'], { home: newHome() })
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toEqual({ ok: true, data: { version: expect.stringMatching(/^\d+\.\d+\.\d+/) } })
  })
})
