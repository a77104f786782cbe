import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { cachedToolVersion, locateMediaTools } from '../../../src/media/binaries.js'
import { probeCapabilities } from '../../../src/media/capabilities.js'
import { MediaToolbox } from '../../../src/media/toolbox.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'

let dir: string
beforeEach(() => {
  dir = makeTempDir()
})
afterEach(() => removeDir(dir))

function fakeTool(name: string, script: string): string {
  const file = path.join(dir, name)
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 })
  return file
}

describe('locateMediaTools', () => {
  it('prefers a working binary on PATH over the bundled one', async () => {
    const ffmpeg = fakeTool('ffmpeg', 'echo "ffmpeg version 99.1-fake Copyright (c) the FFmpeg developers"')
    const tools = await locateMediaTools({ pathEnv: dir })
    expect(tools.ffmpeg).toEqual({ path: ffmpeg, source: 'system', version: '99.1-fake' })
    // No ffprobe in that directory: ffprobe comes from the npm package, independently.
    expect(tools.ffprobe.source).toBe('bundled')
  })

  it('skips a binary on PATH that does not run as ffmpeg and uses the bundled one', async () => {
    fakeTool('ffmpeg', 'echo broken >&2; exit 1')
    const tools = await locateMediaTools({ pathEnv: dir })
    expect(tools.ffmpeg.source).toBe('bundled')
    expect(tools.ffmpeg.path).toContain('@ffmpeg-installer')
  })

  it('uses the bundled binaries when PATH has none, and they run', async () => {
    const tools = await locateMediaTools({ pathEnv: '' })
    expect(tools.ffmpeg.source).toBe('bundled')
    expect(tools.ffprobe.source).toBe('bundled')
    expect(tools.ffmpeg.version).toMatch(/\S+/)
    expect(tools.ffprobe.path).toContain('@ffprobe-installer')
  })

  it('uses a configured path as-is, and refuses one that does not run', async () => {
    const mine = fakeTool('my-ffprobe', 'echo "ffprobe version 7.0-custom"')
    const tools = await locateMediaTools({ pathEnv: '', overrides: { ffprobe: mine } })
    expect(tools.ffprobe).toEqual({ path: mine, source: 'configured', version: '7.0-custom' })
    const err = await locateMediaTools({ pathEnv: '', overrides: { ffmpeg: path.join(dir, 'missing') } }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RecflowError)
    expect((err as RecflowError).message).toMatch(/configured ffmpeg .* does not run/)
  })
})

describe('probeCapabilities', () => {
  it('finds the encoders and filters recflow relies on in the bundled ffmpeg', async () => {
    const caps = await probeCapabilities(await locateMediaTools({ pathEnv: '' }))
    expect(caps.encoders).toEqual({ libx264: true, aac: true, libopus: true, libmp3lame: true, mjpeg: true })
    expect(caps.filters).toEqual({ silencedetect: true, trim: true, atrim: true, concat: true, aresample: true, scale: true })
  })
})

describe('MediaToolbox', () => {
  it('locates and probes once, and reports what doctor shows', async () => {
    const toolbox = new MediaToolbox({ pathEnv: '' })
    const first = await toolbox.tools()
    expect(await toolbox.tools()).toBe(first)
    expect(await toolbox.capabilities()).toBe(await toolbox.capabilities())
    const report = await toolbox.report()
    expect(report.tools.ffmpeg.source).toBe('bundled')
    expect(report.capabilities.filters.silencedetect).toBe(true)
  })

  it('does not remember a failed lookup', async () => {
    const toolbox = new MediaToolbox({ pathEnv: '', overrides: { ffmpeg: path.join(dir, 'ffmpeg') } })
    await expect(toolbox.tools()).rejects.toThrow(/does not run/)
    fakeTool('ffmpeg', 'echo "ffmpeg version 1.0-later"')
    expect((await toolbox.tools()).ffmpeg.version).toBe('1.0-later')
  })
})

describe('cachedToolVersion', () => {
  it('asks a binary for its version once, and again only when the binary changes', async () => {
    const calls = path.join(dir, 'calls')
    const ffmpeg = fakeTool('ffmpeg', `echo run >> "${calls}"; echo "ffmpeg version 7.0-fake Copyright"`)
    const versionCache = path.join(dir, 'media-tools.json')
    const runs = () => fs.readFileSync(calls, 'utf8').split('\n').filter(Boolean).length
    expect(await cachedToolVersion(ffmpeg, 'ffmpeg', { versionCache })).toBe('7.0-fake')
    expect(await cachedToolVersion(ffmpeg, 'ffmpeg', { versionCache })).toBe('7.0-fake')
    expect((await locateMediaTools({ pathEnv: dir, versionCache })).ffmpeg.version).toBe('7.0-fake')
    expect(runs()).toBe(1)
    // Another home's cache in the same process: remembered there, not asked again.
    const otherHome = path.join(dir, 'other-media-tools.json')
    expect(await cachedToolVersion(ffmpeg, 'ffmpeg', { versionCache: otherHome })).toBe('7.0-fake')
    expect(runs()).toBe(1)
    expect(JSON.parse(fs.readFileSync(otherHome, 'utf8'))[ffmpeg]).toMatchObject({ version: '7.0-fake' })
    // An upgraded binary (new content, new mtime) is asked again.
    fs.writeFileSync(ffmpeg, `#!/bin/sh\necho run >> "${calls}"; echo "ffmpeg version 7.1-fake Copyright"\n`, { mode: 0o755 })
    fs.utimesSync(ffmpeg, new Date(), new Date(Date.now() + 5000))
    expect(await cachedToolVersion(ffmpeg, 'ffmpeg', { versionCache })).toBe('7.1-fake')
    expect(runs()).toBe(2)
    expect(fs.statSync(versionCache).mode & 0o777).toBe(0o600)
  })

  it('does not remember a binary that does not run, and works without a writable cache', async () => {
    const broken = fakeTool('ffmpeg', 'exit 1')
    const versionCache = path.join(dir, 'media-tools.json')
    expect(await cachedToolVersion(broken, 'ffmpeg', { versionCache })).toBeUndefined()
    expect(fs.existsSync(versionCache)).toBe(false)
    const working = fakeTool('ffprobe', 'echo "ffprobe version 6.0 Copyright"')
    expect(await cachedToolVersion(working, 'ffprobe', { versionCache: path.join(dir, 'missing-folder', 'cache.json') })).toBe('6.0')
  })
})
