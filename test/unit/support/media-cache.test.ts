import { spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { cachedMediaDir, MEDIA_CACHE_ROOT } from '../../support/media-cache.js'

/*
 * The test media cache's lock: a worker finding an entry being made by another waits for it instead of making it
 * a second time, and a lock left by a dead worker does not block anyone.
 */

const off = MEDIA_CACHE_ROOT === 'off'
const freshKey = () => `lock-test-${crypto.randomBytes(6).toString('hex')}`

describe.skipIf(off)('cachedMediaDir lock', () => {
  it('waits for the entry another maker holds the lock of, and uses its result', () => {
    const key = freshKey()
    const lock = path.join(MEDIA_CACHE_ROOT, `.${key}.lock`)
    const dir = path.join(MEDIA_CACHE_ROOT, key)
    fs.mkdirSync(MEDIA_CACHE_ROOT, { recursive: true })
    fs.writeFileSync(lock, String(process.pid))
    // The other maker: a thread that finishes the entry a little later and releases the lock.
    const other = new Worker(
      `const fs = require('node:fs'); setTimeout(() => { fs.mkdirSync(${JSON.stringify(dir)}); fs.writeFileSync(${JSON.stringify(path.join(dir, 'made-by'))}, 'other'); fs.rmSync(${JSON.stringify(lock)}) }, 150)`,
      { eval: true },
    )
    try {
      let made = 0
      const got = cachedMediaDir(key, () => void made++)
      expect(got).toBe(dir)
      expect(made).toBe(0)
      expect(fs.readFileSync(path.join(got, 'made-by'), 'utf8')).toBe('other')
    } finally {
      void other.terminate()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('takes over a lock whose holder is gone, makes the entry once and releases the lock', () => {
    const key = freshKey()
    const lock = path.join(MEDIA_CACHE_ROOT, `.${key}.lock`)
    fs.mkdirSync(MEDIA_CACHE_ROOT, { recursive: true })
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!
    fs.writeFileSync(lock, String(dead))
    let made = 0
    const dir = cachedMediaDir(key, (d) => {
      made++
      fs.writeFileSync(path.join(d, 'f'), 'x')
    })
    try {
      expect(made).toBe(1)
      expect(fs.readFileSync(path.join(dir, 'f'), 'utf8')).toBe('x')
      expect(fs.existsSync(lock)).toBe(false)
      expect(cachedMediaDir(key, () => void made++)).toBe(dir)
      expect(made).toBe(1)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
