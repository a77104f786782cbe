import fs from 'node:fs'
import path from 'node:path'

/**
 * A script at `dir/name` that logs each start's arguments and hands them to the real tool at `real`, to count how
 * often code starts ffprobe or ffmpeg. `runs()` lists the logged argument lines, oldest first.
 */
export function countingTool(dir: string, name: string, real: string): { path: string; runs(): string[] } {
  const log = path.join(dir, `${name}.log`)
  const wrapper = path.join(dir, name)
  fs.writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 })
  return {
    path: wrapper,
    runs: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  }
}
