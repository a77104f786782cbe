import os from 'node:os'
import { randomBytes } from 'node:crypto'
import { forUser, systemScope, type Executor, type Task } from '../db/index.js'
import { killLeftoverChild } from '../platform/child-processes.js'
import type { Logger } from '../platform/logger.js'

/*
 * A lease owner names the worker that holds a task: `host:pid:random`. A worker process that is killed
 * (SIGKILL, OOM, power loss of a laptop lid) never releases its leases; when it ran on this host, its pid
 * tells at once that it is gone, so the next worker here need not wait for the lease to expire.
 */

export function newLeaseOwner(hostname = os.hostname(), pid = process.pid): string {
  return `${hostname}:${pid}:${randomBytes(3).toString('hex')}`
}

/** host and pid of an owner written by newLeaseOwner; undefined for any other shape. */
export function parseLeaseOwner(owner: string): { hostname: string; pid: number } | undefined {
  const parts = owner.split(':')
  if (parts.length < 3) return undefined
  const pid = Number(parts[parts.length - 2])
  const hostname = parts.slice(0, -2).join(':')
  return Number.isSafeInteger(pid) && pid > 0 && hostname !== '' ? { hostname, pid } : undefined
}

/** True when the process exists (EPERM: it exists but belongs to someone else). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * True only when the owner surely ran on this host and its process no longer exists. Owners of other hosts,
 * of unknown shape, or whose pid is alive (perhaps reused: then the lease simply expires as usual) are not dead.
 */
export function isDeadLocalOwner(
  owner: string,
  probe: { hostname: string; exists: (pid: number) => boolean } = { hostname: os.hostname(), exists: processExists },
): boolean {
  const parsed = parseLeaseOwner(owner)
  return parsed !== undefined && parsed.hostname === probe.hostname && !probe.exists(parsed.pid)
}

/** task_events kinds of the children a task's worker ran (recorded by run-task.ts). */
export const CHILD_STARTED = 'child'
export const CHILD_EXITED = 'child-exited'
/** A child is recorded once it has run this long: quick ffprobe calls are not worth a row each. */
export const CHILD_RECORD_AFTER_MS = 500

/** Kills the children (ffmpeg) the dead owner recorded for the task and never saw end. Returns their pids. */
async function killLeftoverChildren(db: Executor, task: Task, owner: string): Promise<number[]> {
  const events = await forUser(db, task.user_id).taskEvents.latest(task.id, 1000)
  const ended = new Set<number>()
  const killed: number[] = []
  for (const event of events.reverse()) {
    const data = (event.data ?? {}) as { pid?: unknown; command?: unknown; owner?: unknown }
    if (typeof data.pid !== 'number') continue
    if (event.kind === CHILD_EXITED) ended.add(data.pid)
    else if (event.kind === CHILD_STARTED && data.owner === owner && typeof data.command === 'string' && !ended.has(data.pid)) {
      if (killLeftoverChild(data.pid, data.command)) killed.push(data.pid)
    }
  }
  return killed
}

/**
 * Takes a task back from a worker process of this host that no longer exists, without waiting for its lease to
 * run out: cancelled if that was asked, else pending again. The crash is not an attempt (the handler never
 * reported a failure), so the attempt is given back. Returns the task's new row, or undefined when there was
 * nothing to recover.
 */
export async function recoverFromDeadLocalOwner(db: Executor, taskId: number, opts: { now: Date; logger?: Logger }): Promise<Task | undefined> {
  const queue = systemScope(db).tasks
  const task = await queue.get(taskId)
  const owner = task?.lease_owner
  if (task?.state !== 'running' || !owner || !isDeadLocalOwner(owner)) return undefined
  const { now } = opts
  const killed = await killLeftoverChildren(db, task, owner)
  if (killed.length > 0) opts.logger?.info('killed what the dead worker had left running', { taskId, pids: killed })
  const message =
    `the worker process that ran it (${owner}) ended without finishing it; the attempt does not count` +
    (killed.length > 0 ? `; its leftover ${killed.length === 1 ? 'process' : 'processes'} (pid ${killed.join(', ')}) killed` : '')
  const row = task.cancel_requested
    ? await queue.finish(taskId, owner, { state: 'cancelled', error: { code: 'cancelled', message: 'cancelled by the user' }, now })
    : await queue.release(taskId, owner, { now })
  if (row === undefined) return undefined
  opts.logger?.info('recovered a task whose worker process is gone', { taskId, owner, state: row.state })
  await forUser(db, task.user_id)
    .taskEvents.append(taskId, { kind: row.state === 'pending' ? 'recovered' : row.state, message, at: now })
    .catch(() => undefined)
  return row
}

/**
 * Takes back every running task (of one user, when given) whose worker process on this host is gone. Every
 * command that reads or changes tasks calls it first, so a crashed run never leaves a task "running" (a cancel
 * that never ends, a watch that hangs, a reset refused) until its lease expires.
 */
export async function recoverDeadLocalOwners(db: Executor, opts: { now: Date; userId?: number; logger?: Logger }): Promise<Task[]> {
  const running = await systemScope(db).tasks.listRunning({ userId: opts.userId })
  const recovered: Task[] = []
  for (const task of running) {
    if (!task.lease_owner || !isDeadLocalOwner(task.lease_owner)) continue
    const row = await recoverFromDeadLocalOwner(db, task.id, opts)
    if (row !== undefined) recovered.push(row)
  }
  return recovered
}
