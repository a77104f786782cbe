import crypto from 'node:crypto'
import fs from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { RecflowError } from '../domain/errors.js'

export interface FileLockOptions {
  /** Give up after this long; default 10 s. */
  timeoutMs?: number
  /** A lock older than this whose holder cannot be checked is taken over; default 60 s. */
  staleMs?: number
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export interface LockHolder {
  /** The pid written in the lock; null while the holder is still writing it (or wrote nonsense). */
  pid: number | null
  since: Date
  /** Which file this is (device and inode; see sameLock). */
  dev: number
  ino: number
}

/** Who holds `lock`, or null when it is gone (released meanwhile). Content and identity are read from one open. */
export function readHolder(lock: string): LockHolder | null {
  let fd: number
  try {
    fd = fs.openSync(lock, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW)
  } catch {
    return null
  }
  try {
    const st = fs.fstatSync(fd)
    const n = Number(fs.readFileSync(fd, 'utf8').trim())
    return { pid: Number.isSafeInteger(n) && n > 0 ? n : null, since: st.mtime, dev: st.dev, ino: st.ino }
  } catch {
    return null
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * The same lock file: inode numbers alone do not say it (a file system may give a lock made just after another was
 * removed the same inode), so its content and time must agree too; a new lock holds another, live, pid.
 */
function sameLock(a: LockHolder, b: LockHolder): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.pid === b.pid && a.since.getTime() === b.since.getTime()
}

/**
 * Removes the lock `holder` judged gone, and only that one. Two waiters can judge the same dead lock gone; the
 * first removes it and makes its own, and a plain unlink by the second would then remove the first's fresh lock,
 * letting both in. So the lock is first renamed aside (one rename wins; the other finds nothing), and a file that
 * turns out to be another one than the judged one is linked back in place.
 */
export function takeOverLock(lock: string, holder: LockHolder): void {
  const aside = `${lock}.gone-${process.pid}-${crypto.randomBytes(4).toString('hex')}`
  try {
    fs.renameSync(lock, aside)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return // taken over (or released) by another process
    throw e
  }
  try {
    const moved = readHolder(aside)
    if (moved !== null && !sameLock(moved, holder)) {
      try {
        fs.linkSync(aside, lock) // a live process's lock: put it back
      } catch {
        // EEXIST: yet another process made a lock in between; it is the holder now
      }
    }
  } finally {
    fs.rmSync(aside, { force: true })
  }
}

/**
 * True when the holder is gone: its pid no longer exists, or the lock is older than `aliveMs` (a live holder) or
 * `unknownMs` (no pid in it: a holder that died while writing it).
 */
function holderGone(h: LockHolder, limits: { aliveMs: number; unknownMs: number }): boolean {
  const age = Date.now() - h.since.getTime()
  if (h.pid === null) return age > limits.unknownMs
  return !pidAlive(h.pid) || age > limits.aliveMs
}

/** Creates `lock` holding this process's pid; throws EEXIST when it exists (O_EXCL: one creator wins). */
function createLockFile(lock: string): void {
  const fd = fs.openSync(lock, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600)
  try {
    fs.writeSync(fd, `${process.pid}\n`)
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * Runs `fn` while holding an exclusive lock file (created with O_EXCL, holding this process's pid), so a
 * read-modify-write of a shared file by two processes never loses one of the writes. A lock left by a process that
 * died is taken over. Processes of one host only (the config folder is local).
 */
export async function withFileLock<T>(lock: string, fn: () => Promise<T> | T, opts: FileLockOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000)
  const staleMs = opts.staleMs ?? 60_000
  for (;;) {
    try {
      createLockFile(lock)
      break
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      // Unreadable (released meanwhile, or not ours to read): wait and look again, up to the deadline.
      const holder = readHolder(lock)
      if (holder !== null && holderGone(holder, { aliveMs: staleMs, unknownMs: staleMs })) {
        takeOverLock(lock, holder)
        continue
      }
      if (Date.now() > deadline) {
        throw new RecflowError('conflict', `${lock} is held by another recflow process`, {
          hint: `wait for it to finish; if no recflow is running, delete ${lock}`,
        })
      }
      await sleep(10 + Math.random() * 20)
    }
  }
  try {
    return await fn()
  } finally {
    fs.rmSync(lock, { force: true })
  }
}

/** A lock taken by tryFileLock, or who holds it. */
export type TryLockResult = { acquired: true; release(): void } | { acquired: false; holderPid: number | null; since: Date | null }

/**
 * Takes `lock` at once or reports its holder; never waits. For work that may run long (a scheduler tick): the lock
 * stays held however long the work takes, and is taken over only when the pid written in it is no longer alive
 * (no age limit, so a long tick is never run twice at once).
 */
export function tryFileLock(lock: string): TryLockResult {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      createLockFile(lock)
      return { acquired: true, release: () => fs.rmSync(lock, { force: true }) }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const holder = readHolder(lock)
      if (holder === null) continue // removed meanwhile: try again
      if (holderGone(holder, { aliveMs: Infinity, unknownMs: 60_000 })) {
        takeOverLock(lock, holder)
        continue
      }
      return { acquired: false, holderPid: holder.pid, since: holder.since }
    }
  }
  return { acquired: false, holderPid: null, since: null }
}
