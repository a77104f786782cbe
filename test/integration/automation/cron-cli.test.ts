import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'
import { writeCrontabStandIn } from './crontab-stand-in.js'
import { runCommandInProcess } from '../../support/run-in-process.js'

/* The cron and scheduler commands as a user runs them (in-process, on dist/): what they print and exit with. */

let root: string
let home: string
let bin: string
let table: string
beforeAll(() => {
  root = makeTempDir()
  home = path.join(root, 'home')
  bin = path.join(root, 'bin')
  table = path.join(root, 'crontab.txt')
  fs.mkdirSync(home)
  writeCrontabStandIn(bin, table)
})
afterAll(() => removeDir(root))

const recflow = (args: string[], PATH = `${bin}${path.delimiter}/usr/bin${path.delimiter}/bin`) => runCommandInProcess(args, { home, env: { PATH } })

describe('recflow cron / scheduler', () => {
  it('install, status, tick, a tick beside a running one, uninstall', async () => {
    fs.writeFileSync(table, '0 3 * * * backup\n')
    const install = await recflow(['cron', 'install'])
    expect(install).toMatchObject({ code: 0, stdout: expect.stringContaining('Installed the recflow block in your crontab:') })
    expect((await recflow(['cron', 'install'])).stdout).toContain('already up to date')
    expect(fs.readFileSync(table, 'utf8')).toMatch(/^0 3 \* \* \* backup\n# BEGIN recflow \(managed; do not edit\)\n\* \* \* \* \* RECFLOW_HOME=\S+ PATH=\S+ \S+ \S+bin\/run\.js scheduler tick >> \S+tick\.log 2>&1\n# END recflow\n$/)

    const tick = await recflow(['scheduler', 'tick'])
    expect(tick).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d{4}-\d\d-\d\dT\S+ tick: 0 job run\(s\) queued; 0 task\(s\) ran, 0 failed\n$/) })

    const status = await recflow(['cron', 'status'])
    expect(status.stdout).toMatch(/Installed:\n {2}# BEGIN recflow/)
    expect(status.stdout).toMatch(/Last tick: \d{4}-\S+ \(queued 0, ran 0, failed 0\)\nNext due job: none \(add a job: `recflow jobs add /)
    expect(status.stdout).not.toContain('differs')

    // A tick still running (this process holds the lock): the next one says so and exits 0 at once.
    const lock = path.join(home, 'data', 'scheduler', 'tick.lock')
    fs.writeFileSync(lock, `${process.pid}\n`)
    try {
      const second = await recflow(['scheduler', 'tick'])
      expect(second).toMatchObject({ code: 0, stdout: expect.stringContaining(`another scheduler tick is running (pid ${process.pid}, since `) })
    } finally {
      fs.rmSync(lock)
    }

    expect((await recflow(['cron', 'uninstall'])).stdout).toContain('Removed the recflow block')
    expect(fs.readFileSync(table, 'utf8')).toBe('0 3 * * * backup\n')
  })

  it('without a crontab command: exit 2 and a hint naming scheduler run and launchd', async () => {
    const result = await recflow(['cron', 'install', '--json'], path.join(root, 'nowhere'))
    expect(result.code).toBe(2)
    expect(result.json.error).toMatchObject({ message: expect.stringContaining('`crontab` command was not found'), hint: expect.stringContaining('recflow scheduler run') })
  })
})
