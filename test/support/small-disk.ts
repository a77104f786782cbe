import { execFileSync } from 'node:child_process'
import fs from 'node:fs'

/**
 * A disk that really fills up: a tmpfs of `size` (e.g. "1m") mounted at `dir`, which is created. Mounting needs
 * root (CI containers usually are); elsewhere the test is skipped. Returns the unmount, or undefined when skipped.
 */
export function mountSmallDisk(dir: string, size: string, ctx: { skip(): void }): (() => void) | undefined {
  fs.mkdirSync(dir, { recursive: true })
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' })
  } catch {
    ctx.skip()
    return undefined
  }
  return () => execFileSync('umount', [dir])
}
