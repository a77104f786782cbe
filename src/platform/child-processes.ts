import { AsyncLocalStorage } from 'node:async_hooks'
import fs from 'node:fs'

/*
 * Long-running children (ffmpeg) must die with recflow. Each runs as the leader of its own process group, so a
 * Ctrl-C meant for recflow does not reach it half-way and the whole group can be killed at once:
 *
 * - on exit and on SIGINT/SIGTERM/SIGHUP that nobody else handles, every live group is killed (execa's own
 *   cleanup does not apply to a child in its own group);
 * - SIGKILL cannot be caught: the job layer records each child's pid with its task (`ChildTracker`), and whoever
 *   takes the task back from the dead worker kills what is left (`killLeftoverChild`).
 *
 * The set of live groups and the signal hooks are process-wide by nature (signals are), which is why they live in
 * this module rather than in createApp; the tracker of the task being run travels with its async context.
 */

export interface ChildTracker {
  spawned(pid: number, command: string): void
  exited(pid: number): void
}

const trackers = new AsyncLocalStorage<ChildTracker>()
const liveGroups = new Set<number>()
const HOOKED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
let hooked = false

/** Runs `fn` so that children spawned inside it (however deep) are reported to `tracker`. */
export function runWithChildTracker<T>(tracker: ChildTracker, fn: () => T): T {
  return trackers.run(tracker, fn)
}

function killGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pid, signal)
  } catch {
    try {
      process.kill(pid, signal)
    } catch {
      // already gone
    }
  }
}

function killAllGroups(): void {
  for (const pid of liveGroups) killGroup(pid)
  liveGroups.clear()
}

function onSignal(signal: NodeJS.Signals): void {
  // Someone else handles it (the CLI's Ctrl-C: cancel cleanly, ffmpeg stopped through its AbortSignal): leave it.
  if (process.listenerCount(signal) > 1) return
  killAllGroups()
  for (const s of HOOKED_SIGNALS) process.removeListener(s, onSignal)
  process.kill(process.pid, signal) // the default action, now that nothing of ours is left behind
}

function hook(): void {
  if (hooked) return
  hooked = true
  process.on('exit', killAllGroups)
  for (const s of HOOKED_SIGNALS) process.on(s, onSignal)
}

/** Called by the runner right after spawning a child in its own group. */
export function childStarted(pid: number | undefined, command: string): void {
  if (pid === undefined) return
  hook()
  liveGroups.add(pid)
  trackers.getStore()?.spawned(pid, command)
}

/** Called by the runner once the child has exited. */
export function childEnded(pid: number | undefined): void {
  if (pid === undefined) return
  liveGroups.delete(pid)
  trackers.getStore()?.exited(pid)
}

/** The executable a live process runs (argv[0]), or undefined when it is gone or cannot be seen (non-Linux). */
function commandOf(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]
  } catch {
    return undefined
  }
}

/**
 * Kills the process group of a child recorded by a worker that died, only if that pid still runs the recorded
 * command (a pid can be reused by an unrelated process). True when something was killed.
 */
export function killLeftoverChild(pid: number, command: string): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 1) return false
  if (commandOf(pid) !== command) return false
  killGroup(pid)
  return true
}
