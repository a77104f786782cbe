import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTranscriber, type TranscriberTuning } from '../../../src/providers/transcription/index.js'
import type { Transcriber } from '../../../src/providers/types.js'
import { makeAsrClip } from '../../fakes/audio-clips.js'
import { FIREWORKS_TEST_KEY, fireworksError, startFireworksBatchFake, type FireworksBatchFake, type FireworksBatchFakeOptions } from '../../fakes/fireworks.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'
import { FAST_RETRY, providerEnv } from './transcription-env.js'

const SPEECH = [{ start: 2, end: 5 }]
const FAST: TranscriberTuning = { ...FAST_RETRY, batchPolling: { firstDelayMs: 20, maxDelayMs: 80 } }

describe('Fireworks batch transcriber against the fake', () => {
  let dir: string
  let audio: string
  const fakes: FireworksBatchFake[] = []
  const start = async (opts: FireworksBatchFakeOptions = {}) => {
    const fake = await startFireworksBatchFake(opts)
    fakes.push(fake)
    return fake
  }
  const client = (fake: FireworksBatchFake, model: string | null = null, tuning: TranscriberTuning = FAST): Promise<Transcriber> =>
    createTranscriber({ provider: 'fireworks-batch', access: { apiKey: FIREWORKS_TEST_KEY, baseUrl: null }, model }, providerEnv({ RECFLOW_FIREWORKS_BATCH_URL: fake.url }), tuning)
  const request = { file: '', durationS: 7, language: 'en', prompt: '' }

  beforeAll(async () => {
    dir = makeTempDir()
    audio = await makeAsrClip(path.join(dir, 'asr.ogg'), { durationS: 7, tones: SPEECH })
    request.file = audio
  })
  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.close()))
    removeDir(dir)
  })

  it('submits to the model’s endpoint, polls until completed and parses the inline body', async () => {
    const fake = await start({ pollsUntilDone: 3 })
    const t = await client(fake)
    expect(t).toMatchObject({ provider: 'fireworks-batch', model: 'whisper-v3-turbo', wordTimestamps: true })
    expect(t.pricePerMinuteUsd).toBeCloseTo(0.0009 * 0.6, 8)
    const out = await t.transcribe(request)
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/audio/transcriptions',
      ...Array.from({ length: 4 }, () => expect.stringMatching(/^GET \/v1\/accounts\/fake-account\/batch_job\/[\w-]+$/)),
    ])
    expect(fake.requests[0]!.query.get('endpoint_id')).toBe('audio-turbo')
    expect(fake.requests[1]!.headers.authorization).toBe(FIREWORKS_TEST_KEY)
    expect(out.words.length).toBeGreaterThan(3)
    for (const w of out.words) expect(w.start >= 1.7 && w.end <= 5.3).toBe(true)
    expect(out.language).toBe('en')
  })

  it('uses audio-prod for whisper-v3', async () => {
    const fake = await start()
    await (await client(fake, 'whisper-v3')).transcribe(request)
    expect(fake.requests[0]!.query.get('endpoint_id')).toBe('audio-prod')
    expect(fake.transcriptions[0]!.model).toBe('whisper-v3')
  })

  it('fails on a terminal failure state with the job’s message', async () => {
    const fake = await start({ outcome: 'failed' })
    const e = await (await client(fake)).transcribe(request).catch((x: unknown) => x)
    expect(e).toMatchObject({ kind: 'permanent', provider: 'fireworks-batch' })
    expect((e as Error).message).toMatch(/ended failed: Transcription failed/)
  })

  it('gives up at the deadline (transient: the job layer tries again later)', async () => {
    const fake = await start({ pollsUntilDone: 1000 })
    const t = await client(fake, null, { ...FAST, batchPolling: { firstDelayMs: 20, maxDelayMs: 40, deadlineMs: 1500 } })
    const e = await t.transcribe(request).catch((x: unknown) => x)
    expect(e).toMatchObject({ kind: 'transient' })
    expect((e as Error).message).toMatch(/did not finish within 2 s/)
    expect(fake.requests.length).toBeGreaterThanOrEqual(3)
  })

  it('retries a 429 and a dropped connection while polling', async () => {
    const fake = await start({ pollsUntilDone: 1 })
    fake.inject('GET /v1/accounts', { ...fireworksError(429, 'slow down'), headers: { 'retry-after': '0' } }, { drop: true })
    const out = await (await client(fake)).transcribe(request)
    expect(out.words.length).toBeGreaterThan(0)
    expect(fake.requests.filter((r) => r.method === 'GET')).toHaveLength(4)
  })

  it('stops polling when aborted', async () => {
    const fake = await start({ pollsUntilDone: 1000 })
    const t = await client(fake, null, { ...FAST, batchPolling: { firstDelayMs: 50, maxDelayMs: 5000 } })
    const c = new AbortController()
    setTimeout(() => c.abort(), 400)
    const started = Date.now()
    const e = await t.transcribe(request, { signal: c.signal }).catch((x: unknown) => x)
    expect(e).toMatchObject({ code: 'cancelled' })
    expect(Date.now() - started).toBeLessThan(1500)
    // A poll sent just before the abort may reach the fake just after it (seen under load): let it land, then
    // wait past the next poll's time (~750 ms after the start) to see that no new one is sent.
    await new Promise((r) => setTimeout(r, 150))
    const polls = fake.requests.length
    await new Promise((r) => setTimeout(r, 500))
    expect(fake.requests.length).toBe(polls)
  })

  it('maps a 401 at submit to auth and a 402 to quota', async () => {
    const fake = await start()
    const bad = await createTranscriber({ provider: 'fireworks-batch', access: { apiKey: 'nope-key', baseUrl: fake.url }, model: null, credentialId: 2 }, providerEnv(), FAST)
    await expect(bad.transcribe(request)).rejects.toMatchObject({ kind: 'auth', hint: 'run `recflow credentials test 2`' })
    fake.inject('POST /v1/audio', fireworksError(402, 'Account has insufficient balance'))
    await expect((await client(fake)).transcribe(request)).rejects.toMatchObject({ kind: 'quota', message: expect.stringMatching(/insufficient balance/) })
  })
})
