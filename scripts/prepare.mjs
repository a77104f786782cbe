// npm's `prepare` (after `npm ci` / `npm install`): builds dist/ so `npx recflow` works on a fresh clone.
// RECFLOW_SKIP_PREPARE=1 skips it when the next step builds anyway (.ci/run: `npm test` starts with the build).
import { spawnSync } from 'node:child_process'

if (process.env.RECFLOW_SKIP_PREPARE) {
  console.log('prepare: build skipped (RECFLOW_SKIP_PREPARE)')
} else {
  const r = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' })
  process.exit(r.status ?? 1)
}
