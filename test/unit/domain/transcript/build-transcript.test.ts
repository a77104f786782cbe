import { describe, expect, it } from 'vitest'
import { buildTranscript, estimateCostUsd, transcriptSchema, type Stitched } from '../../../../src/domain/transcript/index.js'

const base = { durationS: 120, provider: 'fireworks', model: 'whisper-v3-turbo', billedSeconds: 120, pricePerMinuteUsd: 0.0009, createdAt: new Date('2026-01-01T00:00:00Z') }
const stitched = (over: Partial<Stitched> = {}): Stitched => ({
  words: [
    { text: 'Hello', start: 1.00049, end: 1.5 },
    { text: 'there.', start: 1.6, end: 130 },
  ],
  segments: [{ text: 'Hello there.', start: 1, end: 130 }],
  language: 'en',
  wordTimestamps: true,
  ...over,
})

describe('buildTranscript', () => {
  it('builds a valid artefact in the processed timeline with cost and billed seconds', () => {
    const t = buildTranscript({ ...base, stitched: stitched() })
    expect(transcriptSchema.parse(t)).toEqual(t)
    expect(t).toMatchObject({ empty: false, duration: 120, audio_seconds_billed: 120, estimated_cost_usd: 0.0018, language: 'en', word_timestamps: true })
    // Times are kept inside the video and rounded to the millisecond.
    expect(t.words.map((w) => [w.start, w.end])).toEqual([
      [1, 1.5],
      [1.6, 120],
    ])
  })

  it('marks a transcript without words empty', () => {
    const t = buildTranscript({ ...base, stitched: stitched({ words: [], segments: [], language: null }) })
    expect(t).toMatchObject({ empty: true, words: [], segments: [], hallucinations: [] })
  })

  it('marks a transcript of nothing but stock outros empty, keeping the flags', () => {
    const t = buildTranscript({
      ...base,
      stitched: stitched({ words: [{ text: 'Thanks', start: 50, end: 50.5 }, { text: 'for', start: 50.5, end: 50.7 }, { text: 'watching!', start: 50.7, end: 51 }], segments: [{ text: 'Thanks for watching!', start: 50, end: 51 }] }),
    })
    expect(t).toMatchObject({ empty: true, words: [], segments: [] })
    expect(t.hallucinations).toEqual([{ kind: 'known_outro', text: 'Thanks for watching!', start: 50, end: 51 }])
  })

  it('gives no cost when the price is unknown', () => {
    expect(buildTranscript({ ...base, pricePerMinuteUsd: null, stitched: stitched() }).estimated_cost_usd).toBeNull()
    expect(estimateCostUsd(3 * 3600, 0.0009)).toBe(0.162)
  })
})
