import { z } from 'zod'
import { ProviderError, type ProviderSegment, type ProviderTranscript, type ProviderWord } from '../types.js'
import { languageCode } from './language.js'

/*
 * One parser for every transcription answer (API-CONTRACTS.md §D.1, §F): Fireworks, OpenAI and Groq verbose_json
 * (top-level words), whisper.cpp verbose_json (words nested in segments, leading spaces), plain `{text}` JSON,
 * and raw text bodies. `words` and `segments` are optional everywhere; unknown keys are ignored; the language
 * arrives as a code or a full name and leaves as a code.
 */

const time = z.number().finite().min(0)
const wordSchema = z.object({ word: z.string(), start: time, end: time, probability: z.number().finite().optional().nullable() })
const segmentSchema = z.object({ text: z.string(), start: time, end: time, words: z.array(wordSchema).nullish() })
const answerSchema = z.object({
  text: z.string(),
  language: z.string().nullish(),
  duration: z.number().finite().min(0).nullish(),
  words: z.array(wordSchema).nullish(),
  segments: z.array(segmentSchema).nullish(),
})

export class UnexpectedAnswer extends Error {}

/** A JSON answer (already parsed) -> transcript; `fallbackDurationS` spans a text-only answer. */
export function parseTranscriptionJson(value: unknown, fallbackDurationS: number): ProviderTranscript {
  const parsed = answerSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new UnexpectedAnswer(`unexpected transcription answer (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'})`)
  }
  const a = parsed.data
  const nested = (a.segments ?? []).flatMap((s) => s.words ?? [])
  const words: ProviderWord[] = (a.words ?? nested).flatMap((w) => {
    const text = w.word.trim()
    if (text === '') return []
    const word: ProviderWord = { text, start: w.start, end: Math.max(w.start, w.end) }
    if (typeof w.probability === 'number') word.probability = w.probability
    return [word]
  })
  const durationS = a.duration ?? null
  let segments: ProviderSegment[] = (a.segments ?? [])
    .map((s) => ({ text: s.text.trim(), start: s.start, end: Math.max(s.start, s.end) }))
    .filter((s) => s.text !== '')
  const text = a.text.trim()
  if (segments.length === 0 && text !== '') segments = [{ text, start: 0, end: durationS ?? fallbackDurationS }]
  return { language: languageCode(a.language), durationS, text, words, segments }
}

/** A raw text body (response_format=text, or a server that ignores the JSON format). */
export function parseTranscriptionText(body: string, durationS: number): ProviderTranscript {
  const text = body.trim()
  return { language: null, durationS: null, text, words: [], segments: text === '' ? [] : [{ text, start: 0, end: durationS }] }
}

/** Parses an answer body by its content type (JSON when it says so or looks like an object). */
export function parseTranscriptionBody(body: string, contentType: string | null, fallbackDurationS: number): ProviderTranscript {
  const looksJson = /json/i.test(contentType ?? '') || (contentType === null && body.trimStart().startsWith('{'))
  if (!looksJson) return parseTranscriptionText(body, fallbackDurationS)
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch {
    throw new UnexpectedAnswer(`the transcription answer is not valid JSON: ${body.slice(0, 120)}`)
  }
  return parseTranscriptionJson(value, fallbackDurationS)
}

/** parseTranscriptionBody for a client: an unexpected answer is a permanent ProviderError of `provider`. */
export function parseAnswer(provider: string, body: string, contentType: string | null, durationS: number): ProviderTranscript {
  try {
    return parseTranscriptionBody(body, contentType, durationS)
  } catch (e) {
    if (e instanceof UnexpectedAnswer) throw new ProviderError(provider, 'permanent', e.message)
    throw e
  }
}
