import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  FINGERPRINT_EDGE_BYTES,
  fingerprintFile,
  formatFingerprint,
  parseFingerprint,
  sameContent,
  sameStat,
} from '../../../src/services/sync/fingerprint.js'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

const MIB = FINGERPRINT_EDGE_BYTES

function bigFile(name: string, size: number): string {
  const file = path.join(dir, name)
  const buf = Buffer.alloc(size)
  for (let i = 0; i < size; i++) buf[i] = (i * 31) % 251
  fs.writeFileSync(file, buf)
  return file
}

function patchByte(file: string, position: number, value: number): void {
  const fd = fs.openSync(file, 'r+')
  fs.writeSync(fd, Buffer.from([value]), 0, 1, position)
  fs.closeSync(fd)
}

describe('file fingerprints', () => {
  it('are stable for an unchanged file and carry its size and mtime', async () => {
    const file = bigFile('a.mp4', 3 * MIB)
    const st = fs.statSync(file)
    const first = await fingerprintFile(file)
    expect(await fingerprintFile(file)).toEqual(first)
    expect(first).toMatchObject({ size: 3 * MIB, mtimeMs: Math.trunc(st.mtimeMs) })
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('change when the first or the last MiB changes', async () => {
    const file = bigFile('a.mp4', 3 * MIB)
    const before = await fingerprintFile(file)
    patchByte(file, 10, 0xff)
    const headChanged = await fingerprintFile(file)
    expect(headChanged.hash).not.toBe(before.hash)
    patchByte(file, 3 * MIB - 5, 0xff)
    expect((await fingerprintFile(file)).hash).not.toBe(headChanged.hash)
  })

  it('do not read the middle of a large file', async () => {
    const file = bigFile('a.mp4', 3 * MIB)
    const before = await fingerprintFile(file)
    patchByte(file, Math.floor(1.5 * MIB), 0xff)
    expect((await fingerprintFile(file)).hash).toBe(before.hash)
  })

  it('cover the whole of a small file, and an empty one', async () => {
    const file = bigFile('small.m4a', 1000)
    const before = await fingerprintFile(file)
    patchByte(file, 500, 0xff)
    expect((await fingerprintFile(file)).hash).not.toBe(before.hash)
    const empty = path.join(dir, 'empty.mp4')
    fs.writeFileSync(empty, '')
    expect(await fingerprintFile(empty)).toMatchObject({ size: 0, hash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' })
  })

  it('round-trip through the stored text', async () => {
    const fp = await fingerprintFile(bigFile('a.wav', 100))
    const text = formatFingerprint(fp)
    expect(text).toMatch(/^100:\d+:sha256:[0-9a-f]{64}$/)
    expect(parseFingerprint(text)).toEqual(fp)
    expect(parseFingerprint(null)).toBeUndefined()
    expect(parseFingerprint('garbage')).toBeUndefined()
  })

  it('compare by size and mtime without reading, and by size and hash after reading', async () => {
    const file = bigFile('a.wav', 100)
    const fp = await fingerprintFile(file)
    expect(sameStat(fp, { size: 100, mtimeMs: fp.mtimeMs + 0.4 })).toBe(true)
    expect(sameStat(fp, { size: 101, mtimeMs: fp.mtimeMs })).toBe(false)
    expect(sameStat(undefined, { size: 100, mtimeMs: fp.mtimeMs })).toBe(false)
    const later = new Date(fp.mtimeMs + 60_000)
    fs.utimesSync(file, later, later)
    const touched = await fingerprintFile(file)
    expect(sameStat(fp, touched)).toBe(false)
    expect(sameContent(fp, touched)).toBe(true)
    fs.appendFileSync(file, 'more')
    expect(sameContent(fp, await fingerprintFile(file))).toBe(false)
  })
})
