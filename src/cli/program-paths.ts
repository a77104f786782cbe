import path from 'node:path'

/** The absolute node and recflow entry point a crontab line or a launchd plist runs. */
export function programPaths(root: string): { node: string; runJs: string } {
  return { node: process.execPath, runJs: path.join(path.resolve(root), 'bin', 'run.js') }
}
