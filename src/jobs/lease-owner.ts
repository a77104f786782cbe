import os from 'node:os'
import { randomBytes } from 'node:crypto'

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
