import crypto from 'node:crypto'
import { isWhisperLanguage } from '../../src/providers/transcription/language.js'
import { authorizationKey, jsonResponse, startFakeServer, type FakeRequest, type FakeResponse, type FakeServer } from './fake-http.js'
import { hearAudio, syntheticHearing, type Hearing } from './hearing.js'

/*
 * Fireworks audio (API-CONTRACTS.md §D.1, §D.2, §D.4), strictly: a sync host serves only its own model(s)
 * (audio-turbo: whisper-v3-turbo, audio-prod: whisper-v3), the key goes bare or as Bearer, every form field is
 * checked against its allowed values, timestamp_granularities needs verbose_json (and `timestamp_granularities[]`
 * is an unknown field, ignored as FastAPI does), files over the limit get 413, undecodable audio 400. The
 * transcript is what the fake hears in the file (hearing.ts). Error bodies come in either documented variant.
 */

export type FireworksErrorStyle = 'detail' | 'openai'

export interface FireworksFakeOptions {
  /** Keys that authenticate (default: ['fw-test-key']). */
  apiKeys?: string[]
  /** Models this host serves (default: the turbo host, ['whisper-v3-turbo']). */
  models?: string[]
  errorStyle?: FireworksErrorStyle
  /** Top-level `language` in verbose_json: 'en' (default) or 'english'. */
  languageStyle?: 'code' | 'name'
  /** text/srt/vtt bodies: JSON-wrapped {text} (default, as the docs show) or raw. */
  textStyle?: 'json' | 'raw'
  /** Upload limit in bytes (default 1 GB). */
  maxBytes?: number
  /** No ffmpeg: speech all the way through, answered after latencyMs (the parallelism benchmark). */
  synthetic?: { latencyMs: number }
  /** Extra latency per transcription in hearing mode. */
  latencyMs?: number
  /** Text heard in a file without speech (a hallucination, as Whisper produces on silence); default none. */
  onSilence?: string
}

export interface FireworksFake extends FakeServer {
  /** Accepted transcriptions (after validation), in order. */
  readonly transcriptions: Array<{ model: string; fields: Record<string, string[]>; fileName: string; sizeBytes: number }>
  /** Most transcriptions in progress at once. */
  readonly peakConcurrency: number
}

export const FIREWORKS_TEST_KEY = 'fw-test-key'
const MODELS = ['whisper-v3', 'whisper-v3-turbo']
const ENDPOINT_MODELS: Record<string, string> = { 'audio-prod': 'whisper-v3', 'audio-turbo': 'whisper-v3-turbo' }
const ENUMS: Record<string, string[]> = {
  vad_model: ['silero', 'whisperx-pyannet'],
  alignment_model: ['mms_fa', 'tdnn_ffn', 'gentle'],
  response_format: ['json', 'text', 'srt', 'verbose_json', 'vtt'],
  diarize: ['true', 'false'],
  preprocessing: ['none', 'dynamic', 'soft_dynamic', 'bass_dynamic'],
}
const KNOWN_FIELDS = new Set(['file', 'model', 'vad_model', 'alignment_model', 'language', 'prompt', 'temperature', 'response_format', 'timestamp_granularities', 'diarize', 'min_speakers', 'max_speakers', 'preprocessing'])

export function fireworksError(status: number, message: string, style: FireworksErrorStyle = 'detail'): FakeResponse {
  if (style === 'detail') return jsonResponse(status, { detail: message })
  const type = status === 401 ? 'authentication_error' : status === 429 ? 'rate_limit_error' : status === 402 ? 'payment_required' : 'invalid_request_error'
  return jsonResponse(status, { error: { object: 'error', type, code: String(status), message } })
}

type Validated = { ok: true; model: string; fields: Record<string, string[]>; file: File } | { ok: false; response: FakeResponse }

/** Checks auth and the multipart form against §D.1; the model must be one `served` (the host's). */
async function validate(req: FakeRequest, opts: Required<Pick<FireworksFakeOptions, 'apiKeys' | 'errorStyle' | 'maxBytes'>>, served: string[]): Promise<Validated> {
  const fail = (status: number, message: string): Validated => ({ ok: false, response: fireworksError(status, message, opts.errorStyle) })
  const key = authorizationKey(req, { allowBare: true })
  if (key === undefined) return fail(401, 'Missing API key')
  if (!opts.apiKeys.includes(key)) return fail(401, 'Invalid API key')
  if (!/^multipart\/form-data;\s*boundary=/i.test(String(req.headers['content-type'] ?? ''))) return fail(400, 'Expected multipart/form-data')
  if (req.body.length > opts.maxBytes) return fail(413, `Request entity too large (limit ${opts.maxBytes} bytes)`)
  let form: FormData
  try {
    form = await req.form()
  } catch {
    return fail(400, 'Malformed multipart body')
  }
  const fields: Record<string, string[]> = {}
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string' && KNOWN_FIELDS.has(name)) (fields[name] ??= []).push(value)
  }
  const file = form.get('file')
  if (file === null) return fail(400, 'Field required: file')
  if (typeof file === 'string') return fail(400, /^https?:\/\//.test(file) ? 'Could not download the audio from the URL' : 'file must be an upload or a URL')
  if (file.size === 0) return fail(400, 'The uploaded file is empty')
  const one = (name: string) => fields[name]?.[fields[name].length - 1]
  for (const [name, allowed] of Object.entries(ENUMS)) {
    const v = one(name)
    if (v !== undefined && !allowed.includes(v)) return fail(400, `Invalid ${name} "${v}"; allowed: ${allowed.join(', ')}`)
  }
  if (one('alignment_model') === 'gentle') return fail(400, 'alignment_model gentle is only available on dedicated endpoints')
  const model = one('model') ?? 'whisper-v3'
  if (!MODELS.includes(model)) return fail(404, `Model ${model} not found`)
  if (!served.includes(model)) return fail(400, `Model ${model} is not served by this endpoint (it serves ${served.join(', ')})`)
  const language = one('language')
  if (language !== undefined && !isWhisperLanguage(language) && language !== 'zh-hant' && language !== 'zh-hans') return fail(400, `Unsupported language "${language}"`)
  const temperature = one('temperature')
  if (temperature !== undefined && !temperature.split(',').every((t) => /^\s*\d+(\.\d+)?\s*$/.test(t) && Number(t) >= 0 && Number(t) <= 1)) {
    return fail(400, `Invalid temperature "${temperature}"`)
  }
  const format = one('response_format') ?? 'json'
  const granularities = (fields.timestamp_granularities ?? []).flatMap((g) => g.split(',').map((s) => s.trim()))
  if (granularities.some((g) => g !== 'word' && g !== 'segment')) return fail(400, `Invalid timestamp_granularities "${granularities.join(',')}"; allowed: word, segment`)
  if (granularities.length > 0 && format !== 'verbose_json') return fail(400, 'timestamp_granularities requires response_format=verbose_json')
  if (one('diarize') === 'true' && (format !== 'verbose_json' || !granularities.includes('word'))) {
    return fail(400, 'diarize requires response_format=verbose_json and word timestamp granularity')
  }
  for (const n of ['min_speakers', 'max_speakers']) {
    const v = one(n)
    if (v !== undefined && (one('diarize') !== 'true' || !/^\d+$/.test(v))) return fail(400, `${n} needs diarize=true and a whole number`)
  }
  return { ok: true, model, fields, file }
}

/** The answer body for the requested format (`body` + content type), from what was heard. */
function render(heard: Hearing, fields: Record<string, string[]>, opts: FireworksFakeOptions): { contentType: string; body: string } {
  const format = fields.response_format?.at(-1) ?? 'json'
  const granularities = (fields.timestamp_granularities ?? ['segment']).flatMap((g) => g.split(',').map((s) => s.trim()))
  if (format === 'verbose_json') {
    const language = fields.language?.at(-1) ?? 'en'
    const wordOf = (w: Hearing['words'][number]) => ({ word: w.word, language, probability: 0.93, hallucination_score: 0.01, start: w.start, end: w.end })
    return {
      contentType: 'application/json',
      body: JSON.stringify({
        task: 'transcribe',
        language: opts.languageStyle === 'name' ? 'english' : language,
        duration: heard.durationS,
        text: heard.text,
        words: granularities.includes('word') ? heard.words.map(wordOf) : null,
        segments: heard.segments.map((s, id) => ({ id, text: s.text, start: s.start, end: s.end, ...(granularities.includes('word') ? { words: s.words.map(wordOf) } : {}) })),
      }),
    }
  }
  if (format === 'json') return { contentType: 'application/json', body: JSON.stringify({ text: heard.text }) }
  const raw = format === 'text' ? heard.text : subtitles(heard, format === 'vtt')
  if (opts.textStyle === 'raw') return { contentType: format === 'vtt' ? 'text/vtt' : format === 'srt' ? 'application/x-subrip' : 'text/plain; charset=utf-8', body: raw }
  return { contentType: 'application/json', body: JSON.stringify({ text: raw }) }
}

function subtitles(heard: Hearing, vtt: boolean): string {
  const stamp = (s: number) => {
    const ms = Math.round(s * 1000)
    const hh = String(Math.floor(ms / 3_600_000)).padStart(2, '0')
    const mm = String(Math.floor(ms / 60_000) % 60).padStart(2, '0')
    const ss = String(Math.floor(ms / 1000) % 60).padStart(2, '0')
    return `${hh}:${mm}:${ss}${vtt ? '.' : ','}${String(ms % 1000).padStart(3, '0')}`
  }
  const cues = heard.segments.map((s, i) => `${vtt ? '' : `${i + 1}\n`}${stamp(s.start)} --> ${stamp(s.end)}\n${s.text}\n`)
  return (vtt ? 'WEBVTT\n\n' : '') + cues.join('\n')
}

/** What the fake hears in a validated upload (null: undecodable). */
async function listen(file: File, opts: FireworksFakeOptions): Promise<Hearing | null> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  if (opts.synthetic) {
    await new Promise((r) => setTimeout(r, opts.synthetic?.latencyMs))
    return syntheticHearing(bytes)
  }
  const heard = await hearAudio(bytes, file.name)
  if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs))
  if (heard && heard.words.length === 0 && opts.onSilence) {
    const end = Math.min(heard.durationS, 2)
    const words = opts.onSilence.split(/\s+/).map((word, i, all) => ({ word, start: (i * end) / all.length, end: ((i + 1) * end) / all.length }))
    return { ...heard, words, segments: [{ text: opts.onSilence, start: 0, end, words }], text: opts.onSilence }
  }
  return heard
}

function counters() {
  let inFlight = 0
  let peak = 0
  return {
    get peak() {
      return peak
    },
    async run<T>(f: () => Promise<T>): Promise<T> {
      inFlight++
      peak = Math.max(peak, inFlight)
      try {
        return await f()
      } finally {
        inFlight--
      }
    },
  }
}

function defaults(opts: FireworksFakeOptions) {
  return { apiKeys: opts.apiKeys ?? [FIREWORKS_TEST_KEY], errorStyle: opts.errorStyle ?? 'detail', maxBytes: opts.maxBytes ?? 1_000_000_000 } as const
}

/** A Fireworks sync audio host (POST /v1/audio/transcriptions). */
export async function startFireworksFake(opts: FireworksFakeOptions = {}): Promise<FireworksFake> {
  const strict = defaults(opts)
  const served = opts.models ?? ['whisper-v3-turbo']
  const transcriptions: FireworksFake['transcriptions'] = []
  const load = counters()
  const server = await startFakeServer(
    [
      {
        method: 'POST',
        path: '/v1/audio/transcriptions',
        handler: (req) =>
          load.run(async () => {
            const v = await validate(req, strict, served)
            if (!v.ok) return v.response
            transcriptions.push({ model: v.model, fields: v.fields, fileName: v.file.name, sizeBytes: v.file.size })
            const heard = await listen(v.file, opts)
            if (!heard) return fireworksError(400, 'Could not decode the audio file', strict.errorStyle)
            const out = render(heard, v.fields, opts)
            return { status: 200, headers: { 'content-type': out.contentType }, body: out.body }
          }),
      },
    ],
    { notFound: () => fireworksError(404, 'Not Found', strict.errorStyle) },
  )
  // A live getter (Object.assign would copy a getter's value once, freezing the peak at 0).
  return Object.defineProperty(Object.assign(server, { transcriptions, peakConcurrency: 0 }), 'peakConcurrency', { get: () => load.peak, enumerable: true })
}

export interface FireworksBatchFakeOptions extends FireworksFakeOptions {
  accountId?: string
  /** Polls answered `processing` before the job is done (default 1). */
  pollsUntilDone?: number
  /** How a job ends (default completed); 'failed' answers {status:'failed', message}. */
  outcome?: 'completed' | 'failed'
}

export interface FireworksBatchFake extends FireworksFake {
  readonly jobs: Map<string, { polls: number; status: string }>
}

/** The Fireworks batch host: submit (POST /v1/audio/transcriptions?endpoint_id=...), poll (GET .../batch_job/{id}). */
export async function startFireworksBatchFake(opts: FireworksBatchFakeOptions = {}): Promise<FireworksBatchFake> {
  const strict = defaults(opts)
  const accountId = opts.accountId ?? 'fake-account'
  const transcriptions: FireworksFake['transcriptions'] = []
  const jobs = new Map<string, { polls: number; status: string; result: Promise<{ contentType: string; body: string } | null> }>()
  const load = counters()
  const server = await startFakeServer(
    [
      {
        method: 'POST',
        path: '/v1/audio/transcriptions',
        handler: async (req) => {
          const endpoint = req.query.get('endpoint_id')
          if (endpoint === null) return fireworksError(400, 'Query parameter required: endpoint_id', strict.errorStyle)
          const model = ENDPOINT_MODELS[endpoint]
          if (model === undefined) return fireworksError(404, `Endpoint ${endpoint} not found`, strict.errorStyle)
          const v = await validate(req, strict, [model])
          if (!v.ok) return v.response
          transcriptions.push({ model: v.model, fields: v.fields, fileName: v.file.name, sizeBytes: v.file.size })
          const id = crypto.randomUUID()
          const result = load.run(() => listen(v.file, opts)).then((heard) => (heard ? render(heard, v.fields, opts) : null))
          result.catch(() => undefined)
          jobs.set(id, { polls: 0, status: 'submitted', result })
          return jsonResponse(200, { status: 'submitted', batch_id: id, account_id: accountId, endpoint_id: endpoint, message: 'Request submitted successfully' })
        },
      },
      {
        method: 'GET',
        path: /^\/v1\/accounts\/[^/]+\/batch_job\/[^/]+$/,
        handler: async (req) => {
          const key = authorizationKey(req, { allowBare: true })
          if (key === undefined || !strict.apiKeys.includes(key)) return fireworksError(401, key === undefined ? 'Missing API key' : 'Invalid API key', strict.errorStyle)
          const [, , , account, , id] = req.path.split('/')
          const job = jobs.get(id ?? '')
          if (!job || account !== accountId) return fireworksError(404, `Batch job ${id} not found`, strict.errorStyle)
          job.polls++
          if (job.polls <= (opts.pollsUntilDone ?? 1)) {
            job.status = 'processing'
            return jsonResponse(200, { status: 'processing', batch_id: id, message: 'Request is being processed' })
          }
          const result = await job.result
          if (opts.outcome === 'failed' || result === null) {
            job.status = 'failed'
            return jsonResponse(200, { status: 'failed', batch_id: id, message: result === null ? 'Could not decode the audio file' : 'Transcription failed' })
          }
          job.status = 'completed'
          return jsonResponse(200, { status: 'completed', batch_id: id, content_type: result.contentType, body: result.body })
        },
      },
    ],
    { notFound: () => fireworksError(404, 'Not Found', strict.errorStyle) },
  )
  return Object.defineProperty(Object.assign(server, { transcriptions, jobs, peakConcurrency: 0 }), 'peakConcurrency', { get: () => load.peak, enumerable: true })
}
