import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkTranscriptionKey } from '../../../src/providers/transcription/index.js'
import { jsonResponse } from '../../fakes/fake-http.js'
import { fireworksError } from '../../fakes/fireworks.js'
import { startTranscriptionFakes, type TranscriptionFakes } from '../../fakes/transcription-fakes.js'
import { providerEnv } from './transcription-env.js'

describe('checkTranscriptionKey: one cheap authenticated call', () => {
  let fakes: TranscriptionFakes
  beforeAll(async () => {
    fakes = await startTranscriptionFakes({ openai: {} })
  })
  afterAll(async () => fakes.close())
  const env = () => providerEnv(fakes.env)

  it('fireworks: transcribes half a second of silence on the default model’s host', async () => {
    const check = await checkTranscriptionKey('fireworks', { apiKey: fakes.keys.fireworks, baseUrl: null }, env())
    expect(check).toEqual({ ok: true, detail: `the key works at ${fakes.fireworks.url}` })
    const req = fakes.fireworks.requests.at(-1)!
    const form = await req.form()
    expect(form.get('model')).toBe('whisper-v3-turbo')
    expect((form.get('file') as File).name).toBe('check.wav')
    expect((form.get('file') as File).size).toBeLessThan(20_000)
  })

  it('fireworks: a wrong key is auth, a 402 is other (with the message), a closed port unreachable', async () => {
    expect(await checkTranscriptionKey('fireworks', { apiKey: 'fw-wrong-key', baseUrl: null }, env())).toMatchObject({ ok: false, kind: 'auth' })
    fakes.fireworks.inject('POST /v1/audio', fireworksError(402, 'insufficient balance'))
    expect(await checkTranscriptionKey('fireworks', { apiKey: fakes.keys.fireworks, baseUrl: null }, env())).toMatchObject({
      ok: false, kind: 'other', detail: expect.stringMatching(/no balance.*insufficient balance/),
    })
    const check = await checkTranscriptionKey('fireworks', { apiKey: fakes.keys.fireworks, baseUrl: 'http://127.0.0.1:9' }, env())
    expect(check).toMatchObject({ ok: false, kind: 'unreachable' })
  })

  it('openai: GET /v1/models with the Bearer key; a wrong key is auth and never shown', async () => {
    const before = fakes.openai.requests.length
    expect(await checkTranscriptionKey('openai', { apiKey: fakes.keys.openai, baseUrl: null }, env())).toMatchObject({ ok: true })
    expect(fakes.openai.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models'])
    const key = 'sk-not-this-one-12345'
    fakes.openai.inject('GET /v1/models', jsonResponse(401, { error: { message: `Incorrect API key provided: ${key}`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }))
    const check = await checkTranscriptionKey('openai', { apiKey: key, baseUrl: null }, env())
    expect(check).toMatchObject({ ok: false, kind: 'auth' })
    expect(JSON.stringify(check)).not.toContain(key)
  })

  it('openai-compatible without /v1/models (whisper.cpp): falls back to a tiny transcription', async () => {
    const { startOpenAiAudioFake } = await import('../../fakes/openai-audio.js')
    const cpp = await startOpenAiAudioFake({ flavor: 'whispercpp' })
    try {
      const check = await checkTranscriptionKey('openai', { apiKey: 'local', baseUrl: cpp.baseUrl }, env())
      expect(check).toMatchObject({ ok: true })
      expect(cpp.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models', 'POST /v1/audio/transcriptions'])
    } finally {
      await cpp.close()
    }
  })
})
