import { opendir, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { RecflowError } from '../../domain/errors.js'
import { throwIfCancelled } from './cancellation.js'
import { compileGlob } from './glob.js'
import { mapBounded } from './map-bounded.js'

/** A file a local source offers. `relPath` ('/'-separated, relative to the source folder) is its stable identity. */
export interface ScannedFile {
  /** The folder as configured joined with relPath: the exact path to open, never re-encoded. */
  path: string
  relPath: string
  size: number
  mtimeMs: number
}

export interface ScanOptions {
  glob: string
  recursive: boolean
  signal?: AbortSignal
  /** Something under the folder could not be read (a subfolder without permission); the scan goes on. */
  onSkip?: (relPath: string, reason: string) => void
  /** The source whose folder this is: named in the hint when the folder is missing (`sources edit 3 --path DIR`). */
  sourceId?: number
}

/**
 * Walks a folder and yields the files the glob selects in name order, folder by folder (so runs are
 * deterministic), one at a time, so a folder of many thousands of files costs little memory.
 * Skipped: dotfiles and dot-folders (sync clients' temp files, .DS_Store), `*.part` (downloads in progress),
 * anything not a regular file, and symlinks: a link to a file is followed only when its target lies inside the
 * folder; linked folders are never entered (no cycles, no escaping the folder).
 */
export async function* scanFolder(root: string, opts: ScanOptions): AsyncGenerator<ScannedFile> {
  const matches = compileGlob(opts.glob)
  const realRoot = await resolveFolder(root, opts.sourceId)
  type Stat = { size: number; mtimeMs: number } | undefined
  // A folder's selected files are stat'ed together, a few at a time: one after another, a folder of 10,000
  // files cost a no-change sync most of its time in round trips to the thread pool.
  const open = async (relDir: string): Promise<{ relDir: string; entries: FolderEntry[]; stats: Map<string, Stat>; next: number }> => {
    const entries = await readFolder(relDir === '' ? root : path.join(root, relDir), relDir, opts)
    const selected = entries.filter((e) => e.kind !== 'dir' && matches(relDir === '' ? e.name : `${relDir}/${e.name}`))
    const stats = await mapBounded(selected, STAT_CONCURRENCY, (entry) => {
      const relPath = relDir === '' ? entry.name : `${relDir}/${entry.name}`
      const abs = path.join(root, relPath)
      const onError = (e: unknown) => opts.onSkip?.(relPath, `cannot read this file (${errorCode(e)})`)
      return entry.kind === 'file' ? statFile(abs, onError) : statLinkedFile(abs, realRoot, onError)
    })
    return { relDir, entries, stats: new Map(selected.map((e, i) => [e.name, stats[i]])), next: 0 }
  }
  // Depth first, in name order: a folder's files and subfolders come where their names sort among its entries.
  const stack = [await open('')]
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as (typeof stack)[number]
    const entry = frame.entries[frame.next++]
    if (entry === undefined) {
      stack.pop()
      continue
    }
    throwIfCancelled(opts.signal)
    const relPath = frame.relDir === '' ? entry.name : `${frame.relDir}/${entry.name}`
    if (entry.kind === 'dir') {
      if (opts.recursive) stack.push(await open(relPath))
      continue
    }
    const file = frame.stats.get(entry.name)
    if (file) yield { path: path.join(root, relPath), relPath, size: file.size, mtimeMs: file.mtimeMs }
  }
}

const STAT_CONCURRENCY = 16

/** The whole scan as a list, in scan order. */
export async function listFolder(root: string, opts: ScanOptions): Promise<ScannedFile[]> {
  const out: ScannedFile[] = []
  for await (const f of scanFolder(root, opts)) out.push(f)
  return out
}

interface FolderEntry {
  name: string
  kind: 'dir' | 'file' | 'link'
}

async function readFolder(abs: string, relDir: string, opts: ScanOptions): Promise<FolderEntry[]> {
  const entries: FolderEntry[] = []
  try {
    const dir = await opendir(abs)
    for await (const d of dir) {
      if (d.name.startsWith('.') || d.name.endsWith('.part')) continue
      const kind = d.isDirectory() ? 'dir' : d.isFile() ? 'file' : d.isSymbolicLink() ? 'link' : undefined
      if (kind) entries.push({ name: d.name, kind })
    }
  } catch (e) {
    if (relDir === '') throw e
    opts.onSkip?.(relDir, `cannot read this folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
    return []
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

async function resolveFolder(root: string, sourceId: number | undefined): Promise<string> {
  const hint = `point the source at an existing folder with \`recflow sources edit ${sourceId ?? 'ID'} --path DIR\``
  try {
    const st = await stat(root)
    if (!st.isDirectory()) throw new RecflowError('validation', `${root} is not a folder`, { hint })
    return await realpath(root)
  } catch (e) {
    if (e instanceof RecflowError) throw e
    const code = (e as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (e as Error).message})`
    throw new RecflowError('validation', `folder ${root} ${why}`, { hint })
  }
}

/**
 * Files can vanish between listing and stat (a recorder finishing, a sync client renaming): ENOENT skips them
 * quietly. Any other error (EACCES, ELOOP, EIO) says nothing about whether the file is there, so it is reported
 * through `onError` and the caller must not take the file for vanished.
 */
async function statFile(abs: string, onError: (e: unknown) => void): Promise<{ size: number; mtimeMs: number } | undefined> {
  try {
    const st = await stat(abs)
    return st.isFile() ? { size: st.size, mtimeMs: st.mtimeMs } : undefined
  } catch (e) {
    if (errorCode(e) !== 'ENOENT') onError(e)
    return undefined
  }
}

async function statLinkedFile(
  abs: string,
  realRoot: string,
  onError: (e: unknown) => void,
): Promise<{ size: number; mtimeMs: number } | undefined> {
  let target: string
  try {
    target = await realpath(abs)
  } catch (e) {
    // A dangling link is simply not a file; a link loop or a denied lookup is a file we cannot read.
    if (errorCode(e) !== 'ENOENT') onError(e)
    return undefined
  }
  const rel = path.relative(realRoot, target)
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined
  return statFile(target, onError)
}

export function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message
}
