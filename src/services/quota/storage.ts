import fs from 'node:fs/promises'
import path from 'node:path'
import { usagePeriod } from '../../domain/quota/index.js'
import type { ServiceDeps, UserRef } from '../context.js'
import { recordingDir } from '../pipeline/recording-files.js'

/** Bytes of the regular files under `dir` (recursively); 0 when it does not exist. */
async function folderBytes(dir: string): Promise<number> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])
  const sizes = await Promise.all(
    entries.filter((e) => e.isFile()).map((e) => fs.stat(path.join(e.parentPath, e.name)).then((s) => s.size, () => 0)),
  )
  return sizes.reduce((sum, n) => sum + n, 0)
}

/** Whether `file` lies under `dir`. */
export function inside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file)
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
}

/**
 * The media a recording keeps in recflow's storage: its own folder (download, processed file, transcript,
 * subtitles) plus its original file when that was stored under the user's media folder (an upload). A file
 * imported or synced from elsewhere stays where it is and is not counted.
 */
async function recordingBytes(deps: ServiceDeps, user: UserRef, recordingId: number): Promise<number> {
  const dir = recordingDir(deps.env.mediaDir, user.id, recordingId)
  let bytes = await folderBytes(dir)
  const rec = await deps.scopes.forUser(user.id).recordings.get(recordingId)
  const original = rec?.original_file
  if (original && !inside(original, dir) && inside(original, path.dirname(dir))) bytes += await fs.stat(original).then((s) => s.size, () => 0)
  return bytes
}

/**
 * Measures a recording's media and moves the user's stored bytes by the difference from the last measurement:
 * called after the pipeline writes (each stage), after a reset or a deletion (the folder is gone: back to 0).
 * The measuring reads files outside any transaction; the write is one short transaction. Returns the change.
 */
export async function measureRecordingStorage(deps: ServiceDeps, user: UserRef, recordingId: number): Promise<number> {
  const bytes = await recordingBytes(deps, user, recordingId)
  return deps.scopes.forUser(user.id).transaction(async (tx) => {
    const previous = await tx.quota.setRecordingBytes(recordingId, bytes)
    const delta = bytes - previous
    if (delta !== 0) await tx.quota.addUsage(usagePeriod(deps.clock.now()), { storage_bytes: delta })
    return delta
  })
}

/** Moves the user's stored bytes by `deltaBytes` (media not tied to one recording); negative frees. */
export async function addStorage(deps: ServiceDeps, user: UserRef, deltaBytes: number): Promise<void> {
  if (deltaBytes === 0) return
  await deps.scopes.forUser(user.id).quota.addUsage(usagePeriod(deps.clock.now()), { storage_bytes: deltaBytes })
}
