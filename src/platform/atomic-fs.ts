import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'

/** Writes a file so readers see the old content or the new one, never half: write `*.part`, fsync, rename. */
export function writeFileAtomicSync(file: string, data: string | Uint8Array, mode?: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const part = `${file}.${crypto.randomBytes(4).toString('hex')}.part`
  const fd = fs.openSync(part, 'w', mode ?? 0o644)
  try {
    fs.writeFileSync(fd, data)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  try {
    if (mode !== undefined) fs.chmodSync(part, mode)
    fs.renameSync(part, file)
  } catch (e) {
    fs.rmSync(part, { force: true })
    throw e
  }
}

export function ensureDir(dir: string, mode?: number): void {
  fs.mkdirSync(dir, { recursive: true, mode })
}
