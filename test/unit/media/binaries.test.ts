import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { findOnPath, parseVersionLine } from '../../../src/media/binaries.js'

let dirs: string[] = []
afterEach(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
  dirs = []
})
function dir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-'))
  dirs.push(d)
  return d
}

describe('findOnPath', () => {
  it('returns executable files in PATH order and skips non-executables, directories and empty entries', () => {
    const a = dir()
    const b = dir()
    const c = dir()
    fs.writeFileSync(path.join(a, 'ffmpeg'), 'not executable', { mode: 0o644 })
    fs.writeFileSync(path.join(b, 'ffmpeg'), '#!/bin/sh\n', { mode: 0o755 })
    fs.mkdirSync(path.join(c, 'ffmpeg'))
    const d = dir()
    fs.writeFileSync(path.join(d, 'ffmpeg'), '#!/bin/sh\n', { mode: 0o755 })
    expect(findOnPath('ffmpeg', ['', a, b, c, d, b].join(':'), 'linux')).toEqual([path.join(b, 'ffmpeg'), path.join(d, 'ffmpeg')])
  })

  it('finds nothing on an empty PATH', () => {
    expect(findOnPath('ffmpeg', '', 'linux')).toEqual([])
  })
})

describe('parseVersionLine', () => {
  it('reads the version token of the named tool', () => {
    expect(parseVersionLine('ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers\nbuilt with gcc', 'ffmpeg')).toBe('5.1.9-0+deb12u1')
    expect(parseVersionLine('ffprobe version N-66595-gc2b38619c0-static https://johnvansickle.com/ffmpeg/', 'ffprobe')).toBe('N-66595-gc2b38619c0-static')
  })
  it('rejects output of a different program', () => {
    expect(parseVersionLine('ffprobe version 6.0', 'ffmpeg')).toBeUndefined()
    expect(parseVersionLine('Usage: something', 'ffmpeg')).toBeUndefined()
  })
})
