import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { RUN, cliEnv, tempHome } from '../../support/cli.js'

// `npx recflow` and cron run bin/run.js through its shebang: the heap flags there are what keeps a 10,000-file
// first sync under 150 MB RSS (docs/BENCHMARKS.md), so they must be there and the line must work as a program.
describe('bin/run.js run as a program', () => {
  it('carries the heap flags in its shebang', () => {
    const first = fs.readFileSync(RUN, 'utf8').split('\n')[0]
    expect(first).toMatch(/^#!\/usr\/bin\/env -S node /)
    expect(first).toContain('--max-semi-space-size=2')
    expect(first).toContain('--max-old-space-size=512')
  })

  it('starts through its shebang (env -S) and runs a command', () => {
    const home = tempHome('recflow-shebang-')
    try {
      const r = spawnSync(RUN, ['config', 'get', 'processing.padding_before', '--json'], { env: cliEnv(home), encoding: 'utf8' })
      expect(r.status, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: true })
      const v8 = spawnSync(RUN, ['--version'], { env: cliEnv(home), encoding: 'utf8' })
      expect(v8.stdout).toMatch(/^recflow\/\d/)
    } finally {
      fs.rmSync(home, { recursive: true, force: true })
    }
  })
})
