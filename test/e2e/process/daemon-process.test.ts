import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../../src/app.js'
import { systemScope } from '../../../src/db/index.js'
import { enqueue } from '../../../src/jobs/queue.js'
import { processAlive } from '../../../src/services/daemon/daemon-files.js'
import { startZoomApiFake, type ZoomApiFake } from '../../fakes/zoom-api.js'
import { cliEnv, RUN, runCli, tempHome } from '../../support/cli.js'
import { runCommandInProcess } from '../../support/run-in-process.js'
import { openTestApp } from '../../support/test-app.js'
import { seedZoomCredential } from '../../support/zoom.js'

/*
 * `recflow daemon` as a process: the point is the process itself (its pid file, its signals, detaching), so the
 * daemon is the real CLI, spawned. Everything else (status, stop, the CLI beside it) runs in-process against the
 * same home. The running task is a real sync of a Zoom source whose API fake holds the first request: it is still
 * running when SIGTERM comes, and must go back to the queue after the grace period.
 */

const TOKEN = 'daemon-process-token'
let home: string
let zoom: ZoomApiFake
let app: App
let sourceId: number
let env: Record<string, string>

const pidFile = () => path.join(home, 'data', 'daemon.pid')
const task = async (id: number) => (await systemScope(app.database.db).tasks.get(id))!
const until = async <T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, ms = 20_000): Promise<T> => {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await check()
    if (v !== undefined && v !== false) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

beforeAll(async () => {
  home = tempHome('recflow-daemon-')
  zoom = await startZoomApiFake({ tokens: [TOKEN] })
  app = await openTestApp(home)
  const credentialId = await seedZoomCredential(app, TOKEN)
  sourceId = (await (await app.service('sources')).create(app.localUser, { name: 'zoom', platform: 'zoom', credential_id: credentialId, config: {} })).id
  env = { RECFLOW_ZOOM_API_URL: `${zoom.url}/v2` }
}, 30_000)

afterAll(async () => {
  await app?.close()
  await zoom?.close()
  if (home) fs.rmSync(home, { recursive: true, force: true })
})

describe('recflow daemon start in the foreground', () => {
  it('serves, runs tasks, refuses a second daemon, and on SIGTERM hands the running task back and exits 0', { timeout: 60_000 }, async () => {
    // The sync's first Zoom request is held far longer than the grace period.
    zoom.inject('GET /v2/users', { delayMs: 30_000 })
    const { task: queued } = await enqueue(app.database.db, app.localUser.id, { type: 'sync', payload: { sourceIds: [sourceId] }, maxAttempts: 1 })

    const child = spawn(process.execPath, [RUN, 'daemon', 'start', '--port', '0', '--grace', '300ms'], { cwd: home, env: cliEnv(home, env), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    try {
      const ready = await until(() => stderr.split('\n').find((l) => l.includes('"msg":"daemon ready"')), `the ready line; stderr: ${stderr}`)
      const info = JSON.parse(ready) as { url: string; pid: number; level: string; time: string }
      expect(info).toMatchObject({ level: 'info', pid: child.pid, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) })
      expect(Number(fs.readFileSync(pidFile(), 'utf8').trim())).toBe(child.pid)
      const health = await fetch(`${info.url}/health`)
      expect(health.status).toBe(200)
      expect(await health.json()).toMatchObject({ version: '0.1.0' })
      await until(async () => (await task(queued.id)).state === 'running', 'the sync to be claimed')

      // Beside it, on the same home: the CLI works, status sees it, a second daemon (detached or not) is refused.
      const list = await runCommandInProcess(['tasks', 'list', '--json'], { home, env })
      expect(list.json.data.items).toContainEqual(expect.objectContaining({ id: queued.id, state: 'running' }))
      const status = await runCommandInProcess(['daemon', 'status', '--json'], { home, env })
      expect(status.json.data).toMatchObject({ running: true, daemons: [{ mode: 'full', pid: child.pid, alive: true, info: { url: info.url } }], tasks: { running: 1 } })
      for (const args of [['daemon', 'start', '--port', '0'], ['daemon', 'start', '--port', '0', '--detach']]) {
        const second = await runCommandInProcess(args, { home, env })
        expect(second.code, second.stderr).toBe(1)
        expect(second.stderr).toContain(`a daemon is already running (pid ${child.pid}) on ${info.url.slice('http://'.length)}`)
        expect(second.stderr).toContain('recflow daemon stop')
      }

      child.kill('SIGTERM')
      expect(await exited, stderr).toBe(0)
    } finally {
      child.kill('SIGKILL')
    }
    // Handed back, not failed: pending again with the attempt not counted (max_attempts 1 would forbid a retry).
    expect(await task(queued.id)).toMatchObject({ state: 'pending', attempts: 0, lease_owner: null })
    expect(fs.existsSync(pidFile())).toBe(false)
    expect(stdout).toContain(`recflow daemon running (pid ${child.pid}; API, worker and scheduler) at `)
    expect(stdout).toContain('Daemon stopped (SIGTERM); task(s) ' + queued.id + ' handed back to the queue.')
    // Node's own warnings (a dependency's deprecation notice) are plain text on stderr too; the log lines are JSON.
    const lines = stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; taskIds?: number[] })
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['stopping', 'handed running tasks back to the queue', 'daemon stopped']))
    expect(lines.find((l) => l.msg === 'handed running tasks back to the queue')?.taskIds).toEqual([queued.id])
    expect(stderr).not.toContain(TOKEN)
    // Left for the next worker: cancel it so the next test's daemon does not take it.
    await runCommandInProcess(['tasks', 'cancel', String(queued.id)], { home, env })
  })
})

describe('recflow daemon start --detach', () => {
  it('returns once the daemon is ready with its pid and URL; status shows it; stop ends it and removes the pid file', { timeout: 60_000 }, async () => {
    const started = await runCli(['daemon', 'start', '--detach', '--port', '0', '--worker-only', '--json'], { home, env, timeoutMs: 30_000 })
    expect(started.code, started.stderr).toBe(0)
    const info = started.json.data as { pid: number; url: string | null; mode: string; log: string }
    expect(info).toMatchObject({ mode: 'worker', url: null, log: path.join(home, 'data', 'daemon.log') })
    const pidPath = path.join(home, 'data', 'daemon-worker.pid')
    try {
      expect(Number(fs.readFileSync(pidPath, 'utf8').trim())).toBe(info.pid)
      const status = await runCommandInProcess(['daemon', 'status'], { home, env })
      expect(status.stdout).toMatch(new RegExp(`Daemon running \\(pid ${info.pid}; worker and scheduler only\\), up \\d+s`))
      // The daemon's log is JSON lines in the data folder.
      const logged = fs.readFileSync(info.log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { msg: string })
      expect(logged.map((l) => l.msg)).toContain('daemon ready')

      const stop = await runCommandInProcess(['daemon', 'stop', '--json'], { home, env })
      expect(stop.code, stop.stderr).toBe(0)
      expect(stop.json.data.stopped).toMatchObject([{ mode: 'worker', pid: info.pid, outcome: 'stopped' }])
      expect(fs.existsSync(pidPath)).toBe(false)
      // The pid file goes last but one: the process exits right after.
      await until(() => !processAlive(info.pid), 'the detached daemon to exit', 5_000)
    } finally {
      try {
        process.kill(info.pid, 'SIGKILL')
      } catch {
        // stopped
      }
    }
    const again = await runCommandInProcess(['daemon', 'stop'], { home, env })
    expect(again).toMatchObject({ code: 0, stdout: 'No daemon is running.\n' })
  })
})
