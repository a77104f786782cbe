import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { listKeyframes, listKeyframesCheckingEnd } from '../../../src/media/keyframes.js'
import { probeMedia } from '../../../src/media/probe.js'
import type { MediaTools } from '../../../src/media/types.js'
import { ffmpegSync, makeClip, makeTempDir, removeDir, systemOrBundledTools } from '../../fixtures/media/generate.js'

/*
 * The process stage's one ffprobe for the opening keyframes and the truncation check (keyframes.ts): the same
 * keyframes as a plain keyframe listing, a cut file is still called truncated, and a video that simply stops
 * before its sound is not.
 */

let tools: MediaTools
let dir: string
const probe = (name: string) => probeMedia(tools, path.join(dir, name), { checkTruncation: false })

beforeAll(async () => {
  tools = await systemOrBundledTools()
  dir = makeTempDir()
  const good = makeClip(tools, path.join(dir, 'good.mp4'), { durationS: 20, tones: [{ start: 2, end: 18 }], gop: 25 })
  // Index first (faststart), so a cut copy still probes fine and only its data ends early.
  ffmpegSync(tools, ['-i', good, '-c', 'copy', '-movflags', '+faststart', path.join(dir, 'faststart.mp4')])
  const fast = fs.readFileSync(path.join(dir, 'faststart.mp4'))
  fs.writeFileSync(path.join(dir, 'truncated.mp4'), fast.subarray(0, Math.floor(fast.length * 0.6)))
  // 8 s of picture, 20 s of sound: the container says 20 s and every stream is whole.
  ffmpegSync(tools, [
    '-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=25:d=8',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=16000:duration=20',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25', '-c:a', 'aac', '-ac', '1',
    '-movflags', '+faststart', path.join(dir, 'short-video.mp4'),
  ])
}, 60_000)

afterAll(() => removeDir(dir))

describe('listKeyframesCheckingEnd', () => {
  it('lists the keyframes of the opening span, as a keyframe listing of that span does, for a whole file', async () => {
    const media = await probe('faststart.mp4')
    const head = { start: 0, end: 10 }
    const keyframes = await listKeyframesCheckingEnd(tools, media, { head })
    expect(keyframes).toEqual(await listKeyframes(tools, media, { windows: [head] }))
    expect(keyframes).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })

  it('calls a file whose data was cut off truncated', async () => {
    const media = await probe('truncated.mp4')
    const err = await listKeyframesCheckingEnd(tools, media, { head: { start: 0, end: 10 } }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RecflowError)
    expect((err as RecflowError).message).toMatch(/truncated\.mp4 is truncated: the container says 20\.0 s but its media data ends/)
  })

  it('does not call a file truncated whose video stops before its sound', async () => {
    const media = await probe('short-video.mp4')
    expect(media.durationS).toBeCloseTo(20, 0)
    await expect(listKeyframesCheckingEnd(tools, media, { head: { start: 0, end: 10 } })).resolves.toEqual([0, 1, 2, 3, 4, 5, 6, 7])
  })
})
