import type { Transcript } from '../../src/domain/transcript/index.js'

/** A small valid transcript.json document (3 words, 2 segments, processed timeline), for seeding stage tests. */
export function sampleTranscript(overrides: Partial<Transcript> = {}): Transcript {
  return {
    format: 'recflow.transcript',
    version: 1,
    timeline: 'processed',
    language: 'en',
    duration: 10,
    provider: 'fireworks',
    model: 'whisper-v3-turbo',
    audio_seconds_billed: 10,
    estimated_cost_usd: 0.0001,
    empty: false,
    word_timestamps: true,
    words: [
      { text: 'Hello', start: 0.5, end: 0.9 },
      { text: 'world.', start: 1, end: 1.4 },
      { text: 'Again.', start: 5, end: 5.5 },
    ],
    segments: [
      { text: ' Hello world.', start: 0.5, end: 1.4 },
      { text: 'Again.', start: 5, end: 5.5 },
    ],
    hallucinations: [],
    created_at: '2026-01-01T00:00:00.000Z',
    ...overrides,
  }
}
