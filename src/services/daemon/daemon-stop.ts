import fs from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { conflict } from '../../domain/errors.js'
import type { RuntimeEnv } from '../../platform/config.js'
import { daemonPaths, processAlive, readDaemons, type DaemonMode } from './daemon-files.js'

export interface StopOptions {
  /** How long to wait for each daemon to exit; default its grace period + 30 s (cleanup and closing the server). */
  timeoutMs?: number
  /** SIGKILL a daemon that has not exited by then (its tasks go back to the queue when the next worker starts). */
  kill?: boolean
  pollMs?: number
}

export interface StopOutcome {
  mode: DaemonMode
  pid: number | null
  /** stopped: it exited after SIGTERM; killed: after SIGKILL; stale: it was not running (its files removed). */
  outcome: 'stopped' | 'killed' | 'stale'
  waitedMs: number
}

const EXTRA_MS = 30_000

/** Waits until the process is gone or its pid file is (a clean stop removes it last). False on timeout. */
async function exited(pid: number, pidFile: string, timeoutMs: number, pollMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  const ours = () => {
    try {
      return Number(fs.readFileSync(pidFile, 'utf8').trim()) === pid
    } catch {
      return false
    }
  }
  while (processAlive(pid) && ours()) {
    if (Date.now() >= deadline) return false
    await sleep(pollMs)
  }
  return true
}

function removeFiles(env: RuntimeEnv, mode: DaemonMode): void {
  const paths = daemonPaths(env, mode)
  fs.rmSync(paths.info, { force: true })
  fs.rmSync(paths.pid, { force: true })
}

/**
 * `daemon stop`: SIGTERM to every daemon of this home (it stops claiming, lets running tasks finish for its grace
 * period, hands the rest back and exits), waiting for each; a stale pid file is removed. Nothing running: [].
 */
export async function stopDaemons(env: RuntimeEnv, opts: StopOptions = {}): Promise<StopOutcome[]> {
  const pollMs = opts.pollMs ?? 100
  const outcomes: StopOutcome[] = []
  for (const d of readDaemons(env)) {
    const started = Date.now()
    if (!d.alive || d.pid === null) {
      removeFiles(env, d.mode)
      outcomes.push({ mode: d.mode, pid: d.pid, outcome: 'stale', waitedMs: 0 })
      continue
    }
    const pid = d.pid
    const timeoutMs = opts.timeoutMs ?? (d.info?.graceMs ?? 30_000) + EXTRA_MS
    try {
      process.kill(pid, 'SIGTERM')
    } catch {
      // Gone meanwhile.
    }
    if (await exited(pid, daemonPaths(env, d.mode).pid, timeoutMs, pollMs)) {
      outcomes.push({ mode: d.mode, pid, outcome: 'stopped', waitedMs: Date.now() - started })
      continue
    }
    if (!opts.kill) {
      throw conflict(
        `the daemon (pid ${pid}) has not stopped within ${Math.round(timeoutMs / 1000)} s`,
        'it may still be handing tasks back: see `recflow daemon status`; `recflow daemon stop --kill` ends it at once',
      )
    }
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // Gone meanwhile.
    }
    await exited(pid, daemonPaths(env, d.mode).pid, 5_000, pollMs)
    removeFiles(env, d.mode)
    outcomes.push({ mode: d.mode, pid, outcome: 'killed', waitedMs: Date.now() - started })
  }
  return outcomes
}
