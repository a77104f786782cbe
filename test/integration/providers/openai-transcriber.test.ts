import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTranscriber } from '../../../src/providers/transcription/index.js'
import type { Transcriber } from '../../../src/providers/types.js'
import { makeAsrClip } from '../../fakes/audio-clips.js'
import { jsonResponse } from '../../fakes/fake-http.js'
import { OPENAI_TEST_KEY, openAiError, startOpenAiAudioFake, type OpenAiAudioFake, type OpenAiAudioFlavor } from '../../fakes/openai-audio.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'
import { FAST_RETRY, providerEnv } from './transcription-env.js'

const SPEECH = [{ start: 1, end: 3 }, { start: 5, end: 7.5 }]

describe('OpenAI-compatible transcriber against the fake', () => {
  let dir: string
  let audio: string
  const fakes: OpenAiAudioFake[] = []
  const start = async (flavor: OpenAiAudioFlavor = 'openai') => {
    const fake = await startOpenAiAudioFake({ flavor })
    fakes.push(fake)
    return fake
  }
  const client = (fake: OpenAiAudioFake, model: string | null = null, apiKey = OPENAI_TEST_KEY): Promise<Transcriber> =>
    createTranscriber({ provider: 'openai', access: { apiKey, baseUrl: null }, model, credentialId: 5 }, providerEnv({ RECFLOW_TRANSCRIBE_URL: fake.baseUrl }), FAST_RETRY)
  const request = () => ({ file: audio, durationS: 9, language: 'en', prompt: 'Physics 101' })
  const inSpeech = (w: { start: number; end: number }) => SPEECH.some((s) => w.start >= s.start - 0.3 && w.end <= s.end + 0.3)

  beforeAll(async () => {
    dir = makeTempDir()
    audio = await makeAsrClip(path.join(dir, 'asr-001.mp3'), { durationS: 9, tones: SPEECH })
  })
  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.close()))
    removeDir(dir)
  })

  it('OpenAI whisper-1: Bearer, timestamp_granularities[] repeated, verbose_json; the language name becomes a code', async () => {
    const fake = await start()
    const t = await client(fake)
    expect(t).toMatchObject({ provider: 'openai', model: 'whisper-1', wordTimestamps: true, maxUploadBytes: 25_000_000, pricePerMinuteUsd: 0.006 })
    const out = await t.transcribe(request())
    const req = fake.requests[0]!
    expect(req.path).toBe('/v1/audio/transcriptions')
    expect(req.headers.authorization).toBe(`Bearer ${OPENAI_TEST_KEY}`)
    const form = await req.form()
    expect(form.getAll('timestamp_granularities[]')).toEqual(['word', 'segment'])
    expect(form.has('timestamp_granularities')).toBe(false)
    expect(form.get('response_format')).toBe('verbose_json')
    expect(form.get('language')).toBe('en')
    expect((form.get('file') as File).name).toBe('asr-001.mp3')
    expect(out.language).toBe('en')
    expect(out.words.length).toBeGreaterThan(5)
    expect(out.words.every(inSpeech)).toBe(true)
    expect(out.segments.every((s) => s.text === s.text.trim())).toBe(true)
  })

  it('a json-only model (gpt-4o-transcribe) gives text and one segment, no word timestamps', async () => {
    const fake = await start()
    const t = await client(fake, 'gpt-4o-transcribe')
    expect(t.wordTimestamps).toBe(false)
    const out = await t.transcribe(request())
    expect((await fake.requests[0]!.form()).get('response_format')).toBe('json')
    expect(out.words).toEqual([])
    expect(out.segments).toEqual([{ text: out.text, start: 0, end: 9 }])
    expect(out.text.length).toBeGreaterThan(10)
  })

  it('Groq: a base URL under /openai/v1', async () => {
    const fake = await start('groq')
    const out = await (await client(fake, 'whisper-large-v3-turbo')).transcribe(request())
    expect(fake.requests[0]!.path).toBe('/openai/v1/audio/transcriptions')
    expect(out.words.length).toBeGreaterThan(5)
  })

  it('whisper.cpp: words nested in segments with leading spaces, language as a name', async () => {
    const fake = await start('whispercpp')
    const out = await (await client(fake)).transcribe(request())
    expect(out.words.length).toBeGreaterThan(5)
    expect(out.words.every((w) => w.text === w.text.trim() && w.text !== '')).toBe(true)
    expect(out.words.every(inSpeech)).toBe(true)
    expect(out.language).toBe('en')
  })

  it('reads a raw text/plain answer as one segment', async () => {
    const fake = await start()
    fake.inject('POST /v1/audio', { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'hello there\n' })
    const out = await (await client(fake)).transcribe(request())
    expect(out).toMatchObject({ text: 'hello there', words: [], segments: [{ text: 'hello there', start: 0, end: 9 }] })
  })

  it('retries 429 (Retry-After) and 500, but not insufficient_quota', async () => {
    const fake = await start()
    fake.inject('POST /v1/audio', openAiError(429, 'Rate limit reached', { type: 'requests', code: 'rate_limit_exceeded' }, { 'retry-after': '0' }), openAiError(500, 'server error', { type: 'server_error' }))
    expect((await (await client(fake)).transcribe(request())).words.length).toBeGreaterThan(0)
    expect(fake.requests).toHaveLength(3)
    fake.inject('POST /v1/audio', openAiError(429, 'You exceeded your current quota, please check your plan and billing details.', { type: 'insufficient_quota', code: 'insufficient_quota' }))
    await expect((await client(fake)).transcribe(request())).rejects.toMatchObject({ kind: 'quota', message: expect.stringMatching(/exceeded your current quota/) })
    expect(fake.requests).toHaveLength(4)
  })

  it('a wrong key fails at once as auth, the key masked even when the service echoes it', async () => {
    const fake = await start()
    const key = 'sk-wrong-0123456789abcdef'
    const e = await (await client(fake, null, key)).transcribe(request()).catch((x: unknown) => x)
    expect(e).toMatchObject({ kind: 'auth', hint: 'run `recflow credentials test 5`' })
    expect((e as Error).message).toMatch(/Incorrect API key provided/)
    fake.inject('POST /v1/audio', jsonResponse(401, { error: { message: `Incorrect API key provided: ${key}`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }))
    const e2 = await (await client(fake, null, key)).transcribe(request()).catch((x: unknown) => x)
    expect((e2 as Error).message).not.toContain(key)
    expect(fake.requests).toHaveLength(2)
  })

  it('a model the service does not have is not_found; a whisper.cpp error body is read', async () => {
    const fake = await start()
    await expect((await client(fake, 'whisper-9')).transcribe(request())).rejects.toMatchObject({ kind: 'not_found', message: expect.stringMatching(/whisper-9/) })
    const cpp = await start('whispercpp')
    cpp.inject('POST /v1/audio', jsonResponse(400, { error: 'failed to read audio data' }))
    await expect((await client(cpp)).transcribe(request())).rejects.toMatchObject({ kind: 'permanent', message: expect.stringMatching(/400: failed to read audio data/) })
  })
})
