import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'

/**
 * Answers for `recflow --version` and `recflow --help` that do not load oclif (which alone costs more than a
 * bare Node start), used by bin/run.js. Each answer is exactly what oclif prints, or there is no answer and
 * oclif runs:
 * - `--version`: oclif's user agent, `NAME/VERSION PLATFORM-ARCH node-vX`; skipped where oclif would say "wsl".
 * - `--help` (root, piped: 80 columns, no colours): the text oclif printed at build time (`scripts/cache-help.mjs`),
 *   kept with a key of the manifest, package.json and @oclif/core version it came from; any change, a terminal,
 *   or OCLIF_COLUMNS / FORCE_COLOR means oclif renders it.
 */
export const HELP_CACHE_FILE = 'root-help.json'
const USER_AGENT_MARK = '\u0000user-agent\u0000'

interface HelpCache {
  key: string
  text: string
}

export interface FastPathInput {
  argv: readonly string[]
  /** The package root (where package.json and oclif.manifest.json are). */
  root: string
  env: Readonly<Record<string, string | undefined>>
  stdoutIsTTY: boolean
}

function readPackage(root: string): { text: string; name: string; version: string } {
  const text = fs.readFileSync(path.join(root, 'package.json'), 'utf8')
  const pjson = JSON.parse(text) as { name: string; version?: string }
  return { text, name: pjson.name, version: pjson.version ?? '0.0.0' }
}

/** True where oclif (through is-wsl) could report the platform as "wsl": there the fast path steps aside. */
function mightBeWsl(): boolean {
  if (process.platform !== 'linux') return false
  if (os.release().toLowerCase().includes('microsoft')) return true
  try {
    if (fs.readFileSync('/proc/version', 'utf8').toLowerCase().includes('microsoft')) return true
  } catch {
    // no /proc/version: decide by the WSL paths below
  }
  return fs.existsSync('/proc/sys/fs/binfmt_misc/WSLInterop') || fs.existsSync('/run/WSL')
}

export function userAgent(pkg: { name: string; version: string }): string {
  const arch = os.arch() === 'ia32' ? 'x86' : os.arch()
  return `${pkg.name}/${pkg.version} ${process.platform}-${arch} node-${process.version}`
}

/** What the cached help is only valid for: this manifest, this package.json, this oclif. */
export function helpCacheKey(root: string, packageText: string): string | undefined {
  try {
    const manifest = fs.readFileSync(path.join(root, 'oclif.manifest.json'), 'utf8')
    const oclifPackage = createRequire(path.join(root, 'package.json')).resolve('@oclif/core/package.json')
    const oclifVersion = (JSON.parse(fs.readFileSync(oclifPackage, 'utf8')) as { version: string }).version
    return createHash('sha256').update(manifest).update('\0').update(packageText).update('\0').update(oclifVersion).digest('hex')
  } catch {
    return undefined
  }
}

export function helpCachePath(root: string): string {
  return path.join(root, 'dist', HELP_CACHE_FILE)
}

/** The text to print and exit 0 with, or undefined to let oclif run. Never throws: any doubt means oclif. */
export function fastAnswer(input: FastPathInput): string | undefined {
  try {
    if (input.argv.length !== 1 || input.env.RECFLOW_NO_FAST_PATH) return undefined
    const [arg] = input.argv
    if (arg !== '--version' && arg !== '--help') return undefined
    if (mightBeWsl()) return undefined
    const pkg = readPackage(input.root)
    if (arg === '--version') return userAgent(pkg) + '\n'

    if (input.stdoutIsTTY || input.env.OCLIF_COLUMNS || input.env.FORCE_COLOR !== undefined) return undefined
    const cacheFile = helpCachePath(input.root)
    if (!fs.existsSync(cacheFile)) return undefined
    const cache = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as HelpCache
    if (cache.key !== helpCacheKey(input.root, pkg.text)) return undefined
    return cache.text.replaceAll(USER_AGENT_MARK, userAgent(pkg))
  } catch {
    return undefined
  }
}

/** Builds the cache from oclif's own output (`render` runs `recflow --help` with the fast path off, piped). */
export function writeHelpCache(root: string, render: () => string): void {
  const pkg = readPackage(root)
  const key = helpCacheKey(root, pkg.text)
  if (key === undefined) throw new Error('no oclif.manifest.json: run `oclif manifest` first')
  const text = render()
  const agent = userAgent(pkg)
  if (!text.includes(agent)) throw new Error(`oclif's help does not show the user agent ${agent}; not caching it`)
  const cache: HelpCache = { key, text: text.replaceAll(agent, USER_AGENT_MARK) }
  fs.writeFileSync(helpCachePath(root), JSON.stringify(cache) + '\n')
}
