import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/*
 * Generated test media, made once and shared: by the files of one run (several make the same clips) and by the
 * next runs. An entry is a folder under os.tmpdir()/recflow-test-media named by a hash of what made it: the
 * generator's name and arguments, the ffmpeg that encoded it, and the source of the generator (so editing a
 * generator makes new entries). An entry is made in a private folder and renamed into place, so two workers
 * making the same entry at once both end up with one complete copy. Entries are read-only to tests: callers copy
 * what they need into their own folders (copyFromCache).
 *
 * RECFLOW_TEST_MEDIA_CACHE names another cache folder, or `off` to make every file afresh.
 */

const ROOT = process.env.RECFLOW_TEST_MEDIA_CACHE ?? path.join(os.tmpdir(), 'recflow-test-media')
const OFF = ROOT === 'off'

/** The cache key of `parts` (anything JSON-serialisable: names, arguments, tool paths, generator sources). */
export function mediaCacheKey(...parts: unknown[]): string {
  return crypto.createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 24)
}

/**
 * The folder of the entry `key`, made by `make(dir)` (which writes its files into the empty `dir`) the first time.
 * With the cache off, every call makes a fresh folder in the temp directory.
 */
export function cachedMediaDir(key: string, make: (dir: string) => void): string {
  if (OFF) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-media-'))
    make(dir)
    return dir
  }
  const dir = path.join(ROOT, key)
  if (fs.existsSync(dir)) return dir
  fs.mkdirSync(ROOT, { recursive: true })
  const tmp = fs.mkdtempSync(path.join(ROOT, `.${key}-`))
  try {
    make(tmp)
    fs.renameSync(tmp, dir)
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true })
    // Another worker renamed its copy into place first: use that one.
    if (fs.existsSync(dir) && ['ENOTEMPTY', 'EEXIST'].includes((e as NodeJS.ErrnoException).code ?? '')) return dir
    throw e
  }
  return dir
}

/** One generated file, cached under `key` (its base name is kept, so the extension picks the container). */
export function cachedMediaFile(key: string, name: string, make: (file: string) => void): string {
  return path.join(
    cachedMediaDir(key, (dir) => make(path.join(dir, name))),
    name,
  )
}

/** Copies a cached file to `target` (creating folders): a file of the test's own, with a fresh mtime. */
export function copyFromCache(cached: string, target: string): string {
  fs.mkdirSync(path.dirname(target), { recursive: true })
  fs.copyFileSync(cached, target)
  return target
}

/** The text of a source file, for a cache key that changes when the generator does. */
export function sourceOf(file: string): string {
  return fs.readFileSync(file, 'utf8')
}
