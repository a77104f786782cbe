import fs from 'node:fs'
import path from 'node:path'
import { writeFileAtomicSync } from '../../platform/atomic-fs.js'
import { tryFileLock } from '../../platform/file-lock.js'
import type { RuntimeEnv } from '../../platform/config.js'
import { processExists } from '../../jobs/lease-owner.js'
import { conflict } from '../../domain/errors.js'

/** What a daemon process runs: everything (the default), only the HTTP API, or only the worker and scheduler. */
export type DaemonMode = 'full' | 'api' | 'worker'
export const DAEMON_MODES: readonly DaemonMode[] = ['full', 'api', 'worker']

/** What a running daemon wrote about itself next to its pid file (once it was ready). */
export interface DaemonInfo {
  pid: number
  mode: DaemonMode
  /** The API's base URL; null for a worker-only daemon. */
  url: string | null
  host: string | null
  port: number | null
  startedAt: string
  graceMs: number
}

/**
 * Where a daemon keeps its files, in the data dir: `daemon.pid` (only the pid, for `kill $(cat …)` and service
 * managers) and `daemon.json` (its URL, mode and start time), per mode, so an API-only and a worker-only daemon
 * can share one home; the log `daemon.log` (a detached daemon's, rotated like the scheduler's).
 */
export function daemonPaths(env: RuntimeEnv, mode: DaemonMode) {
  const base = mode === 'full' ? 'daemon' : `daemon-${mode}`
  return { pid: path.join(env.dataDir, `${base}.pid`), info: path.join(env.dataDir, `${base}.json`), log: path.join(env.dataDir, 'daemon.log') }
}

/** Modes that cannot run beside `mode` on one home: a full daemon already serves the API and runs the worker. */
const CLASHES: Record<DaemonMode, DaemonMode[]> = { full: ['full', 'api', 'worker'], api: ['full', 'api'], worker: ['full', 'worker'] }

/** A daemon of this home as its files tell it: live (its pid exists) or a stale pid file left by one that died. */
export interface DaemonRecord {
  mode: DaemonMode
  pid: number | null
  alive: boolean
  info: DaemonInfo | null
}

export function readDaemon(env: RuntimeEnv, mode: DaemonMode): DaemonRecord | null {
  const paths = daemonPaths(env, mode)
  let text: string
  try {
    text = fs.readFileSync(paths.pid, 'utf8')
  } catch {
    return null
  }
  const n = Number(text.trim())
  const pid = Number.isSafeInteger(n) && n > 0 ? n : null
  let info: DaemonInfo | null = null
  try {
    const parsed = JSON.parse(fs.readFileSync(paths.info, 'utf8')) as DaemonInfo
    // An info file of an earlier daemon (a crash left it) does not describe this pid.
    if (parsed.pid === pid) info = parsed
  } catch {
    info = null
  }
  return { mode, pid, alive: pid !== null && processAlive(pid), info }
}

/**
 * True while the process runs: it exists and is not a zombie (a daemon killed while its parent, or a container's
 * init that reaps nothing, has not collected it yet would otherwise look alive forever).
 */
export function processAlive(pid: number): boolean {
  if (!processExists(pid)) return false
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true // no /proc (macOS): existence is all we can tell
  }
}

/** Every daemon of this home whose pid file exists (live or stale). */
export function readDaemons(env: RuntimeEnv): DaemonRecord[] {
  return DAEMON_MODES.flatMap((mode) => readDaemon(env, mode) ?? [])
}

function describe(d: DaemonRecord): string {
  const where = d.info?.url ? ` on ${d.info.url.replace(/^https?:\/\//, '')}` : d.mode === 'worker' ? ' (worker only)' : ''
  return `a daemon is already running (pid ${d.pid ?? 'unknown'})${where}`
}

/** The refusal when a live daemon of a clashing mode holds this home. */
function alreadyRunning(d: DaemonRecord) {
  return conflict(describe(d), 'stop it first with `recflow daemon stop` (or see it with `recflow daemon status`)')
}

/** Refuses at once when a live daemon that clashes with `mode` holds this home (before a detached start spawns). */
export function refuseIfRunning(env: RuntimeEnv, mode: DaemonMode): void {
  for (const other of CLASHES[mode]) {
    const d = readDaemon(env, other)
    if (d?.alive) throw alreadyRunning(d)
  }
}

/** This process's claim on the home as a daemon of one mode: its pid file, then its info file. */
export interface PidFileClaim {
  /** Writes daemon.json (the daemon is ready). */
  ready(info: Omit<DaemonInfo, 'pid' | 'mode'>): void
  /** Removes both files (only if they are still this process's). */
  release(): void
}

/**
 * Creates the pid file exclusively with this process's pid; a stale one (its pid is gone) is replaced, a live one
 * of a clashing mode refuses with "a daemon is already running (pid N) on HOST:PORT".
 */
export function claimPidFile(env: RuntimeEnv, mode: DaemonMode): PidFileClaim {
  const paths = daemonPaths(env, mode)
  fs.mkdirSync(env.dataDir, { recursive: true, mode: 0o700 })
  const lock = tryFileLock(paths.pid)
  if (!lock.acquired) throw alreadyRunning(readDaemon(env, mode) ?? { mode, pid: lock.holderPid, alive: true, info: null })
  try {
    // A stale info file of the daemon whose pid file was just replaced.
    fs.rmSync(paths.info, { force: true })
    for (const other of CLASHES[mode].filter((m) => m !== mode)) {
      const d = readDaemon(env, other)
      if (d?.alive) throw alreadyRunning(d)
    }
  } catch (e) {
    lock.release()
    throw e
  }
  const ours = () => {
    try {
      return Number(fs.readFileSync(paths.pid, 'utf8').trim()) === process.pid
    } catch {
      return false
    }
  }
  return {
    ready(info) {
      writeFileAtomicSync(paths.info, JSON.stringify({ pid: process.pid, mode, ...info }) + '\n', 0o600)
    },
    release() {
      if (!ours()) return
      fs.rmSync(paths.info, { force: true })
      lock.release()
    },
  }
}
