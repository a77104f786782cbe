import { HttpUnreachableError, requestWithRetry, type HttpAnswer } from '../../platform/http.js'
import type { ApiKeyAccess, ApiKeyCheck } from '../types.js'
import { errorMessageOf, isQuotaAnswer, redactKey, retryableAnswer } from './failures.js'
import { audioForm, v1Url } from './send.js'

/*
 * `recflow credentials test` for transcription keys: one cheap authenticated call.
 * - openai: GET /v1/models (free). A server without it (whisper.cpp answers 404) gets the Fireworks probe below.
 * - fireworks: the audio hosts have no free authenticated GET, so half a second of silence is transcribed
 *   (16 KB of WAV, billed as a fraction of a cent).
 */

const CHECK_RETRY = { maxAttempts: 2, baseDelayMs: 500, maxDelayMs: 2000, attemptTimeoutMs: 20_000 }

/** 0.5 s of 16 kHz mono 16-bit silence as a WAV file. */
export function silentWav(seconds = 0.5, rate = 16_000): Blob {
  const samples = Math.round(seconds * rate)
  const buf = Buffer.alloc(44 + samples * 2)
  buf.write('RIFF', 0, 'latin1')
  buf.writeUInt32LE(36 + samples * 2, 4)
  buf.write('WAVEfmt ', 8, 'latin1')
  buf.writeUInt32LE(16, 16)
  buf.writeUInt16LE(1, 20) // PCM
  buf.writeUInt16LE(1, 22) // mono
  buf.writeUInt32LE(rate, 24)
  buf.writeUInt32LE(rate * 2, 28)
  buf.writeUInt16LE(2, 32)
  buf.writeUInt16LE(16, 34)
  buf.write('data', 36, 'latin1')
  buf.writeUInt32LE(samples * 2, 40)
  return new Blob([buf], { type: 'audio/wav' })
}

export interface KeyProbe {
  url: string
  init: () => RequestInit
  /** Where, in words, for the detail line. */
  where: string
}

export function transcriptionProbe(base: string, authorization: string, model: string): KeyProbe {
  const wav = { blob: silentWav(), name: 'check.wav' }
  return {
    url: v1Url(base, 'audio/transcriptions'),
    init: () => ({ method: 'POST', headers: { authorization }, body: audioForm(wav, [['model', model], ['response_format', 'json']]) }),
    where: base,
  }
}

export function modelsProbe(base: string, apiKey: string): KeyProbe {
  return { url: v1Url(base, 'models'), init: () => ({ method: 'GET', headers: { authorization: `Bearer ${apiKey}` } }), where: base }
}

/** Runs one probe; `fallback` is tried when the first answers 404 (no such endpoint there). */
export async function runKeyProbe(access: ApiKeyAccess, probe: KeyProbe, signal: AbortSignal | undefined, fallback?: KeyProbe): Promise<ApiKeyCheck> {
  let answer: HttpAnswer
  try {
    answer = await requestWithRetry(probe.url, probe.init, { signal, ...CHECK_RETRY, retryable: retryableAnswer })
  } catch (e) {
    if (e instanceof HttpUnreachableError) return { ok: false, kind: 'unreachable', detail: `${probe.where} is unreachable: ${e.message}` }
    throw e
  }
  if (answer.status === 404 && fallback) return runKeyProbe(access, fallback, signal)
  const detail = redactKey(errorMessageOf(answer.text), access.apiKey)
  if (answer.status >= 200 && answer.status < 300) return { ok: true, detail: `the key works at ${probe.where}` }
  if (answer.status === 401 || answer.status === 403) return { ok: false, kind: 'auth', detail: `${probe.where} refused the key (${answer.status}: ${detail})` }
  if (isQuotaAnswer(answer)) return { ok: false, kind: 'other', detail: `the key is valid but the account has no balance or quota left (${answer.status}: ${detail})` }
  if (retryableAnswer(answer)) return { ok: false, kind: 'unreachable', detail: `${probe.where} is not answering properly (${answer.status}: ${detail})` }
  return { ok: false, kind: 'other', detail: `${probe.where} answered ${answer.status}: ${detail}` }
}
