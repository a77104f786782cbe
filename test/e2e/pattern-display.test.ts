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
