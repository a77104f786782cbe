import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeAsrClip } from '../../fakes/audio-clips.js'
import { FIREWORKS_TEST_KEY, startFireworksBatchFake, startFireworksFake, type FireworksBatchFake, type FireworksFake } from '../../fakes/fireworks.js'
import { audioIdentity, hearAudio, oggCrc, oggDurationS, syntheticHearing, WORDS_PER_SECOND } from '../../fakes/hearing.js'
import { OPENAI_TEST_KEY, startOpenAiAudioFake, type OpenAiAudioFake } from '../../fakes/openai-audio.js'
import { makeTempDir, removeDir } from '../../fixtures/media/generate.js'

// The fakes reject what the real services reject (API-CONTRACTS.md §D, §F), so a client that passes against
// them sends what the services take.

const SPEECH = [{ start: 1, end: 3 }, { start: 4.5, end: 6 }]

describe('transcription fakes', () => {
  let dir: string
  let ogg: Buffer
  let fw: FireworksFake
  let batch: FireworksBatchFake
  let oa: OpenAiAudioFake

  beforeAll(async () => {
    dir = makeTempDir()
    ogg = fs.readFileSync(await makeAsrClip(path.join(dir, 'a.ogg'), { durationS: 7, tones: SPEECH }))
    ;[fw, batch, oa] = await Promise.all([startFireworksFake({ maxBytes: 200_000 }), startFireworksBatchFake(), startOpenAiAudioFake({ maxBytes: 200_000 })])
  })
  afterAll(async () => {
    await Promise.all([fw.close(), batch.close(), oa.close()])
    removeDir(dir)
  })

  const form = (fields: Array<[string, string]>, file: { bytes?: Buffer; name?: string } | null = {}) => {
    const f = new FormData()
    if (file) f.set('file', new Blob([file.bytes ?? ogg]), file.name ?? 'a.ogg')
    for (const [k, v] of fields) f.append(k, v)
    return f
  }
  const post = async (url: string, body: FormData | string, authorization?: string) => {
    const res = await fetch(url, { method: 'POST', body, headers: authorization === undefined ? {} : { authorization } })
    const text = await res.text()
    return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: () => JSON.parse(text) as Record<string, any> }
  }

  describe('hearing', () => {
    it('puts about 2.5 words a second across each non-silent span and none in the silences', async () => {
      const heard = (await hearAudio(ogg, 'a.ogg'))!
      expect(heard.durationS).toBeCloseTo(7, 0)
      for (const span of SPEECH) {
        const inside = heard.words.filter((w) => w.start >= span.start - 0.25 && w.end <= span.end + 0.25)
        expect(inside.length).toBeGreaterThanOrEqual(Math.floor((span.end - span.start) * WORDS_PER_SECOND) - 1)
        expect(inside[0]!.start).toBeCloseTo(span.start, 0)
      }
      expect(heard.words.every((w) => SPEECH.some((s) => w.start >= s.start - 0.25 && w.end <= s.end + 0.25))).toBe(true)
      expect(heard.segments.flatMap((s) => s.words)).toEqual(heard.words)
    })

    it('hears nothing in undecodable bytes; the synthetic mode reads the Ogg duration without ffmpeg', async () => {
      expect(await hearAudio(Buffer.from('not audio at all'), 'x.ogg')).toBeNull()
      expect(oggDurationS(ogg)).toBeCloseTo(7, 1)
      const heard = syntheticHearing(ogg)
      expect(heard.words.length).toBe(Math.round(7 * WORDS_PER_SECOND))
      expect(heard.words.at(-1)!.end).toBeLessThanOrEqual(7.01)
    })

    it('knows an Ogg file muxed again with another serial number as the same audio, and a changed or damaged one as other audio', () => {
      // Every page rewritten as ffmpeg's muxer would with another random serial: new serial, checksum recomputed.
      const pages = (bytes: Buffer, edit: (page: Buffer, index: number) => void) => {
        const out = Buffer.from(bytes)
        for (let pos = 0, i = 0; pos < out.length; i++) {
          const segments = out[pos + 26]!
          const end = pos + 27 + segments + [...out.subarray(pos + 27, pos + 27 + segments)].reduce((a, b) => a + b, 0)
          const page = out.subarray(pos, end)
          edit(page, i)
          page.writeUInt32LE(0, 22)
          page.writeUInt32LE(oggCrc(page), 22)
          pos = end
        }
        return out
      }
      const remuxed = pages(ogg, (page) => page.writeUInt32LE(0x5eed, 14))
      expect(remuxed.equals(ogg)).toBe(false)
      expect(Buffer.from(audioIdentity(remuxed)).equals(Buffer.from(audioIdentity(ogg)))).toBe(true)
      // Other audio (a byte of the first audio page, after OpusHead and OpusTags, changed; checksum right)...
      const changed = pages(ogg, (page, i) => void (i === 2 && (page[page.length - 1]! ^= 1)))
      expect(changed.equals(ogg)).toBe(false)
      expect(Buffer.from(audioIdentity(changed)).equals(Buffer.from(audioIdentity(ogg)))).toBe(false)
      // ...and a page with a wrong checksum is not an Ogg file to normalise: its bytes are its identity.
      const damaged = Buffer.from(ogg)
      damaged[damaged.length - 1]! ^= 1
      expect(audioIdentity(damaged)).toBe(damaged)
      expect(audioIdentity(Buffer.from('not audio at all')).length).toBe(16)
    })
  })

  describe('Fireworks sync', () => {
    const url = () => `${fw.url}/v1/audio/transcriptions`
    const ok: Array<[string, string]> = [['model', 'whisper-v3-turbo'], ['response_format', 'verbose_json'], ['timestamp_granularities', 'word,segment']]

    it('takes the key bare or as Bearer; refuses a missing or wrong key with 401', async () => {
      expect((await post(url(), form(ok), FIREWORKS_TEST_KEY)).status).toBe(200)
      expect((await post(url(), form(ok), `Bearer ${FIREWORKS_TEST_KEY}`)).status).toBe(200)
      expect((await post(url(), form(ok))).status).toBe(401)
      const wrong = await post(url(), form(ok), 'fw-other')
      expect(wrong.status).toBe(401)
      expect(wrong.json()).toEqual({ detail: 'Invalid API key' })
    })

    it('serves only its host’s model; an unknown model is 404; a missing model means whisper-v3', async () => {
      const k = FIREWORKS_TEST_KEY
      expect((await post(url(), form([['model', 'whisper-v3']]), k)).status).toBe(400)
      expect((await post(url(), form([]), k)).status).toBe(400)
      expect((await post(url(), form([['model', 'whisper-v4']]), k)).status).toBe(404)
    })

    it('checks every enumerated field and the verbose_json/word requirements', async () => {
      const k = FIREWORKS_TEST_KEY
      const bad: Array<Array<[string, string]>> = [
        [['response_format', 'xml']],
        [['vad_model', 'webrtc']],
        [['alignment_model', 'gentle']],
        [['timestamp_granularities', 'word']], // needs verbose_json
        [['response_format', 'verbose_json'], ['timestamp_granularities', 'word,char']],
        [['response_format', 'verbose_json'], ['diarize', 'true']], // needs word granularity
        [['language', 'english']],
        [['temperature', '1.5']],
        [['preprocessing', 'loud']],
      ]
      for (const fields of bad) {
        const res = await post(url(), form([['model', 'whisper-v3-turbo'], ...fields]), k)
        expect({ fields, status: res.status }).toEqual({ fields, status: 400 })
      }
      expect((await post(url(), form([['model', 'whisper-v3-turbo'], ['temperature', '0.0,0.2,0.4']]), k)).status).toBe(200)
    })

    it('ignores `timestamp_granularities[]` (an unknown field): no word timestamps come back', async () => {
      const res = await post(url(), form([['model', 'whisper-v3-turbo'], ['response_format', 'verbose_json'], ['timestamp_granularities[]', 'word']]), FIREWORKS_TEST_KEY)
      expect(res.status).toBe(200)
      expect(res.json().words).toBeNull()
      expect(res.json().segments.length).toBeGreaterThan(0)
    })

    it('refuses a missing file, a non-multipart body, undecodable audio, and files over the limit (413)', async () => {
      const k = FIREWORKS_TEST_KEY
      expect((await post(url(), form([['model', 'whisper-v3-turbo']], null), k)).status).toBe(400)
      expect((await post(url(), 'file=x', k)).status).toBe(400)
      const junk = await post(url(), form([['model', 'whisper-v3-turbo']], { bytes: Buffer.from('junk junk junk') }), k)
      expect(junk.status).toBe(400)
      expect(junk.json().detail).toMatch(/decode/)
      expect((await post(url(), form([['model', 'whisper-v3-turbo']], { bytes: Buffer.alloc(250_000) }), k)).status).toBe(413)
    })

    it('answers verbose_json with word extras, and text formats JSON-wrapped or raw', async () => {
      const res = (await post(url(), form(ok), FIREWORKS_TEST_KEY)).json()
      expect(res).toMatchObject({ task: 'transcribe', language: 'en' })
      expect(res.words[0]).toMatchObject({ word: expect.any(String), probability: expect.any(Number), hallucination_score: expect.any(Number) })
      const wrapped = await post(url(), form([['model', 'whisper-v3-turbo'], ['response_format', 'srt']]), FIREWORKS_TEST_KEY)
      expect(wrapped.json().text).toMatch(/^1\n00:00:01,/)
      const raw = await startFireworksFake({ textStyle: 'raw', errorStyle: 'openai' })
      try {
        const vtt = await post(`${raw.url}/v1/audio/transcriptions`, form([['model', 'whisper-v3-turbo'], ['response_format', 'vtt']]), FIREWORKS_TEST_KEY)
        expect(vtt.type).toBe('text/vtt')
        expect(vtt.text).toMatch(/^WEBVTT\n/)
        const denied = await post(`${raw.url}/v1/audio/transcriptions`, form(ok), 'nope')
        expect(denied.json()).toEqual({ error: { object: 'error', type: 'authentication_error', code: '401', message: 'Invalid API key' } })
      } finally {
        await raw.close()
      }
    })
  })

  describe('synthetic mode (the parallelism benchmark)', () => {
    it('answers after the fixed latency without ffmpeg, and counts the requests in flight', async () => {
      const fake = await startFireworksFake({ synthetic: { latencyMs: 300 } })
      try {
        const f = () => form([['model', 'whisper-v3-turbo'], ['response_format', 'verbose_json'], ['timestamp_granularities', 'word']])
        const started = Date.now()
        const answers = await Promise.all([1, 2, 3].map(() => post(`${fake.url}/v1/audio/transcriptions`, f(), FIREWORKS_TEST_KEY)))
        expect(Date.now() - started).toBeGreaterThanOrEqual(290)
        expect(Date.now() - started).toBeLessThan(1500)
        expect(answers.map((a) => a.json().words.length)).toEqual([18, 18, 18])
        expect(fake.peakConcurrency).toBe(3)
      } finally {
        await fake.close()
      }
    })
  })

  describe('Fireworks batch', () => {
    const submit = (endpoint: string | null, fields: Array<[string, string]>, key = FIREWORKS_TEST_KEY) =>
      post(`${batch.url}/v1/audio/transcriptions${endpoint === null ? '' : `?endpoint_id=${endpoint}`}`, form(fields), key)

    it('needs a known endpoint_id whose model matches', async () => {
      expect((await submit(null, [['model', 'whisper-v3-turbo']])).status).toBe(400)
      expect((await submit('audio-fast', [['model', 'whisper-v3-turbo']])).status).toBe(404)
      expect((await submit('audio-prod', [['model', 'whisper-v3-turbo']])).status).toBe(400)
      expect((await submit('audio-turbo', [['model', 'whisper-v3-turbo']], 'bad')).status).toBe(401)
    })

    it('answers submitted, then processing, then completed with the sync body inline; polls need the key and the account', async () => {
      const sub = (await submit('audio-turbo', [['model', 'whisper-v3-turbo'], ['response_format', 'verbose_json'], ['timestamp_granularities', 'word']])).json()
      expect(sub).toMatchObject({ status: 'submitted', account_id: 'fake-account', endpoint_id: 'audio-turbo', batch_id: expect.any(String) })
      const poll = (account = 'fake-account', key = FIREWORKS_TEST_KEY) => fetch(`${batch.url}/v1/accounts/${account}/batch_job/${sub.batch_id}`, { headers: { authorization: key } })
      expect((await poll(undefined, 'bad')).status).toBe(401)
      expect((await poll('someone-else')).status).toBe(404)
      expect(await (await poll()).json()).toMatchObject({ status: 'processing' })
      const done = (await (await poll()).json()) as { status: string; content_type: string; body: string }
      expect(done).toMatchObject({ status: 'completed', content_type: 'application/json' })
      expect(JSON.parse(done.body).words.length).toBeGreaterThan(3)
    })
  })

  describe('OpenAI-compatible', () => {
    const url = () => `${oa.url}/v1/audio/transcriptions`
    const bearer = `Bearer ${OPENAI_TEST_KEY}`

    it('takes only a Bearer key', async () => {
      expect((await post(url(), form([['model', 'whisper-1']]), OPENAI_TEST_KEY)).status).toBe(401)
      const missing = await post(url(), form([['model', 'whisper-1']]))
      expect(missing.status).toBe(401)
      expect(missing.json().error).toEqual({ message: expect.stringMatching(/didn't provide an API key/), type: 'invalid_request_error', param: null, code: null })
    })

    it('refuses what OpenAI refuses', async () => {
      const cases: Array<[Array<[string, string]>, { name?: string } | null, number]> = [
        [[], {}, 400], // no model
        [[['model', 'whisper-1']], null, 400], // no file
        [[['model', 'whisper-1']], { name: 'a.opus' }, 400], // extension not in the list
        [[['model', 'whisper-1'], ['response_format', 'verbose_json'], ['timestamp_granularities', 'word']], {}, 400], // Fireworks' field name
        [[['model', 'whisper-1'], ['timestamp_granularities[]', 'word']], {}, 400], // needs verbose_json
        [[['model', 'gpt-4o-transcribe'], ['response_format', 'verbose_json']], {}, 400],
        [[['model', 'whisper-1'], ['language', 'english']], {}, 400],
        [[['model', 'whisper-1'], ['temperature', '2']], {}, 400],
        [[['model', 'whisper-2']], {}, 404],
      ]
      for (const [fields, file, status] of cases) {
        const res = await post(url(), form(fields, file), bearer)
        expect({ fields, status: res.status }).toEqual({ fields, status })
        expect(Object.keys(res.json().error).sort()).toEqual(['code', 'message', 'param', 'type'])
      }
      expect((await post(url(), form([['model', 'whisper-1']], { bytes: Buffer.alloc(250_000), name: 'big.ogg' }), bearer)).status).toBe(413)
    })

    it('answers text as raw text/plain and verbose_json with the language as a name', async () => {
      const text = await post(url(), form([['model', 'whisper-1'], ['response_format', 'text']]), bearer)
      expect(text.type).toMatch(/^text\/plain/)
      expect(text.text.trim().split(' ').length).toBeGreaterThan(3)
      const verbose = (await post(url(), form([['model', 'whisper-1'], ['response_format', 'verbose_json'], ['timestamp_granularities[]', 'word']]), bearer)).json()
      expect(verbose.language).toBe('english')
      expect(verbose.words.length).toBeGreaterThan(3)
      expect(verbose.segments).toBeUndefined()
    })
  })
})
