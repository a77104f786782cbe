import path from 'node:path'
import { languageName } from '../../src/providers/transcription/language.js'
import { authorizationKey, jsonResponse, startFakeServer, type FakeRequest, type FakeResponse, type FakeServer } from './fake-http.js'
import { hearAudio, syntheticHearing, type Hearing } from './hearing.js'

/*
 * OpenAI-compatible /v1/audio/transcriptions (API-CONTRACTS.md §F), strictly, in three flavours:
 * - openai: Bearer only; `file` with a known extension and `model` required; `timestamp_granularities[]` (the
 *   plain name is an unrecognized argument); verbose_json/srt/vtt only for whisper-1, gpt-4o models json/text
 *   only; language ISO-639-1; 25 MB; `text` answers raw text/plain; verbose `language` is the full name; errors
 *   {error:{message,type,param,code}}; GET /v1/models lists models.
 * - groq: the same under /openai/v1, its own models, json/text/verbose_json only.
 * - whispercpp: no auth, `model` ignored, verbose_json words nested in segments with leading spaces, `text` sent
 *   as text/html, errors {error:"..."}, no /v1/models.
 */

export type OpenAiAudioFlavor = 'openai' | 'groq' | 'whispercpp'

export interface OpenAiAudioFakeOptions {
  flavor?: OpenAiAudioFlavor
  apiKeys?: string[]
  /** Upload limit in bytes (default 25 MB). */
  maxBytes?: number
  synthetic?: { latencyMs: number }
  latencyMs?: number
}

export interface OpenAiAudioFake extends FakeServer {
  readonly transcriptions: Array<{ model: string | undefined; fields: Record<string, string[]>; fileName: string; sizeBytes: number }>
  /** The base URL a client is given (the server URL plus /v1, /openai/v1 for groq, nothing for whisper.cpp). */
  readonly baseUrl: string
}

export const OPENAI_TEST_KEY = 'sk-test-key-0123456789'
const EXTENSIONS = ['flac', 'mp3', 'mp4', 'mpeg', 'mpga', 'm4a', 'ogg', 'wav', 'webm']
const MODELS: Record<Exclude<OpenAiAudioFlavor, 'whispercpp'>, Record<string, string[]>> = {
  openai: {
    'whisper-1': ['json', 'text', 'srt', 'verbose_json', 'vtt'],
    'gpt-4o-transcribe': ['json', 'text'],
    'gpt-4o-mini-transcribe': ['json', 'text'],
  },
  groq: { 'whisper-large-v3': ['json', 'text', 'verbose_json'], 'whisper-large-v3-turbo': ['json', 'text', 'verbose_json'] },
}
const OPENAI_FIELDS = new Set(['file', 'model', 'language', 'prompt', 'response_format', 'temperature', 'timestamp_granularities[]', 'include[]', 'stream', 'chunking_strategy'])

export function openAiError(status: number, message: string, opts: { type?: string; code?: string | null; param?: string | null } = {}, headers: Record<string, string> = {}): FakeResponse {
  return jsonResponse(status, { error: { message, type: opts.type ?? 'invalid_request_error', param: opts.param ?? null, code: opts.code ?? null } }, headers)
}

export async function startOpenAiAudioFake(opts: OpenAiAudioFakeOptions = {}): Promise<OpenAiAudioFake> {
  const flavor = opts.flavor ?? 'openai'
  const prefix = flavor === 'groq' ? '/openai/v1' : '/v1'
  const apiKeys = opts.apiKeys ?? [OPENAI_TEST_KEY]
  const maxBytes = opts.maxBytes ?? 25 * 1024 * 1024
  const transcriptions: OpenAiAudioFake['transcriptions'] = []
  const cpp = flavor === 'whispercpp'
  const fail = (status: number, message: string, extra: { type?: string; code?: string | null; param?: string | null } = {}) =>
    cpp ? jsonResponse(status, { error: message }) : openAiError(status, message, extra)

  const authFailure = (req: FakeRequest): FakeResponse | undefined => {
    if (cpp) return undefined
    const key = authorizationKey(req)
    if (key === undefined) return fail(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.")
    if (!apiKeys.includes(key)) return fail(401, `Incorrect API key provided: ${key.slice(0, 3)}***${key.slice(-4)}.`, { code: 'invalid_api_key' })
    return undefined
  }

  const transcribe = async (req: FakeRequest): Promise<FakeResponse> => {
    const denied = authFailure(req)
    if (denied) return denied
    if (!/^multipart\/form-data;\s*boundary=/i.test(String(req.headers['content-type'] ?? ''))) return fail(400, 'Invalid Content-Type: expected multipart/form-data')
    if (req.body.length > maxBytes) return fail(cpp ? 400 : 413, `Maximum content size limit (${maxBytes}) exceeded (${req.body.length} bytes read)`)
    let form: FormData
    try {
      form = await req.form()
    } catch {
      return fail(400, 'Could not parse multipart form')
    }
    const fields: Record<string, string[]> = {}
    for (const [name, value] of form.entries()) if (typeof value === 'string') (fields[name] ??= []).push(value)
    const one = (name: string) => fields[name]?.at(-1)
    const file = form.get('file')
    if (!(file instanceof File)) return fail(400, cpp ? "no 'file' field in the request" : "Missing required parameter: 'file'.", { param: 'file' })
    const model = one('model')
    let format = one('response_format') ?? 'json'
    if (!cpp) {
      const unknown = Object.keys(fields).find((f) => !OPENAI_FIELDS.has(f) && !(flavor === 'groq' && f === 'url'))
      if (unknown) return fail(400, `Unrecognized request argument supplied: ${unknown}`, { param: unknown })
      const ext = path.extname(file.name).slice(1).toLowerCase()
      if (!EXTENSIONS.includes(ext)) return fail(400, `Invalid file format. Supported formats: ${JSON.stringify(EXTENSIONS)}`, { param: 'file' })
      if (model === undefined) return fail(400, "Missing required parameter: 'model'.", { param: 'model' })
      const formats = MODELS[flavor][model]
      if (!formats) return fail(404, `The model \`${model}\` does not exist or you do not have access to it.`, { code: 'model_not_found', param: 'model' })
      if (!['json', 'text', 'srt', 'verbose_json', 'vtt', 'diarized_json'].includes(format)) return fail(400, `Invalid response_format "${format}"`, { param: 'response_format' })
      if (!formats.includes(format)) return fail(400, `response_format '${format}' is not compatible with model '${model}'. Use 'json' or 'text' instead.`, { param: 'response_format', code: 'unsupported_value' })
      const language = one('language')
      if (language !== undefined && !/^[a-z]{2}$/.test(language)) return fail(400, `Invalid language '${language}'. Language parameter must be specified in ISO-639-1 format.`, { param: 'language' })
      const temperature = one('temperature')
      if (temperature !== undefined && !(Number(temperature) >= 0 && Number(temperature) <= 1)) return fail(400, `Invalid temperature '${temperature}'`, { param: 'temperature' })
      const granularities = fields['timestamp_granularities[]'] ?? []
      if (granularities.some((g) => g !== 'word' && g !== 'segment')) return fail(400, `Invalid value for 'timestamp_granularities[]': ${granularities.join(', ')}`, { param: 'timestamp_granularities' })
      if (granularities.length > 0 && format !== 'verbose_json') return fail(400, 'timestamp_granularities is only supported with response_format=verbose_json', { param: 'timestamp_granularities' })
    } else if (!['json', 'text', 'srt', 'verbose_json', 'vtt'].includes(format)) {
      format = 'json'
    }
    transcriptions.push({ model, fields, fileName: file.name, sizeBytes: file.size })
    const bytes = new Uint8Array(await file.arrayBuffer())
    let heard: Hearing | null
    if (opts.synthetic) {
      await new Promise((r) => setTimeout(r, opts.synthetic?.latencyMs))
      heard = syntheticHearing(bytes)
    } else {
      heard = await hearAudio(bytes, file.name)
      if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs))
    }
    if (!heard) return fail(400, cpp ? 'failed to read audio data' : 'Audio file might be corrupted or unsupported', { param: 'file' })
    return render(heard, format, fields, flavor)
  }

  const routes = [{ method: 'POST', path: cpp ? '/v1/audio/transcriptions' : `${prefix}/audio/transcriptions`, handler: transcribe }]
  if (cpp) routes.push({ method: 'POST', path: '/inference', handler: transcribe })
  else
    routes.push({
      method: 'GET',
      path: `${prefix}/models`,
      handler: async (req) => authFailure(req) ?? jsonResponse(200, { object: 'list', data: Object.keys(MODELS[flavor as 'openai' | 'groq']).map((id) => ({ id, object: 'model', owned_by: flavor })) }),
    })
  const server = await startFakeServer(routes, { notFound: (req) => (cpp ? { status: 404, body: 'File Not Found' } : fail(404, `Invalid URL (${req.method} ${req.path})`)) })
  return Object.assign(server, { transcriptions, baseUrl: cpp ? server.url : `${server.url}${prefix}` })
}

function render(heard: Hearing, format: string, fields: Record<string, string[]>, flavor: OpenAiAudioFlavor): FakeResponse {
  const language = languageName(fields.language?.at(-1) ?? 'en') ?? 'english'
  if (format === 'text') return { status: 200, headers: { 'content-type': flavor === 'whispercpp' ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8' }, body: `${heard.text}\n` }
  if (format === 'json') return jsonResponse(200, flavor === 'whispercpp' ? { text: heard.text } : { text: heard.text, usage: { type: 'duration', seconds: Math.ceil(heard.durationS) } })
  if (format === 'srt' || format === 'vtt') {
    const stamp = (s: number) => new Date(Math.round(s * 1000)).toISOString().slice(11, 23).replace('.', format === 'srt' ? ',' : '.')
    const cues = heard.segments.map((s, i) => `${format === 'srt' ? `${i + 1}\n` : ''}${stamp(s.start)} --> ${stamp(s.end)}\n${s.text}\n`).join('\n')
    return { status: 200, headers: { 'content-type': format === 'vtt' ? 'text/vtt' : 'application/x-subrip' }, body: (format === 'vtt' ? 'WEBVTT\n\n' : '') + cues }
  }
  if (flavor === 'whispercpp') {
    return jsonResponse(200, {
      task: 'transcribe',
      language,
      duration: heard.durationS,
      text: heard.text,
      segments: heard.segments.map((s, id) => ({
        id, text: ` ${s.text}`, start: s.start, end: s.end, tokens: [], temperature: 0, avg_logprob: -0.2, no_speech_prob: 0.01,
        words: s.words.map((w) => ({ word: ` ${w.word}`, start: w.start, end: w.end, t_dtw: -1, probability: 0.9 })),
      })),
    })
  }
  const granularities = fields['timestamp_granularities[]'] ?? ['segment']
  return jsonResponse(200, {
    task: 'transcribe',
    language,
    duration: heard.durationS,
    text: heard.text,
    ...(granularities.includes('word') ? { words: heard.words.map((w) => ({ word: w.word, start: w.start, end: w.end })) } : {}),
    ...(granularities.includes('segment')
      ? { segments: heard.segments.map((s, id) => ({ id, seek: 0, start: s.start, end: s.end, text: ` ${s.text}`, tokens: [50364], temperature: 0, avg_logprob: -0.28, compression_ratio: 1.2, no_speech_prob: 0.01 })) }
      : {}),
    usage: { type: 'duration', seconds: Math.ceil(heard.durationS) },
  })
}
