import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecflowError } from '../../../src/domain/errors.js'
import { createTranscriber } from '../../../src/providers/transcription/index.js'
import { ProviderError, type Transcriber } from '../../../src/providers/types.js'
import { makeAsrClip } from '../../fakes/audio-clips.js'
import { jsonResponse } from '../../fakes/fake-http.js'
import { FIREWORKS_TEST_KEY, fireworksError, startFireworksFake, type FireworksFake } from '../../fakes/fireworks.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'
import { FAST_RETRY, providerEnv } from './transcription-env.js'

// 10 s: speech (a tone) at 1-4 s and 6-9 s.
const SPEECH = [{ start: 1, end: 4 }, { start: 6, end: 9 }]

describe('Fireworks sync transcriber against the fake', () => {
  let dir: string
  let audio: string
  let fake: FireworksFake
  const client = (opts: { apiKey?: string; credentialId?: number; model?: string | null } = {}): Promise<Transcriber> =>
    createTranscriber(
      { provider: 'fireworks', access: { apiKey: opts.apiKey ?? FIREWORKS_TEST_KEY, baseUrl: null }, model: opts.model ?? null, credentialId: opts.credentialId },
      providerEnv({ RECFLOW_FIREWORKS_AUDIO_URL: fake.url }),
      FAST_RETRY,
    )
  const request = () => ({ file: audio, durationS: 10, language: null, prompt: 'Lecture 3: Fourier series' })

  beforeAll(async () => {
    dir = makeTempDir()
    audio = await makeAsrClip(path.join(dir, 'asr-000.ogg'), { durationS: 10, tones: SPEECH })
    fake = await startFireworksFake()
  })
  afterAll(async () => {
    await fake.close()
    removeDir(dir)
  })

  it('sends the documented form and returns words and segments where the audio has sound', async () => {
    const t = await client()
    expect(t).toMatchObject({ provider: 'fireworks', model: 'whisper-v3-turbo', wordTimestamps: true, pricePerMinuteUsd: 0.0009 })
    const before = fake.requests.length
    const out = await t.transcribe(request())
    const req = fake.requests[before]!
    expect(req.headers.authorization).toBe(FIREWORKS_TEST_KEY)
    const form = await req.form()
    expect((form.get('file') as File).name).toBe('asr-000.ogg')
    expect(form.get('model')).toBe('whisper-v3-turbo')
    expect(form.get('response_format')).toBe('verbose_json')
    expect(form.get('timestamp_granularities')).toBe('word,segment')
    expect(form.get('prompt')).toBe('Lecture 3: Fourier series')
    expect(form.has('language')).toBe(false)
    expect(out.language).toBe('en')
    expect(out.durationS).toBeCloseTo(10, 0)
    expect(out.words.length).toBeGreaterThanOrEqual(12)
    for (const w of out.words) expect(SPEECH.some((s) => w.start >= s.start - 0.3 && w.end <= s.end + 0.3)).toBe(true)
    expect(out.words[0]!.start).toBeCloseTo(1, 0)
    expect(out.segments.length).toBeGreaterThanOrEqual(2)
    expect(out.text.split(' ')).toEqual(out.words.map((w) => w.text))
  })

  it('sends a configured language as its code ("english" and "en-GB" become "en")', async () => {
    const t = await client()
    for (const language of ['english', 'en-GB']) {
      const before = fake.requests.length
      await t.transcribe({ ...request(), language })
      expect((await fake.requests[before]!.form()).get('language')).toBe('en')
    }
  })

  it('retries a 429 after its Retry-After, then succeeds', async () => {
    const t = await client()
    const before = fake.requests.length
    fake.inject('POST /v1/audio', fireworksError(429, 'Too many requests'), fireworksError(429, 'Too many requests'))
    fake.inject('POST /v1/audio', { ...fireworksError(429, 'slow down'), headers: { 'retry-after': '1' } })
    const started = Date.now()
    const out = await t.transcribe(request())
    expect(out.words.length).toBeGreaterThan(0)
    expect(fake.requests.length - before).toBe(4)
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
  })

  it('retries 5xx answers and dropped connections', async () => {
    const t = await client()
    const before = fake.requests.length
    fake.inject('POST /v1/audio', fireworksError(503, 'overloaded'), { drop: true }, jsonResponse(502, 'Bad Gateway'))
    const out = await t.transcribe(request())
    expect(out.words.length).toBeGreaterThan(0)
    expect(fake.requests.length - before).toBe(4)
  })

  it('gives up after the bounded retries: transient for 5xx, rate_limited for 429', async () => {
    const t = await client()
    fake.inject('POST /v1/audio', ...Array.from({ length: 4 }, () => fireworksError(500, 'boom')))
    const e1 = await t.transcribe(request()).catch((e: unknown) => e)
    expect(e1).toBeInstanceOf(ProviderError)
    expect(e1).toMatchObject({ kind: 'transient', provider: 'fireworks' })
    expect((e1 as Error).message).toMatch(/500: boom/)
    fake.inject('POST /v1/audio', ...Array.from({ length: 4 }, () => ({ ...fireworksError(429, 'rate limit', 'openai'), headers: { 'retry-after': '0' } })))
    const e2 = await t.transcribe(request()).catch((e: unknown) => e)
    expect(e2).toMatchObject({ kind: 'rate_limited' })
    expect((e2 as Error).message).toMatch(/rate limit/)
  })

  it('fails at once on 401 with a hint to test the credential, never showing the key', async () => {
    const t = await client({ apiKey: 'fw-wrong-key-123', credentialId: 7 })
    const before = fake.requests.length
    const e = await t.transcribe(request()).catch((x: unknown) => x)
    expect(fake.requests.length - before).toBe(1)
    expect(e).toMatchObject({ kind: 'auth', hint: 'run `recflow credentials test 7`' })
    expect((e as Error).message).toMatch(/401: Invalid API key/)
    fake.inject('POST /v1/audio', fireworksError(403, `key fw-wrong-key-123 is not allowed`))
    const e2 = await t.transcribe(request()).catch((x: unknown) => x)
    expect(e2).toMatchObject({ kind: 'auth' })
    expect((e2 as Error).message).not.toContain('fw-wrong-key-123')
  })

  it('fails at once on 402 with the service message (quota)', async () => {
    const t = await client()
    const before = fake.requests.length
    fake.inject('POST /v1/audio', fireworksError(402, 'Insufficient balance: add credits', 'openai'))
    const e = await t.transcribe(request()).catch((x: unknown) => x)
    expect(fake.requests.length - before).toBe(1)
    expect(e).toMatchObject({ kind: 'quota' })
    expect((e as Error).message).toMatch(/Insufficient balance: add credits/)
  })

  it('stops waiting when aborted: during a request and during a Retry-After wait', async () => {
    const t = await client()
    fake.inject('POST /v1/audio', { delayMs: 5000 })
    const c1 = new AbortController()
    setTimeout(() => c1.abort(), 100)
    let started = Date.now()
    const e1 = await t.transcribe(request(), { signal: c1.signal }).catch((x: unknown) => x)
    expect(e1).toBeInstanceOf(RecflowError)
    expect(e1).toMatchObject({ code: 'cancelled' })
    expect(Date.now() - started).toBeLessThan(2000)

    fake.inject('POST /v1/audio', { ...fireworksError(429, 'wait'), headers: { 'retry-after': '30' } })
    const c2 = new AbortController()
    setTimeout(() => c2.abort(new RecflowError('cancelled', 'task 9: cancelled by the user')), 150)
    started = Date.now()
    const e2 = await t.transcribe(request(), { signal: c2.signal }).catch((x: unknown) => x)
    expect(e2).toMatchObject({ code: 'cancelled' })
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('reports an unreachable service as transient', async () => {
    const gone = await startFireworksFake()
    await gone.close()
    const t = await createTranscriber({ provider: 'fireworks', access: { apiKey: FIREWORKS_TEST_KEY, baseUrl: gone.url }, model: null }, providerEnv(), FAST_RETRY)
    const e = await t.transcribe(request()).catch((x: unknown) => x)
    expect(e).toMatchObject({ kind: 'transient' })
    expect((e as Error).message).toMatch(/unreachable: .*ECONNREFUSED/)
  })

  it('reads a language reported as a name, and error bodies in the {error:{message}} variant', async () => {
    const named = await startFireworksFake({ languageStyle: 'name', errorStyle: 'openai' })
    try {
      const t = await createTranscriber({ provider: 'fireworks', access: { apiKey: FIREWORKS_TEST_KEY, baseUrl: named.url }, model: null }, providerEnv(), FAST_RETRY)
      expect((await t.transcribe(request())).language).toBe('en')
      const wrong = await createTranscriber({ provider: 'fireworks', access: { apiKey: FIREWORKS_TEST_KEY, baseUrl: named.url }, model: 'whisper-v3' }, providerEnv(), FAST_RETRY)
      const e = await wrong.transcribe(request()).catch((x: unknown) => x)
      expect(e).toMatchObject({ kind: 'permanent' })
      expect((e as Error).message).toMatch(/whisper-v3 is not served by this endpoint/)
    } finally {
      await named.close()
    }
  })
})
