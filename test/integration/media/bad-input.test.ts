import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { probeMedia } from '../../../src/media/probe.js'
import { detectSilence } from '../../../src/media/silence.js'
import type { MediaTools } from '../../../src/media/types.js'
import { bundledTools, ffmpegSync, listDir, makeClip, makeTempDir, removeDir, systemOrBundledTools } from '../../fixtures/media/generate.js'

/**
 * Inputs that are not a complete recording must fail with a clear validation error naming the file, and touch
 * nothing: the directory holding them is the same before and after.
 */
describe.each([
  ['ffmpeg from PATH', systemOrBundledTools],
  ['bundled ffmpeg', bundledTools],
])('bad input with %s', (_label, getTools) => {
  let tools: MediaTools
  let dir: string
  let good: string

  beforeAll(async () => {
    tools = await getTools()
    dir = makeTempDir()
    good = makeClip(tools, path.join(dir, 'good.mp4'), { durationS: 20, tones: [{ start: 2, end: 18 }] })
    const bytes = fs.readFileSync(good)
    // The clip has its index at the end; a faststart copy has it first, so a cut copy still "probes" fine.
    ffmpegSync(tools, ['-i', good, '-c', 'copy', '-movflags', '+faststart', path.join(dir, 'faststart.mp4')])
    const fast = fs.readFileSync(path.join(dir, 'faststart.mp4'))
    fs.writeFileSync(path.join(dir, 'truncated.mp4'), bytes.subarray(0, Math.floor(bytes.length * 0.3)))
    fs.writeFileSync(path.join(dir, 'truncated-faststart.mp4'), fast.subarray(0, Math.floor(fast.length * 0.3)))
    fs.writeFileSync(path.join(dir, 'empty.mp4'), '')
    fs.writeFileSync(path.join(dir, 'notes.mp4'), 'these are meeting notes, not a video\n')
    makeClip(tools, path.join(dir, 'silent-film.mp4'), { durationS: 3 })
  })
  afterAll(() => removeDir(dir))

  async function rejection(promise: Promise<unknown>): Promise<RecflowError> {
    const before = listDir(dir)
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(listDir(dir)).toEqual(before)
    expect(err).toBeInstanceOf(RecflowError)
    return err as RecflowError
  }

  it('probes a good recording', async () => {
    const info = await probeMedia(tools, good)
    expect(info.durationS).toBeCloseTo(20, 0)
    expect(info.video).toMatchObject({ codec: 'h264', width: 160, height: 90, fps: 25 })
    expect(info.audio).toMatchObject({ codec: 'aac', channels: 1, sampleRate: 16000 })
    expect(info.sizeBytes).toBe(fs.statSync(good).size)
  })

  it('rejects a file that is not media', async () => {
    const err = await rejection(probeMedia(tools, path.join(dir, 'notes.mp4')))
    expect(err.code).toBe('validation')
    expect(err.message).toMatch(/^notes\.mp4 is not a readable media file \(.+\)$/)
    expect(err.hint).toMatch(/download the recording again/)
  })

  it('rejects a truncated MP4 whose index was at the end', async () => {
    const err = await rejection(probeMedia(tools, path.join(dir, 'truncated.mp4')))
    expect(err.code).toBe('validation')
    expect(err.message).toMatch(/truncated\.mp4 is not a readable media file \(.*moov atom not found/)
  })

  it('rejects a truncated MP4 whose index survived (faststart), by reading where its data ends', async () => {
    const err = await rejection(probeMedia(tools, path.join(dir, 'truncated-faststart.mp4')))
    expect(err.code).toBe('validation')
    expect(err.message).toMatch(/truncated-faststart\.mp4 is truncated: the container says 20\.0 s but its media data ends (at \d+\.\d s|early)/)
  })

  it('rejects a zero-length file without running ffprobe on it', async () => {
    const err = await rejection(probeMedia(tools, path.join(dir, 'empty.mp4')))
    expect(err.code).toBe('validation')
    expect(err.message).toBe('empty.mp4 is empty (0 bytes)')
  })

  it('reports a missing file as not found', async () => {
    const err = await rejection(probeMedia(tools, path.join(dir, 'gone.mp4')))
    expect(err.code).toBe('not_found')
  })

  it('rejects silence detection on a video without an audio stream', async () => {
    const info = await probeMedia(tools, path.join(dir, 'silent-film.mp4'))
    expect(info.audio).toBeUndefined()
    const err = await rejection(detectSilence(tools, info, { thresholdDb: -40, minSilenceS: 2 }))
    expect(err.code).toBe('validation')
    expect(err.message).toBe('silent-film.mp4 has no audio stream, so recflow cannot detect silence')
  })
})
