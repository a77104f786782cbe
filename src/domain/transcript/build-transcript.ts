import { findHallucinations } from './hallucinations.js'
import type { Stitched } from './stitch.js'
import type { Transcript } from './transcript.js'

export interface BuildTranscriptInput {
  /** Stitched and already in the processed timeline. */
  stitched: Stitched
  /** Seconds of the processed video. */
  durationS: number
  provider: string
  model: string
  /** Durations of the pieces sent (what the service bills). */
  billedSeconds: number
  pricePerMinuteUsd: number | null
  createdAt: Date
}

/** US dollars for `seconds` of audio at a per-minute price, rounded to a millionth; null when the price is unknown. */
export function estimateCostUsd(seconds: number, pricePerMinuteUsd: number | null): number | null {
  if (pricePerMinuteUsd === null) return null
  return Math.round((seconds / 60) * pricePerMinuteUsd * 1e6) / 1e6
}

/**
 * The transcript artefact. No words at all, or nothing but stock outros (what speech models answer to silence),
 * gives an empty transcript marked `empty`; the outros found are still listed as hallucinations.
 */
export function buildTranscript(input: BuildTranscriptInput): Transcript {
  const { stitched } = input
  const hallucinations = findHallucinations(stitched.words, stitched.segments)
  const onlyOutros =
    stitched.segments.length > 0 &&
    stitched.segments.every((s) => hallucinations.some((h) => h.kind === 'known_outro' && h.start <= s.start && h.end >= s.end))
  const empty = stitched.words.length === 0 || onlyOutros
  const fit = (t: number) => Math.min(input.durationS, Math.max(0, t))
  return {
    format: 'recflow.transcript',
    version: 1,
    timeline: 'processed',
    language: stitched.language,
    duration: input.durationS,
    provider: input.provider,
    model: input.model,
    audio_seconds_billed: round3(input.billedSeconds),
    estimated_cost_usd: estimateCostUsd(input.billedSeconds, input.pricePerMinuteUsd),
    empty,
    word_timestamps: stitched.wordTimestamps,
    words: empty ? [] : stitched.words.map((w) => ({ ...w, start: round3(fit(w.start)), end: round3(fit(w.end)) })),
    segments: empty ? [] : stitched.segments.map((s) => ({ ...s, start: round3(fit(s.start)), end: round3(fit(s.end)) })),
    hallucinations: hallucinations.map((h) => ({ ...h, start: round3(fit(h.start)), end: round3(fit(h.end)) })),
    created_at: input.createdAt.toISOString(),
  }
}

const round3 = (t: number) => Math.round(t * 1000) / 1000
