import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempHome } from '../../support/cli.js'
import { runCommandInProcess } from '../../support/run-in-process.js'

// `sources add/edit local` and `sync` over several sources, through oclif in-process on dist/ (build first).

let home: string
const cli = (...args: string[]) => runCommandInProcess(args, { home })
const folder = (rel: string) => {
  const dir = path.join(home, rel)
  fs.mkdirSync(dir, { recursive: true })
  return dir
}
const sourceCount = async () => (await cli('sources', 'list', '--json')).json.data.items.length

beforeEach(() => {
  home = tempHome()
})
afterEach(() => fs.rmSync(home, { recursive: true, force: true }))

describe('sources add local', () => {
  it('refuses a folder that does not exist, and adds it with a warning under --allow-missing', async () => {
    const missing = path.join(home, 'usb-drive', 'lectures')

    const refused = await cli('sources', 'add', 'local', 'usb', '--path', missing, '--json')

    expect(refused.code).toBe(2)
    expect(refused.json.error).toMatchObject({ code: 'validation', message: `folder ${missing} does not exist`, hint: expect.stringMatching(/--allow-missing/) })
    expect(await sourceCount()).toBe(0)

    const allowed = await cli('sources', 'add', 'local', 'usb', '--path', missing, '--allow-missing')
    expect(allowed.code).toBe(0)
    expect(allowed.stderr).toMatch(/warning: folder .*usb-drive\/lectures does not exist yet/)
    expect(await sourceCount()).toBe(1)
  })

  it('refuses a file where a folder is expected', async () => {
    fs.writeFileSync(path.join(home, 'talk.mp4'), '')
    const r = await cli('sources', 'add', 'local', 'x', '--path', path.join(home, 'talk.mp4'), '--json')
    expect(r.code).toBe(2)
    expect(r.json.error.message).toMatch(/talk\.mp4 is not a folder/)
    expect(await sourceCount()).toBe(0)
  })

  it.skipIf(process.getuid?.() === 0)('refuses a folder it cannot read (root reads every folder)', async () => {
    const locked = folder('locked')
    fs.chmodSync(locked, 0o000)
    try {
      const r = await cli('sources', 'add', 'local', 'x', '--path', locked, '--allow-missing', '--json')
      expect(r.code).toBe(2)
      expect(r.json.error).toMatchObject({ code: 'validation', message: `folder ${locked} cannot be read (EACCES)`, hint: 'check its permissions' })
    } finally {
      fs.chmodSync(locked, 0o755)
    }
    expect(await sourceCount()).toBe(0)
  })

  it('refuses a path that cannot be resolved, even with --allow-missing (only a missing folder is allowed)', async () => {
    const loop = path.join(home, 'loop')
    fs.symlinkSync(loop, loop)
    const r = await cli('sources', 'add', 'local', 'x', '--path', loop, '--allow-missing', '--json')
    expect(r.code).toBe(2)
    expect(r.json.error.message).toBe(`folder ${loop} cannot be read (ELOOP)`)
    expect(await sourceCount()).toBe(0)
  })

  it('expands ~ to the home folder', async () => {
    folder('Recordings')
    const r = await cli('sources', 'add', 'local', 'mine', '--path', '~/Recordings', '--json')
    expect(r.code, r.stderr).toBe(0)
    expect(r.json.data.config.path).toBe(path.join(home, 'Recordings'))
  })

  it.each([
    ['an unclosed {', '**/*.{mp4,m4a', /a "\{" is never closed/],
    ['an absolute glob', '/srv/lectures/*.mp4', /globs are relative to the source folder/],
    ['a glob leaving the folder', '../other/*.mp4', /cannot leave the source folder/],
    ['a glob naming a folder', 'lectures/', /ends in "\/", so it names folders and matches no file/],
  ])('refuses %s in --glob', async (_what, glob, message) => {
    const r = await cli('sources', 'add', 'local', 'x', '--path', folder('in'), '--glob', glob, '--json')
    expect(r.code).toBe(2)
    expect(r.json.error.message).toMatch(message)
    expect(await sourceCount()).toBe(0)
  })

  it('refuses a second source on the same folder, or inside a recursive one, naming the first', async () => {
    const lectures = folder('lectures')
    folder('lectures/2026')
    const first = (await cli('sources', 'add', 'local', 'lectures', '--path', lectures, '--json')).json.data

    for (const dir of [lectures, `${lectures}/`, path.join(lectures, '2026')]) {
      const r = await cli('sources', 'add', 'local', 'again', '--path', dir, '--json')
      expect(r.code, dir).toBe(1)
      expect(r.json.error).toMatchObject({ code: 'conflict', message: expect.stringContaining(`source ${first.id} "lectures"`) })
      // Refused whatever the globs: the hint offers a folder of its own, not a narrower glob.
      expect(r.json.error.hint).toContain(`\`recflow sources edit ${first.id} --path DIR\``)
      expect(r.json.error.hint).not.toContain('--glob')
    }
    const holding = await cli('sources', 'add', 'local', 'all', '--path', home, '--json')
    expect(holding.code).toBe(1)
    expect(holding.json.error).toMatchObject({ message: expect.stringContaining(`holds the folder of source ${first.id}`), hint: expect.stringContaining(`recflow sources remove ${first.id}`) })
    // Through a symlink it is still the same folder.
    fs.symlinkSync(lectures, path.join(home, 'link'))
    expect((await cli('sources', 'add', 'local', 'again', '--path', path.join(home, 'link'))).code).toBe(1)
    // Nor can an edit move another source onto it.
    const other = (await cli('sources', 'add', 'local', 'seminars', '--path', folder('seminars'), '--json')).json.data
    expect((await cli('sources', 'edit', String(other.id), '--path', lectures)).code).toBe(1)
    expect(await sourceCount()).toBe(2)
  })
})

describe('sync over several sources', () => {
  it('goes on past a source that fails, then exits 5 and says how many synced', async () => {
    const ok = ['a', 'b', 'c', 'd'].map((n) => folder(`in/${n}`))
    for (const [i, dir] of ok.entries()) expect((await cli('sources', 'add', 'local', `src-${i}`, '--path', dir)).code).toBe(0)
    const gone = folder('in/e')
    expect((await cli('sources', 'add', 'local', 'usb', '--path', gone)).code).toBe(0)
    fs.rmSync(gone, { recursive: true })

    const text = await cli('sync')

    expect(text.code).toBe(5)
    expect(text.stdout).toContain(`4 of 5 sources synced, 1 failed: usb (folder ${gone} does not exist)`)
    const json = await cli('sync', '--json')
    expect(json.code).toBe(5)
    expect(json.json).toMatchObject({
      ok: false,
      error: { code: 'sync_failed', message: expect.stringMatching(/^4 of 5 sources synced, 1 failed: usb/) },
      data: { sources: expect.arrayContaining([expect.objectContaining({ name: 'usb', status: 'error' })]) },
    })
    expect(json.json.data.sources.filter((s: { status: string }) => s.status === 'synced')).toHaveLength(4)
  })

  it('does the same when the failing source is one of those named, and names its id in the hint', async () => {
    expect((await cli('sources', 'add', 'local', 'lectures', '--path', folder('in/lectures'))).code).toBe(0)
    const gone = folder('in/usb')
    const usb = (await cli('sources', 'add', 'local', 'usb', '--path', gone, '--json')).json.data
    fs.rmSync(gone, { recursive: true })

    const text = await cli('sync', 'lectures', 'usb')

    expect(text.code, text.stderr).toBe(5)
    expect(text.stdout).toMatch(/^lectures \(source \d+, local\): 0 found/m)
    expect(text.stdout).toContain(`1 of 2 sources synced, 1 failed: usb (folder ${gone} does not exist)`)
    expect(text.stdout).toContain(`hint: point the source at an existing folder with \`recflow sources edit ${usb.id} --path DIR\``)
    // Named alone, it fails with its own error (a Zoom sign-in to renew is exit 4, zoom-source-command.test.ts).
    const one = await cli('sync', 'usb', '--json')
    expect(one.code).toBe(2)
    expect(one.json.error).toMatchObject({ message: `folder ${gone} does not exist`, hint: `point the source at an existing folder with \`recflow sources edit ${usb.id} --path DIR\`` })
  })

  it('`run` names a source that failed as not synced, counts it as failed and exits 5 (ok:false with --json)', async () => {
    expect((await cli('sources', 'add', 'local', 'lectures', '--path', folder('in/lectures'))).code).toBe(0)
    const gone = folder('in/usb')
    expect((await cli('sources', 'add', 'local', 'usb', '--path', gone)).code).toBe(0)
    fs.rmSync(gone, { recursive: true })

    const run = await cli('run')

    expect(run.stdout).toMatch(/^synced lectures: 0 found/m)
    expect(run.stdout).toMatch(new RegExp(`^usb: not synced: folder ${gone} does not exist$`, 'm'))
    expect(run.stdout).toContain(`1 of 2 sources synced, 1 failed: usb (folder ${gone} does not exist)`)
    expect(run.stdout).not.toMatch(/synced usb/)
    expect(run.code).toBe(5)

    const json = await cli('run', '--json')
    expect(json.code).toBe(5)
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      error: { code: 'sync_failed', message: `1 of 2 sources synced, 1 failed: usb (folder ${gone} does not exist)` },
      data: { sync: { sources: [{ name: 'lectures', status: 'synced' }, { name: 'usb', status: 'error' }] }, recordings: [] },
    })
  })
})
