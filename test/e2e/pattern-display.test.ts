import { afterAll, describe, expect, it } from 'vitest'
import { initHome, removeTempHomes, runCli, withLocalUser } from './helpers.js'

describe('templates list', () => {
  afterAll(removeTempHomes)

  it('shows a pattern as the user wrote it', async () => {
    const home = await initHome()
    await withLocalUser(home, (s) => s.templates.create({ name: 'DS', matching_rules: { patterns: ['^DS lecture \\d+'] } }))
    const r = await runCli(['templates', 'list'], { home })
    expect(r.stdout).toContain('pattern "^DS lecture \\d+"')
  })
})

describe('templates show', () => {
  afterAll(removeTempHomes)

  it('shows patterns and keywords as the user wrote them, not JSON-escaped', async () => {
    const home = await initHome()
    const t = await withLocalUser(home, (s) =>
      s.templates.create({ name: 'DS', matching_rules: { patterns: ['^DS lecture \\d+'], exclude_patterns: ['"draft"\\s*$'], keywords: ['a b'] } }),
    )
    const r = await runCli(['templates', 'show', String(t.id)], { home })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('    - ^DS lecture \\d+\n')
    expect(r.stdout).toContain('    - "draft"\\s*$\n')
    expect(r.stdout).not.toContain('\\\\d')
    expect(r.stdout).not.toContain('\\"')
  })
})
