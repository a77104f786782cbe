import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { readHolder, takeOverLock, tryFileLock, withFileLock } from '../../../src/platform/file-lock.js'

let dir: string
let lock: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-lock-'))
  lock = path.join(dir, 'x.lock')
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

/** The pid of a process that has exited (its number is free, so nothing answers to it). */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '0']).pid
  expect(pid).toBeGreaterThan(0)
  return pid!
}

it('takes over a lock whose process is gone, and leaves nothing behind', async () => {
  fs.writeFileSync(lock, `${deadPid()}\n`)
  const inside = await withFileLock(lock, () => fs.readFileSync(lock, 'utf8').trim(), { timeoutMs: 2000 })
  expect(inside).toBe(String(process.pid))
  expect(fs.readdirSync(dir)).toEqual([])
})

it('does not take over a lock made again by another process after it was judged gone', () => {
  // Two waiters judged the same dead lock gone; the other one was first: it removed that lock and made its own
  // (on this file system often with the same inode number).
  fs.writeFileSync(lock, `${deadPid()}\n`)
  const judged = readHolder(lock)!
  fs.rmSync(lock)
  fs.writeFileSync(lock, `${process.pid}\n`)
  const fresh = readHolder(lock)!

  takeOverLock(lock, judged)
  expect(fs.readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`)
  expect(readHolder(lock)).toEqual(fresh)
  expect(fs.readdirSync(dir)).toEqual(['x.lock'])
})

it('removes the very lock it judged gone, and finds nothing to do when another waiter removed it first', () => {
  fs.writeFileSync(lock, `${deadPid()}\n`)
  const judged = readHolder(lock)!
  takeOverLock(lock, judged)
  expect(fs.readdirSync(dir)).toEqual([])
  takeOverLock(lock, judged)
  expect(fs.readdirSync(dir)).toEqual([])
})

it('tryFileLock reports a live holder and takes a dead one over', () => {
  fs.writeFileSync(lock, `${process.ppid}\n`)
  expect(tryFileLock(lock)).toMatchObject({ acquired: false, holderPid: process.ppid })
  fs.writeFileSync(lock, `${deadPid()}\n`)
  const got = tryFileLock(lock)
  expect(got.acquired).toBe(true)
  expect(fs.readFileSync(lock, 'utf8').trim()).toBe(String(process.pid))
  if (got.acquired) got.release()
  expect(fs.readdirSync(dir)).toEqual([])
})
