import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../../src/app.js'
import { CRON_BLOCK_BEGIN, CRON_BLOCK_END, withCronBlock, withoutCronBlock } from '../../../src/domain/schedule/crontab-block.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'
import { writeCrontabStandIn } from './crontab-stand-in.js'
import { openTestApp } from '../../support/test-app.js'

/* `recflow cron install | uninstall | status` against a `crontab` stand-in on PATH that keeps the table in a file
   (issue 11, Must-show: install twice then uninstall leaves the crontab byte-identical). */

const PROGRAM = { node: '/opt/node 20/bin/node', runJs: '/opt/recflow/bin/run.js' }
const USER_TABLE = 'MAILTO=me@example.com\n# my backups\n0 3 * * * /usr/local/bin/backup --all  >/dev/null 2>&1\n\n*/5 * * * * echo "50%" > /tmp/x\n'

let home: string
let bin: string
let table: string
let app: App
beforeAll(async () => {
  home = makeTempDir()
  bin = path.join(home, 'bin')
  table = path.join(home, 'crontab.txt')
  writeCrontabStandIn(bin, table)
  app = await openTestApp(path.join(home, 'recflow home'), { PATH: `${bin}${path.delimiter}/usr/bin${path.delimiter}/bin` })
})
afterAll(async () => {
  await app.close()
  removeDir(home)
})

describe('cron install / uninstall / status', () => {
  it('installs one block after the user\'s lines, twice is still one, and uninstall gives back the table byte for byte', async () => {
    fs.writeFileSync(table, USER_TABLE)
    const cron = await app.service('cron')
    const first = await cron.install(PROGRAM)
    expect(first.changed).toBe(true)
    const installed = fs.readFileSync(table, 'utf8')
    expect(installed.startsWith(USER_TABLE)).toBe(true)
    const block = installed.slice(USER_TABLE.length).split('\n')
    expect(block[0]).toBe(CRON_BLOCK_BEGIN)
    expect(block[2]).toBe(CRON_BLOCK_END)
    expect(block[1]).toBe(
      `* * * * * RECFLOW_HOME='${path.join(home, 'recflow home')}' PATH=${bin}:/usr/bin:/bin '/opt/node 20/bin/node' /opt/recflow/bin/run.js scheduler tick >> '${path.join(home, 'recflow home', 'data', 'scheduler', 'tick.log')}' 2>&1`,
    )

    expect((await cron.install(PROGRAM)).changed).toBe(false)
    await cron.install({ ...PROGRAM, runJs: '/srv/recflow/bin/run.js' }) // moved: the block is rewritten in place
    const twice = fs.readFileSync(table, 'utf8')
    expect(twice.split(CRON_BLOCK_BEGIN)).toHaveLength(2)
    expect(twice).toContain('/srv/recflow/bin/run.js')

    const status = await cron.status(PROGRAM)
    expect(status).toMatchObject({ installed: true, lastTick: null, nextJob: null })
    expect(status.block?.[1]).not.toBe(status.expectedLine) // installed from elsewhere: status says so

    expect(await cron.uninstall()).toEqual({ removed: true })
    expect(fs.readFileSync(table, 'utf8')).toBe(USER_TABLE)
    expect(await cron.uninstall()).toEqual({ removed: false })
    expect(fs.readFileSync(table, 'utf8')).toBe(USER_TABLE)
  })

  it('treats "no crontab for user" as an empty table', async () => {
    fs.rmSync(table, { force: true })
    const cron = await app.service('cron')
    expect((await cron.status(PROGRAM)).installed).toBe(false)
    await cron.install(PROGRAM)
    expect(fs.readFileSync(table, 'utf8').startsWith(`${CRON_BLOCK_BEGIN}\n* * * * * `)).toBe(true)
    await cron.uninstall()
    expect(fs.readFileSync(table, 'utf8')).toBe('')
  })
})

describe('crontab block edits', () => {
  it('a table without a final newline gets one before the block; a BEGIN cut from its END is removed to the end', () => {
    expect(withCronBlock('0 1 * * * a', ['x'])).toBe(`0 1 * * * a\n${CRON_BLOCK_BEGIN}\nx\n${CRON_BLOCK_END}\n`)
    expect(withoutCronBlock(`a\n${CRON_BLOCK_BEGIN}\nx\n`)).toBe('a\n')
    const between = `a\n${CRON_BLOCK_BEGIN}\nold\n${CRON_BLOCK_END}\nb\n`
    expect(withCronBlock(between, ['new'])).toBe(`a\n${CRON_BLOCK_BEGIN}\nnew\n${CRON_BLOCK_END}\nb\n`)
    expect(withoutCronBlock(between)).toBe('a\nb\n')
  })
})
