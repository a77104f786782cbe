import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { mapInterval } from '../../../src/media/edit-list.js'
import { planTrimForMedia, type TrimSettings } from '../../../src/media/plan-trim-for-media.js'
import { probeMedia } from '../../../src/media/probe.js'
import { detectSilence } from '../../../src/media/silence.js'
import { trimMedia } from '../../../src/media/trim.js'
import type { Interval, MediaInfo, MediaTools } from '../../../src/media/types.js'
import { listDir, makeLecture, makeTempDir, removeDir, systemOrBundledTools, type Lecture } from '../../fixtures/media/generate.js'

/**
 * Accuracy on a synthetic lecture with known speech (make-lecture.sh, 1 minute at 160x90: a 9 s silent lead-in, six
 * sentences with a 12 s break after the fourth, a ~9 s silent tail; H.264 at 25 fps with a keyframe every 50 frames
 * = 2 s). One minute, not two: every case (lead-in, short pauses, the break, the tail) is there, and the pauses
 * re-encode of the video costs half (4.6 s of CPU for two minutes).
 */
const GOP_S = 2
// The processing defaults (DEFAULT_CONFIG): -40 dB, 2 s, padding 5/5, min_pause 3, margin 0.5, max ratio 0.5.
const silenceOpts = { thresholdDb: -40, minSilenceS: 2 }
const settings: TrimSettings = { mode: 'edges', paddingBefore: 5, paddingAfter: 5, minPause: 3, margin: 0.5, maxCutRatio: 0.5 }

let tools: MediaTools
let lecture: Lecture
let outDir: string
let video: MediaInfo
let audio: MediaInfo
let silences: Interval[]

beforeAll(async () => {
  tools = await systemOrBundledTools()
  lecture = makeLecture(makeTempDir(), 1)
  outDir = makeTempDir()
  video = await probeMedia(tools, lecture.mp4)
  audio = await probeMedia(tools, lecture.m4a)
  silences = await detectSilence(tools, video, silenceOpts)
}, 120_000)
afterAll(() => {
  removeDir(lecture?.dir)
  removeDir(outDir)
})

const speech = () => lecture.truth.speech
const firstSpeech = () => speech()[0]?.start ?? Number.NaN
const lastSpeech = () => speech()[speech().length - 1]?.end ?? Number.NaN

describe('edges trim of a lecture', () => {
  it('keeps every spoken sentence and removes the silence beyond the padding (within one keyframe interval)', async () => {
    const plan = await planTrimForMedia(tools, video, silences, settings)
    const kept = plan.editList.keep[0] as Interval
    expect(plan.editList.keep).toHaveLength(1)
    for (const s of speech()) {
      expect(s.start).toBeGreaterThanOrEqual(kept.start)
      expect(s.end).toBeLessThanOrEqual(kept.end)
    }
    expect(kept.start).toBeGreaterThanOrEqual(firstSpeech() - settings.paddingBefore - GOP_S)
    expect(kept.end).toBeLessThanOrEqual(lastSpeech() + settings.paddingAfter + 0.1)
    // Stream copy can only start at a keyframe.
    expect(kept.start % GOP_S).toBeCloseTo(0, 6)

    const out = path.join(outDir, 'edges.mp4')
    const result = await trimMedia(tools, video, out, plan)
    const written = await probeMedia(tools, out)
    expect(written.video).toMatchObject({ width: video.video?.width, height: video.video?.height })
    expect(written.video?.width).toBe(160)
    expect(written.audio).toBeDefined()
    expect(result.durationS).toBeCloseTo(kept.end - kept.start, 0)
    // The written file really starts where the edit list says: the first sentence is where mapTime puts it.
    const after = await detectSilence(tools, written, silenceOpts)
    const firstSoundInOutput = after[0]?.start === 0 ? (after[0]?.end ?? 0) : 0
    const detectedFirstSpeech = silences[0]?.end ?? 0
    expect(firstSoundInOutput).toBeCloseTo(detectedFirstSpeech - kept.start, 0)
    expect(Math.abs(firstSoundInOutput - (detectedFirstSpeech - kept.start))).toBeLessThan(0.15)
  })

  it('cuts an audio-only lecture exactly at the padding and keeps it audio-only', async () => {
    const audioSilences = await detectSilence(tools, audio, silenceOpts)
    const plan = await planTrimForMedia(tools, audio, audioSilences, settings)
    const kept = plan.editList.keep[0] as Interval
    for (const s of speech()) expect(s.start >= kept.start && s.end <= kept.end).toBe(true)
    expect(kept.start).toBeCloseTo((audioSilences[0]?.end ?? 0) - settings.paddingBefore, 6)
    expect(kept.start).toBeGreaterThanOrEqual(firstSpeech() - settings.paddingBefore - 0.1)
    const out = path.join(outDir, 'edges.m4a')
    await trimMedia(tools, audio, out, plan)
    const written = await probeMedia(tools, out)
    expect(written.video).toBeUndefined()
    expect(written.durationS).toBeCloseTo(kept.end - kept.start, 0)
  })
})

describe('pauses trim of a lecture', () => {
  it('removes the long break, keeps every sentence whole, and writes what the edit list says', async () => {
    const plan = await planTrimForMedia(tools, video, silences, { ...settings, mode: 'pauses' })
    for (const s of speech()) {
      const survived = mapInterval(plan.editList, s)
      expect(survived, `sentence at ${s.start}-${s.end} s`).toHaveLength(1)
      expect((survived[0]?.end ?? 0) - (survived[0]?.start ?? 0)).toBeCloseTo(s.end - s.start, 6)
    }
    const breakIn = lecture.truth.silences.reduce((a, b) => (b.end - b.start > a.end - a.start && b.start > 0 && b.end < lecture.truth.duration ? b : a))
    expect(breakIn.end - breakIn.start).toBeGreaterThan(10)
    expect(plan.cuts.some((c) => c.end - c.start > breakIn.end - breakIn.start - 2 * settings.margin - 0.5)).toBe(true)

    const out = path.join(outDir, 'pauses.mp4')
    const result = await trimMedia(tools, video, out, plan)
    expect(Math.abs(result.durationS - plan.keptS)).toBeLessThan(0.25)
    const after = await detectSilence(tools, await probeMedia(tools, out), silenceOpts)
    const longest = Math.max(...after.filter((s) => s.start > 0.1 && s.end < result.durationS - 0.1).map((s) => s.end - s.start))
    expect(longest).toBeLessThan(settings.minPause + 0.5)
  })
})

describe('planning without writing (dry run) and cancelling', () => {
  it('plans without touching the recording folder', async () => {
    const before = listDir(lecture.dir)
    const plan = await planTrimForMedia(tools, video, silences, settings)
    // At least the silence beyond the padding at both ends (the start moves back to a keyframe at most GOP_S).
    const tailSilence = lecture.truth.duration - lastSpeech()
    expect(plan.cutS).toBeGreaterThan(firstSpeech() - settings.paddingBefore - GOP_S + tailSilence - settings.paddingAfter - 0.1)
    expect(listDir(lecture.dir)).toEqual(before)
  })

  it('cancels a running trim, leaving neither the output nor a .part file', async () => {
    const plan = await planTrimForMedia(tools, video, silences, { ...settings, mode: 'pauses' })
    const controller = new AbortController()
    const out = path.join(outDir, 'cancelled', 'pauses.mp4')
    const err = await trimMedia(tools, video, out, plan, { signal: controller.signal, onProgress: () => controller.abort() }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RecflowError)
    expect((err as RecflowError).code).toBe('cancelled')
    expect(fs.readdirSync(path.dirname(out))).toEqual([])
  })
})
