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
 *
 * The transcription fakes keep what they heard in uploaded audio under `hearing/` here (test/fakes/hearing.ts).
 */

export const MEDIA_CACHE_ROOT = process.env.RECFLOW_TEST_MEDIA_CACHE ?? path.join(os.tmpdir(), 'recflow-test-media')
const ROOT = MEDIA_CACHE_ROOT
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
  // One maker per entry: a worker that finds another making it waits for the result rather than making it too
  // (two workers asking for the 2-minute lecture at once made it twice: ~10 s of CPU thrown away).
  const release = waitOrLock(path.join(ROOT, `.${key}.lock`), dir)
  if (!release) return dir
  if (fs.existsSync(dir)) {
    release()
    return dir
  }
  const tmp = fs.mkdtempSync(path.join(ROOT, `.${key}-`))
  try {
    make(tmp)
    fs.renameSync(tmp, dir)
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true })
    // Another worker renamed its copy into place first: use that one.
    if (fs.existsSync(dir) && ['ENOTEMPTY', 'EEXIST'].includes((e as NodeJS.ErrnoException).code ?? '')) return dir
    throw e
  } finally {
    release()
  }
  return dir
}

const pause = new Int32Array(new SharedArrayBuffer(4))

/**
 * Takes the entry's lock file (holding this process's pid) and returns its release, or returns undefined once
 * another process has made `dir` while this one waited. A lock whose holder is gone (a killed worker) is taken
 * over. Synchronous, like the makers (spawnSync).
 */
function waitOrLock(lock: string, dir: string): (() => void) | undefined {
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' })
      return () => fs.rmSync(lock, { force: true })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
    if (fs.existsSync(dir)) return undefined
    if (!holderAlive(lock)) {
      fs.rmSync(lock, { force: true })
      continue
    }
    Atomics.wait(pause, 0, 0, 100)
    if (fs.existsSync(dir)) return undefined
  }
}

function holderAlive(lock: string): boolean {
  let pid: number
  let age: number
  try {
    pid = Number(fs.readFileSync(lock, 'utf8'))
    age = Date.now() - fs.statSync(lock).mtimeMs
  } catch {
    return false // released meanwhile
  }
  if (!(pid > 0)) return age < 5000 // being written: look again (unless its writer died before writing)
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
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
