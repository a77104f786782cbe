import { z } from 'zod'

/*
 * The transcript artefact (`transcript.json` in the recording's folder): what TRANSCRIBE writes and what
 * EXTRACT_TOPICS, GENERATE_SUBTITLES, `recordings transcript` and the presets read. Every time is in seconds in
 * the processed video's timeline (the video people watch), whatever audio was sent to the provider.
 */

const seconds = z.number().min(0)

export const transcriptWordSchema = z.object({
  text: z.string(),
  start: seconds,
  end: seconds,
  /** The provider's confidence (0..1) when it gives one. */
  probability: z.number().min(0).max(1).optional(),
})

export const transcriptSegmentSchema = z.object({
  text: z.string(),
  start: seconds,
  end: seconds,
})

export const hallucinationSchema = z.object({
  kind: z.enum(['repeated_phrase', 'known_outro']),
  text: z.string(),
  start: seconds,
  end: seconds,
})

export const transcriptSchema = z.object({
  format: z.literal('recflow.transcript'),
  version: z.literal(1),
  /** Always 'processed': times follow the cut. */
  timeline: z.literal('processed'),
  language: z.string().nullable(),
  /** Seconds of the processed video. */
  duration: seconds,
  provider: z.string(),
  model: z.string(),
  /** Seconds of audio the provider bills for (the sum of the pieces sent). */
  audio_seconds_billed: seconds,
  /** US dollars, from the provider's published price; null when unknown (e.g. a self-hosted server). */
  estimated_cost_usd: z.number().min(0).nullable(),
  /** True when no speech was found: words and segments are then empty on purpose, not by a failure. */
  empty: z.boolean(),
  /** False when the provider gave segment times only (words then carry times interpolated inside segments). */
  word_timestamps: z.boolean(),
  words: z.array(transcriptWordSchema),
  segments: z.array(transcriptSegmentSchema),
  /** Spans that look invented by the model (a phrase repeated over and over, a stock outro). */
  hallucinations: z.array(hallucinationSchema),
  created_at: z.string(),
})

export type TranscriptWord = z.infer<typeof transcriptWordSchema>
export type TranscriptSegment = z.infer<typeof transcriptSegmentSchema>
export type Hallucination = z.infer<typeof hallucinationSchema>
export type Transcript = z.infer<typeof transcriptSchema>
