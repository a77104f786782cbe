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

/** True when the lock's holder is gone: its pid (written in the file) no longer exists, or the lock is very old. */
function isStale(lock: string, staleMs: number): boolean {
  try {
    const pid = Number(fs.readFileSync(lock, 'utf8').trim())
    if (Number.isSafeInteger(pid) && pid > 0 && !pidAlive(pid)) return true
    return Date.now() - fs.statSync(lock).mtimeMs > staleMs
  } catch {
    return false // gone already, or being written: look again
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
      const fd = fs.openSync(lock, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600)
      try {
        fs.writeSync(fd, `${process.pid}\n`)
      } finally {
        fs.closeSync(fd)
      }
      break
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      if (isStale(lock, staleMs)) {
        fs.rmSync(lock, { force: true })
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
