import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ProviderError, type PublishControl, type PublishInput, type PublishResult, type VideoPublisher } from '../types.js'

const MAX_BASE_BYTES = 180
const MAX_CANDIDATES = 1000
const { COPYFILE_EXCL, COPYFILE_FICLONE } = fs.constants

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

const errnoOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | null)?.code

/** "ENOSPC: no space left on device, copyfile 'a' -> 'b'" -> "no space left on device (ENOSPC)". */
function describe(e: unknown): string {
  const code = errnoOf(e)
  const message = e instanceof Error ? e.message : String(e)
  if (code === undefined || !message.startsWith(`${code}: `)) return message
  return `${message.slice(code.length + 2).replace(/, \w+ '.*$/s, '')} (${code})`
}

/** Local disk failures need the user (free space, fix a permission): permanent, never retried as if transient. */
function failure(what: string, e: unknown): ProviderError {
  return new ProviderError('local', 'permanent', `${what}: ${describe(e)}`, { cause: e })
}

// link(2) where the file system has no hard links (FAT, some network shares).
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'ENOSYS'])

/**
 * Puts a staged file at `final` only if nothing is there: link(2) never replaces its target and never follows a
 * link planted at it (a rename would do both). Without hard links, an exclusive copy (O_CREAT|O_EXCL) does the same.
 */
async function placeExclusively(staged: string, final: string): Promise<void> {
  try {
    await fs.promises.link(staged, final)
  } catch (e) {
    if (!NO_HARD_LINKS.has(errnoOf(e) ?? '')) throw e
    await fs.promises.copyFile(staged, final, COPYFILE_EXCL)
  }
}

async function unlinkIfPresent(file: string): Promise<void> {
  await fs.promises.unlink(file).catch((e: unknown) => {
    if (errnoOf(e) !== 'ENOENT') throw e
  })
}

const STAGING_PREFIX = '.recflow-publish-'
// Host and pid of the process that stages, so a staging folder left by a killed recflow can be told from a live one.
const stagingOwner = () => `${os.hostname().replace(/[^A-Za-z0-9.]/g, '_')}-${process.pid}`

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return errnoOf(e) === 'EPERM'
  }
}

/** Removes staging folders of recflow processes of this host that died mid-publish (a SIGKILL): their partial copies. */
async function removeAbandonedStaging(dir: string): Promise<void> {
  const host = os.hostname().replace(/[^A-Za-z0-9.]/g, '_')
  const names = await fs.promises.readdir(dir).catch(() => [] as string[])
  for (const name of names) {
    if (!name.startsWith(`${STAGING_PREFIX}${host}-`)) continue
    const pid = Number(name.slice(`${STAGING_PREFIX}${host}-`.length).split('-')[0])
    if (!Number.isSafeInteger(pid) || pid <= 0 || processExists(pid)) continue
    await fs.promises.rm(path.join(dir, name), { recursive: true, force: true }).catch(() => undefined)
  }
}

/**
 * After a republish under this target's own name: the files its earlier publication placed that the new one does
 * not have (captions turned off, a subtitle format dropped) are removed; only those, only in this folder, only
 * under this name. A file that cannot be removed stays (the new publication is complete either way).
 */
async function removeDropped(dir: string, base: string, earlier: readonly string[], now: readonly string[]): Promise<void> {
  for (const file of earlier) {
    if (now.includes(file) || path.dirname(file) !== dir || !path.basename(file).startsWith(`${base}.`)) continue
    await unlinkIfPresent(file).catch(() => undefined)
  }
}

/** The names to try: the one this target reserved before (a retry), then `name`, `name (2)`, `name (3)`, … */
function* candidates(own: string | undefined, wanted: string): Generator<string> {
  if (own !== undefined) yield own
  for (let n = 1; n <= MAX_CANDIDATES; n++) {
    const name = n === 1 ? wanted : `${wanted} (${n})`
    if (name !== own) yield name
  }
}

/**
 * The embedded default publisher: copies the media and its sidecars (subtitles, transcript, poster) into a
 * folder under a rendered name, plus a metadata JSON.
 *
 * Safety: every byte is first written into a private staging folder made by mkdtemp inside the destination
 * (mode 0700, unpredictable name: nothing can be planted in it, so nothing is written through a link). The final
 * name is reserved for this target through `control.reserve` (a UNIQUE row) and each file is then placed with
 * link(2), which fails instead of replacing anything already there; a name taken in the folder or held by another
 * target moves on to `name (2)`. Only the name this target reserved before (a retry, a forced republish) has its
 * old files replaced. Whatever happens, the staging folder is removed, and the files of a half-placed name are too.
 */
export function folderPublisher(destination: string): VideoPublisher {
  const dir = path.resolve(destination)
  return {
    platform: 'local',
    async publish(input: PublishInput, control: PublishControl = {}): Promise<PublishResult> {
      const { signal } = control
      try {
        await fs.promises.mkdir(dir, { recursive: true })
      } catch (e) {
        throw failure(`cannot create the destination folder ${dir}`, e)
      }
      await removeAbandonedStaging(dir)
      let staging: string
      try {
        staging = await fs.promises.mkdtemp(path.join(dir, `${STAGING_PREFIX}${stagingOwner()}-`))
      } catch (e) {
        throw failure(`cannot write into ${dir}`, e)
      }
      try {
        const ext = path.extname(input.mediaFile)
        const sources = [{ from: input.mediaFile, suffix: ext }, ...input.sidecars.map((s) => ({ from: s.path, suffix: s.suffix }))]
        const sizes = await Promise.all(sources.map((s) => fs.promises.stat(s.from).then((st) => st.size)))
        const total = sizes.reduce((a, b) => a + b, 0)
        let done = 0
        const staged: Array<{ file: string; suffix: string }> = []
        for (const [i, s] of sources.entries()) {
          signal?.throwIfAborted()
          const file = path.join(staging, `${i}${s.suffix}`)
          try {
            // fs.copyFile lets the kernel copy (copy_file_range, or a reflink), several times faster than streaming.
            await fs.promises.copyFile(s.from, file, COPYFILE_EXCL | COPYFILE_FICLONE)
          } catch (e) {
            throw failure(`cannot copy ${s.from} into ${dir}`, e)
          }
          staged.push({ file, suffix: s.suffix })
          done += sizes[i]!
          if (total > 0) control.onProgress?.(Math.min(99, (done / total) * 100), { sent: done, total })
        }

        const previous = input.previous?.path
        const own = control.reserve && previous !== undefined && path.dirname(previous) === dir ? path.basename(previous, ext) : undefined
        for (const base of candidates(own, safeBaseName(input.baseName))) {
          signal?.throwIfAborted()
          const mediaPath = path.join(dir, base + ext)
          if (control.reserve && !(await control.reserve(mediaPath))) continue
          const finals = staged.map((s) => ({ from: s.file, to: path.join(dir, base + s.suffix) }))
          const metaPath = path.join(dir, `${base}.json`)
          const metaStaged = path.join(staging, 'metadata.json')
          const placed: string[] = []
          let current = metaPath
          try {
            await fs.promises.rm(metaStaged, { force: true })
            await fs.promises.writeFile(
              metaStaged,
              JSON.stringify({ ...input.metadata, files: finals.map((f) => path.basename(f.to)) }, null, 2) + '\n',
              { flag: 'wx' },
            )
            for (const f of [...finals, { from: metaStaged, to: metaPath }]) {
              signal?.throwIfAborted()
              current = f.to
              // Our own earlier copy (a retry after a crash, or a forced republish) makes way; nothing else does.
              if (base === own) await unlinkIfPresent(f.to)
              await placeExclusively(f.from, f.to)
              placed.push(f.to)
            }
          } catch (e) {
            await Promise.all(placed.map((p) => unlinkIfPresent(p).catch(() => undefined)))
            if (signal?.aborted) throw e
            if (errnoOf(e) === 'EEXIST') {
              // Taken by a file we did not write: this name is not ours; give the reservation back, try the next.
              await control.reserve?.(null)
              continue
            }
            throw failure(`cannot write ${current}`, e)
          }
          const files = [...finals.map((f) => f.to), metaPath]
          if (base === own) await removeDropped(dir, base, input.previous?.files ?? [], files)
          control.onProgress?.(100, { sent: total, total })
          return { id: mediaPath, url: `file://${mediaPath}`, files }
        }
        throw new ProviderError('local', 'permanent', `no free file name for "${safeBaseName(input.baseName)}" in ${dir} after ${MAX_CANDIDATES} tries`)
      } finally {
        await fs.promises.rm(staging, { recursive: true, force: true }).catch(() => undefined)
      }
    },
  }
}
