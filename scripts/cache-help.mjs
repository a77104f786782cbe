// Build step: stores oclif's root help (as printed when piped) for bin/run.js's fast path. Run after `oclif manifest`.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeHelpCache } from '../dist/src/cli/fast-path.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
writeHelpCache(root, () => {
  const env = { ...process.env, RECFLOW_NO_FAST_PATH: '1' }
  delete env.OCLIF_COLUMNS
  delete env.FORCE_COLOR
  const r = spawnSync(process.execPath, [path.join(root, 'bin/run.js'), '--help'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  if (r.status !== 0) throw new Error(`recflow --help exited ${r.status}`)
  return r.stdout
})
