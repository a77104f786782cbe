#!/usr/bin/env node
/**
 * Loads the daemon's Swagger UI (/docs) in headless Chromium and checks that it lists every route of
 * /openapi.json (issue 12). Needs a built tree (`npm run build`) and Chromium (`apt-get install chromium`, or
 * CHROMIUM=/path/to/chrome). Starts a daemon (`--api-only`, a temp home, a free port), renders the page with
 * `--dump-dom`, and compares the operations Swagger UI drew (method + path) with the document's.
 *
 *   node scripts/check-swagger-ui.mjs          exit 0: every route listed; 1: some missing (printed)
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '..')
const chromium = process.env.CHROMIUM ?? ['chromium', 'chromium-browser', 'google-chrome'].find((c) => spawnSync('which', [c]).status === 0)
if (!chromium) {
  console.error('no Chromium found: apt-get install chromium, or set CHROMIUM=/path/to/chrome')
  process.exit(2)
}
const port = await new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port
    s.close(() => resolve(p))
  })
})
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-swagger-'))
const daemon = spawn(process.execPath, [path.join(ROOT, 'bin/run.js'), 'daemon', 'start', '--api-only', '--port', String(port)], {
  env: { ...process.env, RECFLOW_HOME: home, RECFLOW_SECRET_STORE: 'file' },
  stdio: ['ignore', 'ignore', 'inherit'],
})
const base = `http://127.0.0.1:${port}`
try {
  let doc
  for (let i = 0; i < 100 && !doc; i++) {
    try {
      doc = await (await fetch(`${base}/openapi.json`)).json()
    } catch {
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  if (!doc) throw new Error('the daemon did not answer /openapi.json')
  const expected = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
  const r = spawnSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--virtual-time-budget=15000', '--dump-dom', `${base}/docs/`], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  })
  if (r.status !== 0) throw new Error(`chromium failed: ${r.stderr.slice(-1000)}`)
  // Swagger UI draws each operation as an .opblock with its method and a data-path attribute.
  const drawn = new Set()
  for (const m of r.stdout.matchAll(/opblock-summary-method">([A-Z]+)<[\s\S]*?data-path="([^"]+)"/g)) drawn.add(`${m[1]} ${m[2].replace(/&ZeroWidthSpace;|\u200b/g, '')}`)
  const missing = expected.filter((op) => !drawn.has(op))
  console.log(`Swagger UI at ${base}/docs/ lists ${drawn.size} operations; /openapi.json has ${expected.length}.`)
  if (missing.length > 0) {
    console.log(`missing from the page:\n  ${missing.join('\n  ')}`)
    process.exitCode = 1
  } else console.log('every route of /openapi.json is listed.')
} finally {
  daemon.kill('SIGTERM')
  await new Promise((r) => daemon.once('exit', r))
  fs.rmSync(home, { recursive: true, force: true })
}
