/** What the daemon benchmarks share: a daemon (or baseline) process started and stopped, its CPU and peak RSS. */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const ROOT = process.cwd()
export const BENCH_DIR = process.env.RECFLOW_BENCH_DIR ?? path.join(os.tmpdir(), 'recflow-bench')
export const ROUNDS = Number(process.env.RECFLOW_BENCH_ROUNDS ?? 3)

export const benchEnv = (home: string): NodeJS.ProcessEnv => ({ ...process.env, RECFLOW_HOME: home, RECFLOW_SECRET_STORE: 'file', RECFLOW_LOG_LEVEL: 'error' })

/** `recflow daemon start --api-only` on `port`, as users run it (no worker: the bench plays the worker). */
export const daemonArgs = (port: number): string[] => [path.join(ROOT, 'bin/run.js'), 'daemon', 'start', '--api-only', '--port', String(port), '--log-level', 'error']

export interface Server {
  child: ChildProcess
  url: string
}

/** Starts a server process and waits until `probe` answers below 500. */
export async function startServer(args: string[], env: NodeJS.ProcessEnv, port: number, probe: string): Promise<Server> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)))
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`)
    try {
      if ((await fetch(`${url}${probe}`)).status < 500) return { child, url }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill('SIGKILL')
  throw new Error(`server did not start: ${stderr}`)
}

export async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((r) => server.child.once('exit', r))
  server.child.kill('SIGTERM')
  await exited
}

/** Peak resident set of a live process (VmHWM), MiB. */
export function peakRssMiB(pid: number | undefined): number {
  const hwm = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
  return hwm ? Number(hwm[1]) / 1024 : NaN
}

/** User + system CPU of a live process so far, milliseconds (clock ticks of 10 ms). */
export function cpuMs(pid: number | undefined): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}
