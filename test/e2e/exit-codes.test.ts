import { afterAll, describe, expect, it } from 'vitest'
import { runCommandInProcess } from '../support/run-in-process.js'
import { E2E_TIMEOUT, newHome, removeTempHomes, runCli } from './helpers.js'

/** What scripts see from the process itself: exit codes and one JSON document on stdout, whatever the mistake. */
describe('exit codes and envelopes of the CLI process', () => {
  afterAll(removeTempHomes)

  it('an unknown command is a usage error naming the closest command', { timeout: E2E_TIMEOUT }, async () => {
    const home = newHome()
    const text = await runCli(['recrodings', 'list'], { home })
    expect(text.code).toBe(2)
    expect(text.stdout).toBe('')
    expect(text.stderr).toContain('unknown command "recrodings list"')
    expect(text.stderr).toContain('did you mean `recordings list`?')
    const json = await runCli(['recrodings', 'list', '--json'], { home })
    expect(json.code).toBe(2)
    expect(json.json).toEqual({
      ok: false,
      error: { code: 'usage', message: 'unknown command "recrodings list"', hint: expect.stringContaining('`recordings list`') },
    })
  })

  it('a command a topic does not have points at that topic\'s help', async () => {
    // In-process (the same hook, no spawn): what is checked here is the hint, not the process.
    const home = newHome()
    for (const [argv, typed, topic] of [[['cron', 'list'], 'cron list', 'cron'], [['recordings', '12'], 'recordings 12', 'recordings']] as const) {
      const r = await runCommandInProcess([...argv, '--json'], { home })
      expect(r.code).toBe(2)
      expect(r.json).toEqual({ ok: false, error: { code: 'usage', message: `unknown command "${typed}"`, hint: `\`recflow ${topic} --help\` lists its commands` } })
    }
  })

  it('--version --json prints the version envelope', { timeout: E2E_TIMEOUT }, async () => {
    const home = newHome()
    for (const argv of [['--version', '--json'], ['--json', '--version']]) {
      const r = await runCli(argv, { home })
      expect(r.code).toBe(0)
      expect(r.json).toEqual({ ok: true, data: { version: expect.stringMatching(/^\d+\.\d+\.\d+/) } })
    }
  })

  it('a topic with --json is a usage error, not help text', { timeout: E2E_TIMEOUT }, async () => {
    const r = await runCli(['recordings', '--json'], { home: newHome() })
    expect(r.code).toBe(2)
    expect(r.json).toMatchObject({ ok: false, error: { code: 'usage', message: expect.stringContaining('topic') } })
  })
})
