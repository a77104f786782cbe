import { describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { edgesKeyframeWindow, planEdgesTrim, planPausesTrim, speechSpan } from '../../../src/media/trim-plan.js'

const everyTwoSeconds = Array.from({ length: 61 }, (_, i) => i * 2) // 0, 2, ..., 120
const lecture = { durationS: 120, silences: [{ start: 0, end: 18.0136 }, { start: 61.37, end: 85.7 }, { start: 104.082, end: 120 }] }

function rejection(fn: () => unknown): RecflowError {
  try {
    fn()
  } catch (e) {
    if (e instanceof RecflowError) return e
    throw e
  }
  throw new Error('expected a RecflowError')
}

describe('speechSpan', () => {
  it('spans from the end of the leading silence to the start of the trailing one', () => {
    expect(speechSpan(120, lecture.silences)).toEqual({ start: 18.0136, end: 104.082 })
  })

  it('refuses all-silent audio with a validation error that suggests a lower threshold', () => {
    const e = rejection(() => speechSpan(60, [{ start: 0, end: 60 }]))
    expect(e.code).toBe('validation')
    expect(e.message).toMatch(/no speech found/)
    expect(e.hint).toMatch(/silence_threshold/)
  })
})

describe('planEdgesTrim', () => {
  it('starts at the earliest keyframe inside the padding and ends after the padding', () => {
    const plan = planEdgesTrim({ ...lecture, paddingBefore: 5, paddingAfter: 5, keyframes: everyTwoSeconds })
    expect(plan.editList).toEqual({ source_duration: 120, keep: [{ start: 14, end: 109.082 }] })
    expect(plan.startsAtKeyframe).toBe(true)
    expect(plan.keptBeforeSpeechS).toBeCloseTo(4.0136, 6)
    expect(plan.cuts).toEqual([{ start: 0, end: 14 }, { start: 109.082, end: 120 }])
    expect(plan.cutS).toBeCloseTo(24.918, 6)
    expect(plan.nothingToCut).toBe(false)
  })

  it('takes a keyframe exactly at the wanted cut point', () => {
    const plan = planEdgesTrim({ durationS: 60, silences: [{ start: 0, end: 20 }], paddingBefore: 4, paddingAfter: 1, keyframes: [0, 8, 16, 24] })
    expect(plan.editList.keep).toEqual([{ start: 16, end: 60 }])
  })

  it('falls back to the latest keyframe before the padding when none lies inside it', () => {
    const plan = planEdgesTrim({ ...lecture, paddingBefore: 5, paddingAfter: 5, keyframes: [0, 10, 20, 30] })
    expect(plan.editList.keep[0]?.start).toBe(10)
  })

  it('never starts after the speech, even with zero padding', () => {
    const plan = planEdgesTrim({ durationS: 60, silences: [{ start: 0, end: 9 }], paddingBefore: 0, paddingAfter: 0, keyframes: [0, 8, 10] })
    expect(plan.editList.keep[0]?.start).toBe(8)
  })

  it('cuts exactly at the padding for audio-only input (no keyframes to honour)', () => {
    const plan = planEdgesTrim({ ...lecture, paddingBefore: 5, paddingAfter: 5 })
    expect(plan.editList.keep).toEqual([{ start: 13.0136, end: 109.082 }])
    expect(plan.startsAtKeyframe).toBe(false)
  })

  it('keeps the start when a video has no known keyframe before the speech', () => {
    const plan = planEdgesTrim({ ...lecture, paddingBefore: 5, paddingAfter: 5, keyframes: [] })
    expect(plan.editList.keep[0]?.start).toBe(0)
    expect(plan.startsAtKeyframe).toBe(false)
  })

  it('ignores keyframes after the speech start', () => {
    const plan = planEdgesTrim({ ...lecture, paddingBefore: 5, paddingAfter: 5, keyframes: [30, 40] })
    expect(plan.editList.keep[0]?.start).toBe(0)
  })

  it('keeps everything, as an identity edit list, when there is no silence', () => {
    const plan = planEdgesTrim({ durationS: 30, silences: [], paddingBefore: 5, paddingAfter: 5, keyframes: [0, 2] })
    expect(plan.nothingToCut).toBe(true)
    expect(plan.editList).toEqual({ source_duration: 30, keep: [{ start: 0, end: 30 }] })
    expect(plan.cuts).toEqual([])
    expect(plan.cutS).toBe(0)
  })

  it('keeps everything when the silences are shorter than the padding', () => {
    const plan = planEdgesTrim({ durationS: 30, silences: [{ start: 0, end: 3 }, { start: 28, end: 30 }], paddingBefore: 5, paddingAfter: 5 })
    expect(plan.nothingToCut).toBe(true)
  })

  it('cuts only the start when the silence is at the start only', () => {
    const plan = planEdgesTrim({ durationS: 60, silences: [{ start: 0, end: 30 }], paddingBefore: 5, paddingAfter: 5, keyframes: [0, 24, 26, 28] })
    expect(plan.editList.keep).toEqual([{ start: 26, end: 60 }])
  })

  it('cuts only the end when the silence is at the end only', () => {
    const plan = planEdgesTrim({ durationS: 60, silences: [{ start: 40, end: 60 }], paddingBefore: 5, paddingAfter: 5, keyframes: [0, 30] })
    expect(plan.editList.keep).toEqual([{ start: 0, end: 45 }])
    expect(plan.startsAtKeyframe).toBe(false)
  })

  it('ignores inner silences', () => {
    const plan = planEdgesTrim({ ...lecture, paddingBefore: 0, paddingAfter: 0 })
    expect(plan.editList.keep).toEqual([{ start: 18.0136, end: 104.082 }])
  })

  it('refuses all-silent input and negative padding', () => {
    expect(rejection(() => planEdgesTrim({ durationS: 10, silences: [{ start: 0, end: 10 }], paddingBefore: 1, paddingAfter: 1 })).message).toMatch(
      /no speech/,
    )
    expect(rejection(() => planEdgesTrim({ ...lecture, paddingBefore: -1, paddingAfter: 1 })).code).toBe('validation')
  })
})

describe('edgesKeyframeWindow', () => {
  it('spans from the wanted cut point to the speech start', () => {
    expect(edgesKeyframeWindow({ ...lecture, paddingBefore: 5 })).toEqual({ start: 13.0136, end: 18.0136 })
  })
  it('is null when speech starts at once', () => {
    expect(edgesKeyframeWindow({ durationS: 10, silences: [{ start: 8, end: 10 }], paddingBefore: 5 })).toBeNull()
  })
})

describe('planPausesTrim', () => {
  const base = { ...lecture, paddingBefore: 5, paddingAfter: 5, minPause: 3, margin: 0.5, maxCutRatio: 0.5 }

  it('shortens inner pauses longer than min_pause to a margin on each side, and trims the edges', () => {
    const plan = planPausesTrim(base)
    expect(plan.editList.keep).toEqual([
      { start: 13.0136, end: 61.87 },
      { start: 85.2, end: 109.082 },
    ])
    expect(plan.cutS).toBeCloseTo(120 - (61.87 - 13.0136) - (109.082 - 85.2), 6)
    expect(plan.startsAtKeyframe).toBe(false)
  })

  it('keeps pauses no longer than min_pause', () => {
    const plan = planPausesTrim({ ...base, silences: [{ start: 0, end: 2 }, { start: 10, end: 12.5 }, { start: 20, end: 23 }], durationS: 30, paddingBefore: 0, paddingAfter: 0 })
    expect(plan.editList.keep).toEqual([{ start: 2, end: 30 }])
  })

  it('keeps a pause whose margins would overlap', () => {
    const plan = planPausesTrim({ ...base, durationS: 30, silences: [{ start: 10, end: 13.5 }], minPause: 3, margin: 2, paddingBefore: 0, paddingAfter: 0 })
    expect(plan.nothingToCut).toBe(true)
  })

  it('refuses to cut more than max_cut_ratio of the runtime, with a hint', () => {
    const e = rejection(() => planPausesTrim({ ...base, maxCutRatio: 0.2 }))
    expect(e.code).toBe('validation')
    expect(e.message).toMatch(/would cut 39% of the recording, more than max_cut_ratio 20%/)
    expect(e.hint).toMatch(/trim_mode edges/)
  })

  it('accepts a plan that cuts exactly max_cut_ratio', () => {
    const plan = planPausesTrim({ durationS: 100, silences: [{ start: 0, end: 50 }], paddingBefore: 0, paddingAfter: 0, minPause: 3, margin: 0.5, maxCutRatio: 0.5 })
    expect(plan.editList.keep).toEqual([{ start: 50, end: 100 }])
  })

  it('rejects a ratio outside 0..1 and negative margins', () => {
    expect(rejection(() => planPausesTrim({ ...base, maxCutRatio: 1.5 })).code).toBe('validation')
    expect(rejection(() => planPausesTrim({ ...base, margin: -1 })).code).toBe('validation')
  })
})
