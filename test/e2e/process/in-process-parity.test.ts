import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, tempHome } from '../../support/cli.js'
import { runCommandInProcess } from '../../support/run-in-process.js'

/*
 * The e2e tests run most commands in-process (test/support/run-in-process.ts); this file checks that such a run
 * shows exactly what the real process shows: the same stdout, stderr and exit code, for a success, a --json
 * envelope, user errors of several exit codes, an unknown command, --version, and an environment variable.
 */

interface Case {
  what: string
  args: string[]
  env?: Record<string, string>
  /** The exit code both must agree on (so a case cannot pass by both sides failing the same way). */
  code: number
}

const CASES: Case[] = [
  { what: 'a list as text', args: ['templates', 'list'], code: 0 },
  { what: 'a --json success envelope', args: ['config', 'get', 'processing.padding_before', '--json'], code: 0 },
  { what: 'not found, as text', args: ['templates', 'show', '99'], code: 3 },
  { what: 'a usage error under --json', args: ['presets', 'show', 'abc', '--json'], code: 2 },
  { what: 'an unknown command', args: ['recrodings', 'list'], code: 2 },
  { what: '--version', args: ['--version'], code: 0 },
  { what: 'a failing doctor check set by the environment', args: ['doctor'], env: { RECFLOW_FFPROBE_PATH: '/nonexistent/ffprobe' }, code: 1 },
]

describe('a command run in-process shows what the spawned CLI shows', () => {
  let home: string
  beforeAll(async () => {
    home = tempHome('recflow-parity-')
    expect((await runCommandInProcess(['init'], { home })).code).toBe(0)
  })
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }))

  it.each(CASES)('$what', async ({ args, env, code }) => {
    const spawned = runCli(args, { home, env })
    const inProcess = await runCommandInProcess(args, { home, env })
    const real = await spawned
    expect(real.code, `${real.stdout}${real.stderr}`).toBe(code)
    expect({ code: inProcess.code, stdout: inProcess.stdout, stderr: inProcess.stderr }).toEqual({ code: real.code, stdout: real.stdout, stderr: real.stderr })
  })

  it('leaves the environment, the working directory and the exit code of the test process as they were', async () => {
    const env = { ...process.env }
    const cwd = process.cwd()
    const r = await runCommandInProcess(['templates', 'show', '99'], { home, env: { RECFLOW_LOG_LEVEL: 'debug' } })
    expect(r.code).toBe(3)
    expect(process.env).toEqual(env)
    expect(process.cwd()).toBe(cwd)
    expect(process.exitCode).toBeUndefined()
    expect(fs.existsSync(path.join(home, 'data', 'recflow.db'))).toBe(true)
  })
})
