import { accessSync, constants, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { execa } from 'execa'
import { RecflowError } from '../domain/errors.js'
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
}

export async function locateMediaTools(opts: LocateOptions = {}): Promise<MediaTools> {
  const [ffmpeg, ffprobe] = await Promise.all([locateTool('ffmpeg', opts), locateTool('ffprobe', opts)])
  return { ffmpeg, ffprobe }
}

export async function locateTool(name: ToolName, opts: LocateOptions = {}): Promise<MediaTool> {
  const override = opts.overrides?.[name]
  if (override) {
    const version = await readToolVersion(override, name, opts.signal)
    if (version === undefined) {
      throw new RecflowError('validation', `the configured ${name} at ${override} does not run`, {
        hint: `Fix or remove the configured ${name} path; recflow otherwise uses the one on PATH or its bundled copy.`,
      })
    }
    return { path: override, source: 'configured', version }
  }
  for (const candidate of findOnPath(name, opts.pathEnv ?? '', opts.platform ?? process.platform)) {
    const version = await readToolVersion(candidate, name, opts.signal)
    if (version !== undefined) return { path: candidate, source: 'system', version }
  }
  const bundled = bundledToolPath(name)
  const version = bundled === undefined ? undefined : await readToolVersion(bundled, name, opts.signal)
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

/** Runs `<tool> -version`; returns the version token, or undefined when the binary does not run as that tool. */
export async function readToolVersion(file: string, name: ToolName, signal?: AbortSignal): Promise<string | undefined> {
  const result = await execa(file, ['-version'], {
    reject: false,
    stdin: 'ignore',
    timeout: 10_000,
    maxBuffer: 1024 * 1024,
    cancelSignal: signal,
    windowsHide: true,
  })
  if (result.isCanceled) throw new RecflowError('cancelled', `checking ${name} was cancelled`)
  if (result.exitCode !== 0) return undefined
  return parseVersionLine(String(result.stdout), name)
}

/** "ffmpeg version 5.1.9-0+deb12u1 Copyright ..." -> "5.1.9-0+deb12u1". */
export function parseVersionLine(output: string, name: ToolName): string | undefined {
  const first = output.split('\n', 1)[0] ?? ''
  const m = new RegExp(`^${name} version (\\S+)`).exec(first.trim())
  return m?.[1]
}
