import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../../support/cli.js'
import { expectRefused, initHome, removeTempHomes, withLocalUser } from '../helpers.js'

/** `--file -` reads the document from the process's stdin (fd 0): only a real process has one to give. */

afterAll(removeTempHomes)
describe('documents read from stdin with --file -', () => {
  it('adds a template from a JSON document on stdin', async () => {
    const home = await initHome()
    const r = await runCli(['templates', 'add', '--file', '-', '--json'], {
      home,
      stdin: JSON.stringify({ name: 'From stdin', matching_rules: { keywords: ['stdin'] } }),
    })
    expect(r.code, r.stderr).toBe(0)
    expect(r.json.data).toMatchObject({ name: 'From stdin', matching_rules: { keywords: ['stdin'] } })
  })

  it('refuses a list on stdin for sources edit and changes nothing', async () => {
    const home = await initHome()
    await withLocalUser(home, (s) => s.sources.create({ name: 'Lectures', platform: 'local', config: { path: '/srv/lectures' } }))
    await expectRefused(
      home,
      ['sources', 'edit', '1', '--file', '-'],
      { code: 'usage', exit: 2, message: /stdin must hold one object .*not a list/ },
      { run: (args, opts) => runCli(args, { ...opts, stdin: '[1, 2]' }) },
    )
  })
})

/** `credentials add` without --api-key reads one line of the piped stdin; the rest is ignored. */
describe('an API key piped on stdin', () => {
  it('stores the first line as the key and prints no key; an empty stdin is refused and stores nothing', async () => {
    const home = await initHome()
    const added = await runCli(['credentials', 'add', 'fireworks', '--json'], { home, stdin: 'fw-piped-key-123\nnot the key\n' })
    expect(added.code, added.stderr).toBe(0)
    expect(added.json.data).toMatchObject({ kind: 'fireworks', name: 'fireworks' })
    expect(added.stdout + added.stderr).not.toContain('fw-piped-key-123')
    const refused = await runCli(['credentials', 'add', 'deepseek', '--json'], { home, stdin: '' })
    expect(refused.code).toBe(2)
    expect(refused.json.error.message).toContain('empty')
    const list = await runCli(['credentials', 'list', '--json'], { home })
    expect(list.json.data.map((c: { kind: string }) => c.kind)).toEqual(['fireworks'])
  })
})
