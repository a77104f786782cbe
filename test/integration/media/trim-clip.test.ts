import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { containerForPath } from '../../../src/media/containers.js'
import { listKeyframes } from '../../../src/media/keyframes.js'
import { findMoovSize } from '../../../src/media/mp4-boxes.js'
import { planTrimForMedia, type TrimSettings } from '../../../src/media/plan-trim-for-media.js'
import { probeMedia } from '../../../src/media/probe.js'
import { detectSilence } from '../../../src/media/silence.js'
import { assertToolSucceeded, runFfmpeg } from '../../../src/media/runner.js'
import { edgesTrimArgs, trimMedia } from '../../../src/media/trim.js'
import type { Interval, MediaInfo, MediaTools } from '../../../src/media/types.js'
import { bundledTools, listDir, makeClip, makeTempDir, removeDir, systemOrBundledTools } from '../../fixtures/media/generate.js'

/** Tone/silence clips with exactly known sound: 20 s, tone at 6-10 s and 12-14 s, keyframe every second. */
const TONES = [{ start: 6, end: 10 }, { start: 12, end: 14 }]
const settings: TrimSettings = { mode: 'edges', paddingBefore: 1.5, paddingAfter: 1.5, minPause: 1.5, margin: 0.25, maxCutRatio: 0.8 }
const silenceOpts = { thresholdDb: -40, minSilenceS: 1 }

describe.each([
  ['ffmpeg from PATH', systemOrBundledTools],
  ['bundled ffmpeg', bundledTools],
])('trimming a generated clip with %s', (_label, getTools) => {
  let tools: MediaTools
  let dir: string
  let video: MediaInfo
  let audio: MediaInfo
  // Detected once per clip (every ffmpeg start costs ~0.1 s of CPU); the first test checks them.
  let videoSilences: Interval[]
  let audioSilences: Interval[]

  beforeAll(async () => {
    tools = await getTools()
    dir = makeTempDir()
    video = await probeMedia(tools, makeClip(tools, path.join(dir, 'clip.mp4'), { durationS: 20, tones: TONES, gop: 25 }))
    audio = await probeMedia(tools, makeClip(tools, path.join(dir, 'clip.m4a'), { durationS: 20, tones: TONES, video: false }))
    ;[videoSilences, audioSilences] = await Promise.all([detectSilence(tools, video, silenceOpts), detectSilence(tools, audio, silenceOpts)])
  })
  afterAll(() => removeDir(dir))

  it('detects the silences around and between the tones, in the video and in the audio-only clip', async () => {
    const expected = [{ start: 0, end: 6 }, { start: 10, end: 12 }, { start: 14, end: 20 }]
    for (const silences of [videoSilences, audioSilences]) {
      expect(silences).toHaveLength(3)
      silences.forEach((s, i) => {
        expect(s.start).toBeCloseTo(expected[i]?.start ?? -1, 1)
        expect(s.end).toBeCloseTo(expected[i]?.end ?? -1, 1)
      })
    }
  })

  it('detects the same silences while the probe is still running, and a failed probe stops detection', async () => {
    const whileProbing = await detectSilence(tools, { path: video.path, probing: probeMedia(tools, video.path) }, silenceOpts)
    expect(whileProbing).toEqual(videoSilences)
    const text = path.join(dir, 'notes.mp4')
    fs.writeFileSync(text, 'not media at all')
    await expect(detectSilence(tools, { path: text, probing: probeMedia(tools, text) }, silenceOpts)).rejects.toThrow(/notes\.mp4 is not a readable media file/)
    const silent = makeClip(tools, path.join(dir, 'silent.mp4'), { durationS: 2 })
    await expect(detectSilence(tools, { path: silent, probing: probeMedia(tools, silent) }, silenceOpts)).rejects.toThrow(/has no audio stream/)
  })

  it('lists keyframes only inside the asked window, plus the one before it', async () => {
    const keyframes = await listKeyframes(tools, video, { windows: [{ start: 4.5, end: 6 }] })
    expect(keyframes).toEqual([4, 5, 6])
    expect(await listKeyframes(tools, audio)).toBeUndefined()
  })

  it('cuts the edges of a video by stream copy at a keyframe inside the padding', async () => {
    const plan = await planTrimForMedia(tools, video, videoSilences, settings)
    expect(plan.editList.keep).toHaveLength(1)
    expect(plan.editList.keep[0]?.start).toBe(5)
    expect(plan.editList.keep[0]?.end).toBeCloseTo(15.5, 1)
    const out = path.join(dir, 'out', 'edges.mp4')
    const result = await trimMedia(tools, video, out, plan)
    expect(result.durationS).toBeCloseTo(10.5, 0)
    const written = await probeMedia(tools, out)
    expect(written.video?.codec).toBe('h264')
    // Read from the written file's index header, without ffprobe: the same as ffprobe says.
    expect(result.durationS).toBeCloseTo(written.durationS, 3)
    expect(result.sizeBytes).toBe(written.sizeBytes)
    const after = await detectSilence(tools, written, silenceOpts)
    // The first tone now starts one second in (6 - 5), as the edit list says.
    expect(after[0]?.start).toBeCloseTo(0, 1)
    expect(after[0]?.end).toBeCloseTo(1, 1)
    expect(listDir(path.dirname(out))).toEqual(['edges.mp4'])
  })

  it('keeps audio-only recordings audio-only and cuts them exactly at the padding', async () => {
    const plan = await planTrimForMedia(tools, audio, audioSilences, settings)
    expect(plan.editList.keep[0]?.start).toBeCloseTo(4.5, 1)
    const out = path.join(dir, 'out', 'edges.m4a')
    const result = await trimMedia(tools, audio, out, plan)
    const written = await probeMedia(tools, out)
    expect(result.durationS).toBeCloseTo(written.durationS, 3)
    expect(written.video).toBeUndefined()
    expect(written.audio?.codec).toBe('aac')
    expect(written.durationS).toBeCloseTo(11, 0)
  })

  it('removes an inner pause by re-encoding, keeping video and audio in step', async () => {
    const plan = await planTrimForMedia(tools, video, videoSilences, { ...settings, mode: 'pauses' })
    expect(plan.editList.keep).toHaveLength(2)
    const out = path.join(dir, 'out', 'pauses.mp4')
    const result = await trimMedia(tools, video, out, plan)
    expect(result.durationS).toBeCloseTo(plan.keptS, 0)
    const written = await probeMedia(tools, out)
    expect(written.video?.codec).toBe('h264')
    expect(written.audio?.codec).toBe('aac')
    const after = await detectSilence(tools, written, { thresholdDb: -40, minSilenceS: 0.3 })
    // Only the two margins (2 x 0.25 s) remain of the 2 s pause between the tones.
    const inner = after.filter((s) => s.start > 0.5 && s.end < written.durationS - 0.5)
    expect(inner).toHaveLength(1)
    expect((inner[0]?.end ?? 0) - (inner[0]?.start ?? 0)).toBeCloseTo(0.5, 1)
  })

  it('refuses to write over its own input', async () => {
    const plan = await planTrimForMedia(tools, audio, audioSilences, settings)
    await expect(trimMedia(tools, audio, audio.path, plan)).rejects.toBeInstanceOf(RecflowError)
    expect(fs.statSync(audio.path).size).toBe(audio.sizeBytes)
  })
})

describe('one-pass faststart for MP4 stream copies', () => {
  let tools: MediaTools
  let dir: string
  beforeAll(async () => {
    tools = await systemOrBundledTools()
    dir = makeTempDir()
  })
  afterAll(() => removeDir(dir))

  it('finds the index of an MP4 and nothing in a text file', async () => {
    const clip = makeClip(tools, path.join(dir, 'clip.mp4'), { durationS: 4, tones: [{ start: 1, end: 3 }] })
    expect(await findMoovSize(clip)).toBeGreaterThan(1000)
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'hello world, not mp4 at all')
    expect(await findMoovSize(path.join(dir, 'notes.txt'))).toBeUndefined()
  })

  it('writes the index before the media data, without a second pass', async () => {
    const media = await probeMedia(tools, makeClip(tools, path.join(dir, 'long.mp4'), { durationS: 20, tones: TONES, gop: 25 }))
    const plan = await planTrimForMedia(tools, media, await detectSilence(tools, media, silenceOpts), settings)
    const out = path.join(dir, 'trimmed.mp4')
    await trimMedia(tools, media, out, plan)
    expect(topLevelBoxes(out).filter((t) => t === 'moov' || t === 'mdat')).toEqual(['moov', 'mdat'])
  })

  it("treats a too-small index reservation as a failure although ffmpeg exits 0", async () => {
    const media = await probeMedia(tools, makeClip(tools, path.join(dir, 'small.mp4'), { durationS: 6, tones: [{ start: 1, end: 5 }] }))
    const args = edgesTrimArgs({
      input: media.path, output: path.join(dir, 'tiny-reserve.mp4'), container: containerForPath('x.mp4'),
      keep: { start: 0, end: 6 }, startsAtKeyframe: false, moovReserveBytes: 100,
    })
    const result = await runFfmpeg(tools, args)
    // ffmpeg exits 0 here; only stderr tells that the file has no usable index.
    expect(result.stderrTail.join('\n')).toMatch(/reserved_moov_size is too small/)
    expect(() => assertToolSucceeded(result, 'trimming')).toThrow(/not finalized/)
  })
})

function topLevelBoxes(file: string): string[] {
  const bytes = fs.readFileSync(file)
  const types: string[] = []
  for (let pos = 0; pos + 8 <= bytes.length; ) {
    const size = bytes.readUInt32BE(pos)
    types.push(bytes.toString('latin1', pos + 4, pos + 8))
    if (size < 8) break
    pos += size
  }
  return types
}
