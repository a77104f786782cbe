import { execFile } from 'node:child_process'
import { accessSync, constants, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { RecflowError } from '../domain/errors.js'
import { writeFileAtomicSync } from '../platform/atomic-fs.js'
import type { MediaTool, MediaTools } from './types.js'

/**
 * Finds ffmpeg and ffprobe: an explicitly configured path wins, then the first working binary on PATH (usually a
 * newer build), then the static binaries shipped in @ffmpeg-installer/@ffprobe-installer. Each tool is located
 * independently, so a system ffmpeg can pair with the bundled ffprobe.
 */

export type ToolName = 'ffmpeg' | 'ffprobe'

export interface LocateOptions {
  /** The PATH string to search (the caller reads the environment; this module never does). */
  pathEnv?: string
  /** Paths from configuration; used as-is when they run. */
  overrides?: Partial<Record<ToolName, string>>
  platform?: NodeJS.Platform
  signal?: AbortSignal
  /**
   * A small JSON file remembering each binary's version by path, size, mtime and inode, so that a command does
   * not start `ffmpeg -version` and `ffprobe -version` (two process starts, ~0.1 s) every time it runs. A binary
   * that changed is asked again.
   */
  versionCache?: string
}

export async function locateMediaTools(opts: LocateOptions = {}): Promise<MediaTools> {
  const [ffmpeg, ffprobe] = await Promise.all([locateTool('ffmpeg', opts), locateTool('ffprobe', opts)])
  return { ffmpeg, ffprobe }
}

export async function locateTool(name: ToolName, opts: LocateOptions = {}): Promise<MediaTool> {
  const override = opts.overrides?.[name]
  if (override) {
    const version = await cachedToolVersion(override, name, opts)
    if (version === undefined) {
      throw new RecflowError('validation', `the configured ${name} at ${override} does not run`, {
        hint: `Fix or remove the configured ${name} path; recflow otherwise uses the one on PATH or its bundled copy.`,
      })
    }
    return { path: override, source: 'configured', version }
  }
  for (const candidate of findOnPath(name, opts.pathEnv ?? '', opts.platform ?? process.platform)) {
    const version = await cachedToolVersion(candidate, name, opts)
    if (version !== undefined) return { path: candidate, source: 'system', version }
  }
  const bundled = bundledToolPath(name)
  const version = bundled === undefined ? undefined : await cachedToolVersion(bundled, name, opts)
  if (bundled === undefined || version === undefined) {
    throw new RecflowError('internal', `no working ${name} found on PATH or bundled with recflow`, {
      hint: `Install ffmpeg (e.g. \`apt install ffmpeg\`, \`brew install ffmpeg\`) or reinstall recflow.`,
    })
  }
  return { path: bundled, source: 'bundled', version }
}

/** Executable files named `name` in the PATH directories, in PATH order. Pure apart from stat calls. */
export function findOnPath(name: string, pathEnv: string, platform: NodeJS.Platform = process.platform): string[] {
  const sep = platform === 'win32' ? ';' : ':'
  const fileName = platform === 'win32' ? `${name}.exe` : name
  const found: string[] = []
  for (const dir of pathEnv.split(sep)) {
    if (!dir) continue
    const candidate = path.join(dir, fileName)
    if (isExecutableFile(candidate, platform) && !found.includes(candidate)) found.push(candidate)
  }
  return found
}

function isExecutableFile(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(file).isFile()) return false
    if (platform !== 'win32') accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Path of the binary shipped in the npm package, or undefined when the package has none for this platform. */
export function bundledToolPath(name: ToolName): string | undefined {
  // Loaded lazily: the installer packages look for their binary when first required.
  const require = createRequire(import.meta.url)
  try {
    const pkg = require(name === 'ffmpeg' ? '@ffmpeg-installer/ffmpeg' : '@ffprobe-installer/ffprobe') as {
      path?: unknown
    }
    return typeof pkg.path === 'string' ? pkg.path : undefined
  } catch {
    return undefined
  }
}

type VersionCache = Record<string, { key: string; version: string }>

/** What identifies one build of a binary on disk; undefined when it cannot be read. */
function binaryKey(file: string): string | undefined {
  try {
    const st = statSync(file)
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`
  } catch {
    return undefined
  }
}

function readVersionCache(file: string): VersionCache {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown
    return parsed !== null && typeof parsed === 'object' ? (parsed as VersionCache) : {}
  } catch {
    return {}
  }
}

/** The versions this process has read, by binary path, with the binaryKey they were read for. */
const askedThisProcess = new Map<string, { key: string; version: string }>()

/**
 * readToolVersion, remembered in opts.versionCache (and by this process) for as long as the binary is the same
 * file.
 */
export async function cachedToolVersion(file: string, name: ToolName, opts: LocateOptions = {}): Promise<string | undefined> {
  const cacheFile = opts.versionCache
  const key = cacheFile === undefined ? undefined : binaryKey(file)
  if (cacheFile === undefined || key === undefined) return readToolVersion(file, name, opts.signal)
  const entry = readVersionCache(cacheFile)[file]
  if (entry?.key === key) return entry.version
  // Asked already by this process (for another home: a test run, a daemon's per-user work): not started again.
  const known = askedThisProcess.get(file)
  const version = known?.key === key ? known.version : await readToolVersion(file, name, opts.signal)
  if (version === undefined) return undefined
  askedThisProcess.set(file, { key, version })
  try {
    // Read again: the other tool's lookup may have written its entry meanwhile. A lost entry is only asked again.
    const next = { ...readVersionCache(cacheFile), [file]: { key, version } }
    writeFileAtomicSync(cacheFile, JSON.stringify(next) + '\n', 0o600)
  } catch {
    // A cache that cannot be written costs time, not correctness.
  }
  return version
}

/** Runs `<tool> -version`; returns the version token, or undefined when the binary does not run as that tool. */
export async function readToolVersion(file: string, name: ToolName, signal?: AbortSignal): Promise<string | undefined> {
  const result = await new Promise<{ ok: boolean; stdout: string; cancelled: boolean }>((resolve) => {
    execFile(file, ['-version'], { timeout: 10_000, maxBuffer: 1024 * 1024, signal, windowsHide: true, encoding: 'utf8' }, (error, stdout) => {
      resolve({ ok: error === null, stdout: String(stdout ?? ''), cancelled: error?.name === 'AbortError' || signal?.aborted === true })
    })
  })
  if (result.cancelled) throw new RecflowError('cancelled', `checking ${name} was cancelled`)
  if (!result.ok) return undefined
  return parseVersionLine(result.stdout, name)
}

/** "ffmpeg version 5.1.9-0+deb12u1 Copyright ..." -> "5.1.9-0+deb12u1". */
export function parseVersionLine(output: string, name: ToolName): string | undefined {
  const first = output.split('\n', 1)[0] ?? ''
  const m = new RegExp(`^${name} version (\\S+)`).exec(first.trim())
  return m?.[1]
}
