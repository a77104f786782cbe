import fs from 'node:fs'
import path from 'node:path'
import { requestWithRetry, type HttpAnswer, type RetryOptions } from '../../platform/http.js'
import type { Logger } from '../../platform/logger.js'
import { answerFailure, retryableAnswer, thrownFailure, type FailureContext } from './failures.js'

/** What a client call needs besides the request: failure wording, logging, tuning (tests shorten the waits). */
export interface SendContext extends FailureContext {
  logger: Logger
  retry?: Pick<RetryOptions, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'attemptTimeoutMs'>
}

/**
 * One request with the shared retry rule: a 2xx answer, or a ProviderError for anything else (RecflowError
 * 'cancelled' when the signal fired). `build` is called per attempt, so multipart bodies are rebuilt.
 */
export async function send(ctx: SendContext, url: string, build: () => RequestInit, signal: AbortSignal | undefined, what?: string): Promise<HttpAnswer> {
  let answer: HttpAnswer
  try {
    answer = await requestWithRetry(url, build, {
      signal,
      ...ctx.retry,
      retryable: retryableAnswer,
      onRetry: ({ attempt, delayMs, reason }) => ctx.logger.debug(`${ctx.provider}: ${reason}, retrying in ${delayMs} ms`, { attempt }),
    })
  } catch (e) {
    throw thrownFailure(ctx, e, signal)
  }
  if (answer.status >= 200 && answer.status < 300) return answer
  throw answerFailure(ctx, answer, what)
}

const AUDIO_TYPES: Record<string, string> = {
  '.ogg': 'audio/ogg', '.opus': 'audio/ogg', '.mp3': 'audio/mpeg', '.flac': 'audio/flac', '.wav': 'audio/wav', '.m4a': 'audio/mp4', '.webm': 'audio/webm',
}

/** The `file` part: read from disk as each attempt sends it, named with its extension (services tell the format by it). */
export async function audioPart(file: string): Promise<{ blob: Blob; name: string }> {
  const ext = path.extname(file).toLowerCase()
  const blob = await fs.openAsBlob(file, { type: AUDIO_TYPES[ext] ?? 'application/octet-stream' })
  return { blob, name: path.basename(file) }
}

/** A multipart form of the audio part and text fields (built per attempt: a FormData body is read once). */
export function audioForm(audio: { blob: Blob; name: string }, fields: Array<[string, string]>): FormData {
  const form = new FormData()
  form.set('file', audio.blob, audio.name)
  for (const [k, v] of fields) form.append(k, v)
  return form
}

/** `base` + `/v1/<rest>`, without doubling a `/v1` the base already ends with (SDK-style base URLs). */
export function v1Url(base: string, rest: string): string {
  const trimmed = base.replace(/\/+$/, '')
  return /\/v1$/.test(trimmed) ? `${trimmed}/${rest}` : `${trimmed}/v1/${rest}`
}
