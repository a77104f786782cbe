import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { extractPoster } from '../../../src/media/poster.js'
import { probeMedia } from '../../../src/media/probe.js'
import type { MediaTools } from '../../../src/media/types.js'
import { bundledTools, makeClip, makeTempDir, removeDir, systemOrBundledTools } from '../../fixtures/media/generate.js'

describe.each([
  ['ffmpeg from PATH', systemOrBundledTools],
  ['bundled ffmpeg', bundledTools],
])('poster frames with %s', (_label, getTools) => {
  let tools: MediaTools
  let dir: string

  beforeAll(async () => {
    tools = await getTools()
    dir = makeTempDir()
    makeClip(tools, path.join(dir, 'clip.mp4'), { durationS: 6, tones: [{ start: 1, end: 5 }] })
    makeClip(tools, path.join(dir, 'voice.m4a'), { durationS: 6, tones: [{ start: 1, end: 5 }], video: false })
  })
  afterAll(() => removeDir(dir))

  it('writes a JPEG of the video at the asked time', async () => {
    const media = await probeMedia(tools, path.join(dir, 'clip.mp4'))
    const poster = await extractPoster(tools, media, { atS: 2.5, output: path.join(dir, 'posters', 'poster.jpg') })
    expect(poster.atS).toBe(2.5)
    expect(poster.sizeBytes).toBeGreaterThan(500)
    expect(fs.readFileSync(poster.path).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]))
    const info = await probeMedia(tools, poster.path).catch(() => undefined)
    if (info) expect(info.video).toMatchObject({ width: 160, height: 90 })
    expect(fs.readdirSync(path.join(dir, 'posters'))).toEqual(['poster.jpg'])
  })

  it('clamps a time past the end into the recording', async () => {
    const media = await probeMedia(tools, path.join(dir, 'clip.mp4'))
    const poster = await extractPoster(tools, media, { atS: 600, output: path.join(dir, 'late.jpg') })
    expect(poster.atS).toBeCloseTo(media.durationS - 1, 6)
    expect(poster.sizeBytes).toBeGreaterThan(500)
  })

  it('refuses an audio-only recording and writes nothing', async () => {
    const media = await probeMedia(tools, path.join(dir, 'voice.m4a'))
    const out = path.join(dir, 'none.jpg')
    const err = await extractPoster(tools, media, { atS: 1, output: out }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RecflowError)
    expect((err as RecflowError).message).toMatch(/voice\.m4a has no video stream/)
    expect(fs.existsSync(out)).toBe(false)
  })
})
