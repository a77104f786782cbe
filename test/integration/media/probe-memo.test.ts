import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { probeMedia } from '../../../src/media/probe.js'
import type { MediaTools } from '../../../src/media/types.js'
import { makeClip, makeTempDir, removeDir, systemOrBundledTools } from '../../fixtures/media/generate.js'
import { countingTool } from '../../support/counting-tool.js'

let dir: string
let tools: MediaTools
let starts: () => string[]

beforeAll(async () => {
  dir = makeTempDir()
  const real = await systemOrBundledTools()
  const counting = countingTool(dir, 'ffprobe', real.ffprobe.path)
  starts = counting.runs
  tools = { ...real, ffprobe: { ...real.ffprobe, path: counting.path } }
  makeClip(real, path.join(dir, 'a.mp4'), { durationS: 4, tones: [{ start: 1, end: 3 }] })
  makeClip(real, path.join(dir, 'b.mp4'), { durationS: 6, tones: [{ start: 1, end: 5 }] })
})
afterAll(() => removeDir(dir))

it('probes an unchanged file once per process, with its truncation check, and again once it is written', async () => {
  const file = path.join(dir, 'clip.mp4')
  fs.copyFileSync(path.join(dir, 'a.mp4'), file)
  const first = await probeMedia(tools, file, { checkTruncation: false })
  expect(starts()).toHaveLength(1)
  // The truncation check is made once, when first asked for.
  const second = await probeMedia(tools, file)
  expect(starts()).toHaveLength(2)
  expect(starts()[1]).toMatch(/-read_intervals/)
  expect(await probeMedia(tools, file)).toEqual(first)
  expect(starts()).toHaveLength(2)
  expect(second).toEqual(first)
  // A caller's changes to what it got do not reach the next caller.
  second.audio!.codec = 'changed by a caller'
  expect((await probeMedia(tools, file)).audio).toEqual(first.audio)

  // Another recording at the same path (copied over: new size, times): probed again.
  fs.copyFileSync(path.join(dir, 'b.mp4'), file)
  const replaced = await probeMedia(tools, file, { checkTruncation: false })
  expect(starts()).toHaveLength(3)
  expect(replaced.durationS).toBeGreaterThan(first.durationS + 1)
})

it('remembers no failure: a file that could not be probed is probed again', async () => {
  const file = path.join(dir, 'bad.mp4')
  fs.writeFileSync(file, 'not media at all')
  const before = starts().length
  await expect(probeMedia(tools, file)).rejects.toMatchObject({ code: 'validation' })
  await expect(probeMedia(tools, file)).rejects.toMatchObject({ code: 'validation' })
  expect(starts().length - before).toBe(2)
})

it('a cancelled caller is refused even for a file it knows', async () => {
  const file = path.join(dir, 'a.mp4')
  await probeMedia(tools, file)
  const before = starts().length
  await expect(probeMedia(tools, file, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'cancelled' })
  expect(starts().length).toBe(before)
})
