import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { EncryptedFileStore } from '../../../src/platform/secrets.js'
import { ROOT } from '../../support/cli.js'

let dir: string | undefined
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

function writer(configDir: string, prefix: string, count: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures', 'secret-writer.ts'), configDir, prefix, String(count)], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let err = ''
  child.stderr.on('data', (d) => (err += d))
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${prefix} exited ${code}: ${err}`)))),
  )
}

// Two processes that write the first secrets at once must not create a key each (one set would become
// unreadable) nor overwrite each other's entries (read-modify-write of one file).
it('keeps every secret of concurrent first writers readable', async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-secrets-race-'))
  const prefixes = ['a', 'b', 'c']
  const count = 15
  await Promise.all(prefixes.map((p) => writer(dir!, p, count)))
  const store = new EncryptedFileStore(dir)
  for (const p of prefixes) {
    for (let i = 0; i < count; i++) expect(await store.get(`${p}-${i}`)).toBe(`value of ${p}-${i}`)
  }
  expect(fs.statSync(path.join(dir, 'secrets.key')).mode & 0o777).toBe(0o600)
  expect(fs.readdirSync(dir).sort()).toEqual(['secrets.enc.json', 'secrets.key'])
}, 60_000)
