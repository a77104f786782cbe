import { afterAll, describe, expect, it } from 'vitest'
import { flagArgs } from '../../src/cli/presenters/table.js'
import { initHome, removeTempHomes, runCli, seedRecordings, withLocalUser } from './helpers.js'

/** Lists say what matched nothing, and the next-page hint repeats the filters the page was asked with. */
describe('list filters in messages', () => {
  afterAll(removeTempHomes)

  it('says which filter matched no preset, not that there are none yet', async () => {
    const home = await initHome()
    await withLocalUser(home, (s) => s.presets.create({ name: 'Archive', platform: 'local', preset_metadata: { destination: '/srv/out' } }))
    const r = await runCli(['presets', 'list', '--platform', 'youtube'], { home })
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe('No presets match --platform youtube.')
  })

  it('says which filter matched no task, not that tasks appear once recordings are processed', async () => {
    const home = await initHome()
    await withLocalUser(home, (s) => s.tasks.create({ type: 'sync', payload: {} }))
    const r = await runCli(['tasks', 'list', '--state', 'failed', '--type', 'pipeline'], { home })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout.trim()).toBe('No tasks match --state failed --type pipeline.')
  })

  it('keeps the filters and the page size in the next-page hint', async () => {
    const home = await initHome()
    await seedRecordings(home, [
      { display_name: 'Math 1', start_time: '2026-03-02T09:00:00Z', status: 'SKIPPED' },
      { display_name: 'Math 2', start_time: '2026-03-03T09:00:00Z', status: 'SKIPPED' },
      { display_name: 'Math 3', start_time: '2026-03-04T09:00:00Z', status: 'SKIPPED' },
    ])
    const r = await runCli(['recordings', 'list', '--status', 'SKIPPED', '--search', 'ath ', '--no-failed', '--limit', '1'], { home })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/More results: recflow recordings list --status SKIPPED --no-failed --search 'ath ' --limit 1 --cursor \S+/)
  })

  it('writes flags back as arguments, quoted for the shell, leaving defaults out', () => {
    expect(flagArgs({ state: ['running', 'failed'], type: undefined, drafts: true, q: "it's" }, ['state', 'type', 'drafts', 'q'], { drafts: true })).toBe(
      `--state running --state failed --q 'it'\\''s'`,
    )
  })
})

describe('RECFLOW_LOG_LEVEL', () => {
  afterAll(removeTempHomes)

  it('logs at debug, and refuses a level it does not know (exit 2)', async () => {
    const home = await initHome()
    const debug = await runCli(['templates', 'list'], { home, env: { RECFLOW_LOG_LEVEL: 'debug' } })
    expect(debug.code).toBe(0)
    expect(debug.stderr).toMatch(/ debug opened the database /)
    const loud = await runCli(['templates', 'list'], { home, env: { RECFLOW_LOG_LEVEL: 'verbose' } })
    expect(loud.code).toBe(2)
    expect(loud.stderr).toContain('Error: RECFLOW_LOG_LEVEL must be error, warn, info or debug, not "verbose"')
  })
})
