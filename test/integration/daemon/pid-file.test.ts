import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadRuntimeEnv, type RuntimeEnv } from '../../../src/platform/config.js'
import { claimPidFile, daemonPaths, readDaemons } from '../../../src/services/daemon/daemon-files.js'
import { stopDaemons } from '../../../src/services/daemon/daemon-stop.js'

let home: string
let env: RuntimeEnv
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-pid-'))
  env = loadRuntimeEnv({ RECFLOW_HOME: home, PATH: '' })
  fs.mkdirSync(env.dataDir, { recursive: true })
})
afterEach(() => fs.rmSync(home, { recursive: true, force: true }))

/** The pid of a process that has exited (and been reaped): no process has it now. */
const deadPid = () => spawnSync('true').pid!
const info = { url: 'http://127.0.0.1:8123', host: '127.0.0.1', port: 8123, startedAt: '2026-12-05T09:00:00.000Z', graceMs: 30_000 }

describe('the daemon pid file', () => {
  it('is created with this pid, described once ready, refuses a second claim naming pid and address, and is removed on release', () => {
    const claim = claimPidFile(env, 'full')
    const paths = daemonPaths(env, 'full')
    expect(fs.readFileSync(paths.pid, 'utf8')).toBe(`${process.pid}\n`)
    claim.ready(info)
    expect(() => claimPidFile(env, 'full')).toThrow(
      expect.objectContaining({ code: 'conflict', message: `a daemon is already running (pid ${process.pid}) on 127.0.0.1:8123`, hint: expect.stringContaining('recflow daemon stop') }),
    )
    // A full daemon serves the API and runs the worker: neither half may start beside it.
    expect(() => claimPidFile(env, 'api')).toThrow(/already running/)
    expect(() => claimPidFile(env, 'worker')).toThrow(/already running/)
    expect(fs.existsSync(daemonPaths(env, 'api').pid)).toBe(false)
    claim.release()
    expect(fs.existsSync(paths.pid)).toBe(false)
    expect(fs.existsSync(paths.info)).toBe(false)
  })

  it('lets an API-only and a worker-only daemon share a home', () => {
    const api = claimPidFile(env, 'api')
    const worker = claimPidFile(env, 'worker')
    expect(readDaemons(env).map((d) => [d.mode, d.alive])).toEqual([['api', true], ['worker', true]])
    expect(() => claimPidFile(env, 'full')).toThrow(/already running/)
    api.release()
    worker.release()
    expect(readDaemons(env)).toEqual([])
  })

  it('replaces the stale pid file of a daemon that died, and its info file', () => {
    const paths = daemonPaths(env, 'full')
    const pid = deadPid()
    fs.writeFileSync(paths.pid, `${pid}\n`)
    fs.writeFileSync(paths.info, JSON.stringify({ pid, mode: 'full', ...info }))
    expect(readDaemons(env)).toMatchObject([{ mode: 'full', pid, alive: false, info: { url: info.url } }])
    const claim = claimPidFile(env, 'full')
    expect(fs.readFileSync(paths.pid, 'utf8')).toBe(`${process.pid}\n`)
    expect(fs.existsSync(paths.info)).toBe(false)
    claim.release()
  })

  it('release leaves a pid file that another process has taken over', () => {
    const claim = claimPidFile(env, 'worker')
    const paths = daemonPaths(env, 'worker')
    fs.writeFileSync(paths.pid, '1\n')
    claim.release()
    expect(fs.readFileSync(paths.pid, 'utf8')).toBe('1\n')
  })

  it('stop removes a stale pid file and says nothing was running when there is none', async () => {
    expect(await stopDaemons(env)).toEqual([])
    const pid = deadPid()
    fs.writeFileSync(daemonPaths(env, 'api').pid, `${pid}\n`)
    expect(await stopDaemons(env)).toEqual([{ mode: 'api', pid, outcome: 'stale', waitedMs: 0 }])
    expect(fs.existsSync(daemonPaths(env, 'api').pid)).toBe(false)
  })
})
