import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'

/** How much of each end of a file the hash covers. Recorders append, editors rewrite headers: both ends change. */
export const FINGERPRINT_EDGE_BYTES = 1024 * 1024

export interface FileFingerprint {
  size: number
  /** Whole milliseconds (file systems differ in sub-millisecond precision). */
  mtimeMs: number
  /** sha256 (hex) of the first and last MiB (the whole file when it is at most 2 MiB). */
  hash: string
}

/** How many leading bytes `fingerprintWithHead` hands back, enough to recognise a container by its signature. */
export const HEAD_BYTES = 1024

export async function fingerprintFile(file: string): Promise<FileFingerprint> {
  return (await fingerprintWithHead(file)).fingerprint
}

/**
 * Reads at most 2 MiB however large the file is (two positioned reads on one handle). Size and mtime come from
 * the same handle, so they describe the bytes that were hashed. The first bytes come back too (`head`), so a
 * sync can tell a media container from anything else without reading the file again.
 */
export async function fingerprintWithHead(file: string): Promise<{ fingerprint: FileFingerprint; head: Buffer }> {
  const handle = await open(file, 'r')
  try {
    const st = await handle.stat()
    const size = st.size
    const hash = createHash('sha256')
    const edge = FINGERPRINT_EDGE_BYTES
    const ranges = size <= 2 * edge ? [[0, size]] : [[0, edge], [size - edge, edge]]
    let head = Buffer.alloc(0)
    for (const [position, length] of ranges as Array<[number, number]>) {
      const buffer = Buffer.alloc(length)
      let read = 0
      while (read < length) {
        const { bytesRead } = await handle.read(buffer, read, length - read, position + read)
        if (bytesRead === 0) break // the file shrank while we read; hash what is there
        read += bytesRead
      }
      hash.update(buffer.subarray(0, read))
      if (position === 0) head = Buffer.from(buffer.subarray(0, Math.min(read, HEAD_BYTES)))
    }
    return { fingerprint: { size, mtimeMs: Math.trunc(st.mtimeMs), hash: hash.digest('hex') }, head }
  } finally {
    await handle.close()
  }
}

/** The `source_fingerprint` column: `<size>:<mtime ms>:sha256:<hex>`. */
export function formatFingerprint(fp: FileFingerprint): string {
  return `${fp.size}:${fp.mtimeMs}:sha256:${fp.hash}`
}

export function parseFingerprint(text: string | null | undefined): FileFingerprint | undefined {
  const m = /^(\d+):(\d+):sha256:([0-9a-f]{64})$/.exec(text ?? '')
  if (!m) return undefined
  return { size: Number(m[1]), mtimeMs: Number(m[2]), hash: m[3] as string }
}

/**
 * Whether a file's size and mtime are still those of the stored fingerprint. Like rsync, an unchanged size and
 * mtime is trusted without reading the file, so re-syncing a folder of thousands of recordings reads nothing.
 */
export function sameStat(stored: FileFingerprint | undefined, file: { size: number; mtimeMs: number }): boolean {
  return stored !== undefined && stored.size === file.size && stored.mtimeMs === Math.trunc(file.mtimeMs)
}

/** Same bytes (as far as the fingerprint can tell) even if the mtime moved, e.g. after a copy or a `touch`. */
export function sameContent(stored: FileFingerprint | undefined, fresh: FileFingerprint): boolean {
  return stored !== undefined && stored.size === fresh.size && stored.hash === fresh.hash
}
