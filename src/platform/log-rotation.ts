import fs from 'node:fs'

export const LOG_MAX_BYTES = 1024 * 1024
export const LOGS_KEPT = 3

/** `log` -> `log.1` -> … -> `log.<kept>` once it passes maxBytes (the oldest dropped). True when it rotated. */
export function rotateLog(log: string, maxBytes = LOG_MAX_BYTES, kept = LOGS_KEPT): boolean {
  let size: number
  try {
    size = fs.statSync(log).size
  } catch {
    return false
  }
  if (size < maxBytes) return false
  for (let i = kept - 1; i >= 1; i--) {
    if (fs.existsSync(`${log}.${i}`)) fs.renameSync(`${log}.${i}`, `${log}.${i + 1}`)
  }
  fs.renameSync(log, `${log}.1`)
  return true
}

/**
 * Appends lines to `log`, rotating it (rotateLog) when a write takes it past maxBytes: a long-running process's log
 * stays bounded, where rotating only at start would let it grow for as long as the process lives.
 */
export function rotatingLogWriter(log: string, maxBytes = LOG_MAX_BYTES, kept = LOGS_KEPT): { write(line: string): void; close(): void } {
  let fd = fs.openSync(log, 'a', 0o600)
  let size = fs.fstatSync(fd).size
  return {
    write(line: string) {
      const bytes = Buffer.from(line)
      if (size > 0 && size + bytes.length > maxBytes) {
        fs.closeSync(fd)
        // rotateLog rotates from maxBytes on: the file is renamed however full it is now.
        rotateLog(log, 0, kept)
        fd = fs.openSync(log, 'a', 0o600)
        size = 0
      }
      fs.writeSync(fd, bytes)
      size += bytes.length
    },
    close() {
      fs.closeSync(fd)
    },
  }
}
