import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { DEFAULT_LOCAL_GLOB } from '../../../src/domain/resources/index.js'
import { listFolder, scanFolder } from '../../../src/services/sync/scan-folder.js'

let root: string
let outside: string

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-'))
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-'))
})
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true })
  fs.rmSync(outside, { recursive: true, force: true })
})

function touch(rel: string, content = 'x'): string {
  const file = path.join(root, rel)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, content)
  return file
}

const relPaths = async (opts: { glob?: string; recursive?: boolean } = {}) =>
  (await listFolder(root, { glob: opts.glob ?? DEFAULT_LOCAL_GLOB, recursive: opts.recursive ?? true })).map((f) => f.relPath)

describe('scanning a local folder', () => {
  it('finds the media files the glob selects, in folders too, sorted by path', async () => {
    touch('b.mp4')
    touch('a.m4a')
    touch('2024/03/lecture.MKV')
    touch('notes.txt')
    touch('2024/readme.md')
    expect(await relPaths()).toEqual(['2024/03/lecture.MKV', 'a.m4a', 'b.mp4'])
  })

  it('stays in the top folder when recursive is off', async () => {
    touch('top.wav')
    touch('sub/deep.wav')
    expect(await relPaths({ recursive: false })).toEqual(['top.wav'])
  })

  it('skips dotfiles, dot-folders and *.part downloads', async () => {
    touch('.hidden.mp4')
    touch('.sync/copy.mp4')
    touch('growing.mp4.part')
    touch('real.mp4')
    expect(await relPaths({ glob: '**/*' })).toEqual(['real.mp4'])
  })

  it('reports size and mtime, and the exact path to open', async () => {
    const file = touch('week 1/talk.mp3', 'twelve bytes')
    const [found] = await listFolder(root, { glob: DEFAULT_LOCAL_GLOB, recursive: true })
    expect(found).toEqual({ path: file, relPath: 'week 1/talk.mp3', size: 12, mtimeMs: fs.statSync(file).mtimeMs })
  })

  it('keeps names with a backslash or a newline exact', async () => {
    const odd = touch('odd\\name\nhere.mp4')
    const [found] = await listFolder(root, { glob: DEFAULT_LOCAL_GLOB, recursive: true })
    expect(found?.relPath).toBe('odd\\name\nhere.mp4')
    expect(found?.path).toBe(odd)
    expect(fs.existsSync(found?.path as string)).toBe(true)
  })

  it('follows a link to a file inside the folder but never one leading out, nor linked folders', async () => {
    touch('real.mp4')
    fs.symlinkSync(path.join(root, 'real.mp4'), path.join(root, 'alias.mp4'))
    fs.writeFileSync(path.join(outside, 'secret.mp4'), 'x')
    fs.symlinkSync(path.join(outside, 'secret.mp4'), path.join(root, 'escape.mp4'))
    fs.mkdirSync(path.join(outside, 'dir'))
    fs.writeFileSync(path.join(outside, 'dir', 'inner.mp4'), 'x')
    fs.symlinkSync(path.join(outside, 'dir'), path.join(root, 'linked-dir'))
    fs.symlinkSync(root, path.join(root, 'loop'))
    expect(await relPaths()).toEqual(['alias.mp4', 'real.mp4'])
  })

  it('fails with a validation error and a hint when the folder is missing or not a folder', async () => {
    const missing = path.join(root, 'nope')
    const err = await listFolder(missing, { glob: '**/*', recursive: true }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RecflowError)
    expect(err).toMatchObject({ code: 'validation', message: `folder ${missing} does not exist` })
    expect((err as RecflowError).hint).toMatch(/sources edit/)
    const file = touch('file.mp4')
    await expect(listFolder(file, { glob: '**/*', recursive: true })).rejects.toMatchObject({ code: 'validation', message: `${file} is not a folder` })
  })

  it.skipIf(process.getuid?.() === 0)('skips a subfolder it cannot read and says so', async () => {
    touch('ok.mp4')
    touch('locked/hidden.mp4')
    fs.chmodSync(path.join(root, 'locked'), 0o000)
    const skipped: string[] = []
    try {
      const found = await listFolder(root, { glob: DEFAULT_LOCAL_GLOB, recursive: true, onSkip: (rel) => skipped.push(rel) })
      expect(found.map((f) => f.relPath)).toEqual(['ok.mp4'])
      expect(skipped).toEqual(['locked'])
    } finally {
      fs.chmodSync(path.join(root, 'locked'), 0o755)
    }
  })

  it('streams a folder of 10k files one at a time', async () => {
    for (let d = 0; d < 10; d++) {
      fs.mkdirSync(path.join(root, `d${d}`))
      for (let i = 0; i < 1000; i++) fs.writeFileSync(path.join(root, `d${d}`, `f${String(i).padStart(4, '0')}.mp4`), '')
    }
    let count = 0
    let last = ''
    for await (const f of scanFolder(root, { glob: DEFAULT_LOCAL_GLOB, recursive: true })) {
      expect(f.relPath > last).toBe(true)
      last = f.relPath
      count++
    }
    expect(count).toBe(10_000)
  })

  it('stops when its signal is aborted', async () => {
    touch('a.mp4')
    touch('b.mp4')
    const controller = new AbortController()
    const seen: string[] = []
    const run = (async () => {
      for await (const f of scanFolder(root, { glob: '**/*', recursive: true, signal: controller.signal })) {
        seen.push(f.relPath)
        controller.abort()
      }
    })()
    await expect(run).rejects.toMatchObject({ code: 'cancelled' })
    expect(seen).toEqual(['a.mp4'])
  })
})
