import fs from 'node:fs'
import path from 'node:path'
import { ProviderError, type PublishControl, type PublishInput, type PublishResult, type VideoPublisher } from '../types.js'

const MAX_BASE_BYTES = 180

/** A file name from a rendered title: no path separators, control characters or reserved characters; bounded. */
export function safeBaseName(name: string): string {
  let clean = name
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/[/\\:*?"<>|]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
  while (Buffer.byteLength(clean) > MAX_BASE_BYTES) clean = [...clean].slice(0, -1).join('')
  return clean.trim() || 'recording'
}

async function exists(p: string): Promise<boolean> {
  return fs.promises.access(p).then(() => true, () => false)
}

/** `name.ext`, else `name (2).ext`, … — the first that does not exist yet. */
async function freeBase(dir: string, base: string, ext: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base} (${n})`
    if (!(await exists(path.join(dir, candidate + ext)))) return candidate
  }
}

/**
 * Copies one file as `*.part` then renames it. fs.copyFile lets the kernel copy (copy_file_range, or a reflink
 * where the file system has them), several times faster than streaming the bytes through JavaScript.
 */
async function copyAtomically(from: string, to: string, signal: AbortSignal | undefined): Promise<void> {
  const part = `${to}.part`
  try {
    signal?.throwIfAborted()
    await fs.promises.copyFile(from, part, fs.constants.COPYFILE_FICLONE)
    signal?.throwIfAborted()
    await fs.promises.rename(part, to)
  } catch (e) {
    await fs.promises.rm(part, { force: true })
    throw e
  }
}

/**
 * The embedded default publisher: copies the media and its sidecars (subtitles, transcript, poster) into a
 * folder under a rendered name, plus a metadata JSON. Every file is written as `*.part` and renamed. A retry of
 * the same target reuses the planned name, so a crash between copy and bookkeeping never leaves a duplicate.
 */
export function folderPublisher(destination: string): VideoPublisher {
  return {
    platform: 'local',
    async publish(input: PublishInput, control: PublishControl = {}): Promise<PublishResult> {
      try {
        await fs.promises.mkdir(destination, { recursive: true })
      } catch (e) {
        throw new ProviderError('local', 'permanent', `cannot create the destination folder ${destination}: ${(e as Error).message}`)
      }
      const ext = path.extname(input.mediaFile)
      const planned = input.previous?.path
      const base =
        planned && path.dirname(planned) === path.resolve(destination)
          ? path.basename(planned, ext)
          : await freeBase(destination, safeBaseName(input.baseName), ext)
      const mediaPath = path.join(destination, base + ext)
      await control.onPlanned?.({ id: mediaPath, path: mediaPath })

      const files = [{ from: input.mediaFile, to: mediaPath }, ...input.sidecars.map((s) => ({ from: s.path, to: path.join(destination, base + s.suffix) }))]
      const sizes = await Promise.all(files.map((f) => fs.promises.stat(f.from).then((s) => s.size)))
      const total = sizes.reduce((a, b) => a + b, 0)
      let done = 0
      try {
        for (const [i, f] of files.entries()) {
          await copyAtomically(f.from, f.to, control.signal)
          done += sizes[i]!
          if (total > 0) control.onProgress?.(Math.min(99, (done / total) * 100))
        }
      } catch (e) {
        if (control.signal?.aborted) throw e
        const code = (e as NodeJS.ErrnoException).code
        const kind = code === 'ENOSPC' || code === 'EIO' || code === 'EBUSY' ? 'transient' : 'permanent'
        throw new ProviderError('local', kind, `cannot write into ${destination}: ${(e as Error).message}`, { cause: e })
      }
      const metaPath = path.join(destination, `${base}.json`)
      const part = `${metaPath}.part`
      await fs.promises.writeFile(part, JSON.stringify({ ...input.metadata, files: files.map((f) => path.basename(f.to)) }, null, 2) + '\n')
      await fs.promises.rename(part, metaPath)
      control.onProgress?.(100)
      return { id: mediaPath, url: `file://${mediaPath}`, files: [...files.map((f) => f.to), metaPath] }
    },
  }
}
