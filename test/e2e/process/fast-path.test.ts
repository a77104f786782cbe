import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { fastAnswer, helpCachePath, userAgent } from '../../../src/cli/fast-path.js'
import { ROOT, runCli, tempHome } from '../../support/cli.js'

/**
 * bin/run.js answers `--version` and the root `--help` without loading oclif. These compare its answers with
 * what oclif itself prints (RECFLOW_NO_FAST_PATH=1) from the built CLI; `npm run build` makes the help cache.
 */
const home = tempHome()
afterAll(() => fs.rmSync(home, { recursive: true, force: true }))

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string }

describe('the start-up fast path', () => {
  it('prints for --version exactly what oclif prints', async () => {
    const [fast, oclif] = await Promise.all([runCli(['--version'], { home }), runCli(['--version'], { home, env: { RECFLOW_NO_FAST_PATH: '1' } })])
    expect(oclif.code).toBe(0)
    expect(fast).toEqual(oclif)
    expect(fast.stdout).toBe(userAgent(pkg) + '\n')
  })

  it('prints for --help exactly what oclif prints, from the cache the build wrote', async () => {
    expect(fs.existsSync(helpCachePath(ROOT)), 'run `npm run build` (it writes dist/root-help.json)').toBe(true)
    expect(fastAnswer({ argv: ['--help'], root: ROOT, env: {}, stdoutIsTTY: false }), 'the help cache is stale: run `npm run build`').toBeDefined()
    const [fast, oclif] = await Promise.all([runCli(['--help'], { home }), runCli(['--help'], { home, env: { RECFLOW_NO_FAST_PATH: '1' } })])
    expect(oclif.code).toBe(0)
    expect(fast).toEqual(oclif)
    expect(fast.stdout).toContain(userAgent(pkg))
  })

  it('leaves everything else to oclif', () => {
    const input = { root: ROOT, env: {}, stdoutIsTTY: false }
    expect(fastAnswer({ ...input, argv: ['--version', '--json'] })).toBeUndefined()
    expect(fastAnswer({ ...input, argv: ['recordings', '--help'] })).toBeUndefined()
    expect(fastAnswer({ ...input, argv: ['help'] })).toBeUndefined()
    expect(fastAnswer({ ...input, argv: [] })).toBeUndefined()
    // On a terminal oclif wraps to its width and may colour: it renders the help itself.
    expect(fastAnswer({ ...input, argv: ['--help'], stdoutIsTTY: true })).toBeUndefined()
    expect(fastAnswer({ ...input, argv: ['--help'], env: { OCLIF_COLUMNS: '120' } })).toBeUndefined()
    expect(fastAnswer({ ...input, argv: ['--help'], env: { FORCE_COLOR: '1' } })).toBeUndefined()
    expect(fastAnswer({ ...input, argv: ['--version'], env: { RECFLOW_NO_FAST_PATH: '1' } })).toBeUndefined()
  })

  it('never answers --help from a cache made for another manifest or package.json', () => {
    const root = tempHome('recflow-fast-path-')
    try {
      fs.mkdirSync(path.join(root, 'dist'))
      fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(root, 'package.json'))
      fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'))
      fs.writeFileSync(path.join(root, 'oclif.manifest.json'), '{"commands":{}}')
      fs.copyFileSync(helpCachePath(ROOT), helpCachePath(root))
      expect(fastAnswer({ argv: ['--help'], root, env: {}, stdoutIsTTY: false })).toBeUndefined()
    } finally {
      fs.rmSync(root, { recursive: true, force: true })
    }
  })
})
