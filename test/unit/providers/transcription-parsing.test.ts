import { describe, expect, it } from 'vitest'
import { errorMessageOf, isQuotaAnswer, redactKey } from '../../../src/providers/transcription/failures.js'
import { fireworksAudioBase, fireworksFields } from '../../../src/providers/transcription/fireworks-models.js'
import { languageCode, requestLanguage } from '../../../src/providers/transcription/language.js'
import { parseTranscriptionBody, parseTranscriptionJson, UnexpectedAnswer } from '../../../src/providers/transcription/parse-transcription.js'
import { v1Url } from '../../../src/providers/transcription/send.js'

describe('transcription answers', () => {
  it('reads top-level words (Fireworks, OpenAI) and keeps probabilities', () => {
    const t = parseTranscriptionJson(
      {
        task: 'transcribe', language: 'en', duration: 3.5, text: ' Hello world. ',
        words: [{ word: 'Hello', start: 0.5, end: 0.8, probability: 0.9, hallucination_score: 0 }, { word: 'world.', start: 0.9, end: 1.3 }],
        segments: [{ id: 0, text: ' Hello world. ', start: 0.5, end: 1.3, speaker_id: 'SPEAKER_00' }],
      },
      99,
    )
    expect(t).toEqual({
      language: 'en', durationS: 3.5, text: 'Hello world.',
      words: [{ text: 'Hello', start: 0.5, end: 0.8, probability: 0.9 }, { text: 'world.', start: 0.9, end: 1.3 }],
      segments: [{ text: 'Hello world.', start: 0.5, end: 1.3 }],
    })
  })

  it('flattens words nested in segments (whisper.cpp), trimming their leading spaces and dropping empty ones', () => {
    const t = parseTranscriptionJson(
      { language: 'english', duration: 2, text: 'a b', segments: [{ text: ' a b', start: 0, end: 2, words: [{ word: ' a', start: 0, end: 1 }, { word: ' ', start: 1, end: 1 }, { word: ' b', start: 1, end: 2 }] }] },
      9,
    )
    expect(t.words.map((w) => w.text)).toEqual(['a', 'b'])
    expect(t.language).toBe('en')
  })

  it('gives a text-only answer one segment over the piece, and silence nothing at all', () => {
    expect(parseTranscriptionJson({ text: 'hi there' }, 12)).toEqual({ language: null, durationS: null, text: 'hi there', words: [], segments: [{ text: 'hi there', start: 0, end: 12 }] })
    expect(parseTranscriptionJson({ text: '', words: null, segments: null, duration: 5 }, 5)).toEqual({ language: null, durationS: 5, text: '', words: [], segments: [] })
    expect(parseTranscriptionBody('hello\n', 'text/plain; charset=utf-8', 4).segments).toEqual([{ text: 'hello', start: 0, end: 4 }])
    expect(parseTranscriptionBody(' so it goes', 'text/html; charset=utf-8', 4).text).toBe('so it goes')
  })

  it('refuses answers that are not transcripts', () => {
    expect(() => parseTranscriptionJson({ words: [] }, 1)).toThrow(UnexpectedAnswer)
    expect(() => parseTranscriptionJson({ text: 'x', words: [{ word: 'x', start: -1, end: 2 }] }, 1)).toThrow(/words.0.start/)
    expect(() => parseTranscriptionBody('{"text": ', 'application/json', 1)).toThrow(/not valid JSON/)
  })
})

describe('languages', () => {
  it('normalises names and codes to a code', () => {
    expect(['english', 'English', 'en', 'EN'].map(languageCode)).toEqual(['en', 'en', 'en', 'en'])
    expect(languageCode('cantonese')).toBe('yue')
    expect(languageCode(null)).toBeNull()
    expect(requestLanguage('pt-BR')).toBe('pt')
    expect(requestLanguage('zh-Hant')).toBe('zh-hant')
    expect(requestLanguage('russian')).toBe('ru')
  })
})

describe('Fireworks hosts and fields', () => {
  it('picks each model’s own host unless the credential or RECFLOW_FIREWORKS_AUDIO_URL names one', () => {
    expect(fireworksAudioBase('whisper-v3-turbo', null, undefined)).toBe('https://audio-turbo.api.fireworks.ai')
    expect(fireworksAudioBase('whisper-v3', null, undefined)).toBe('https://audio-prod.api.fireworks.ai')
    expect(fireworksAudioBase('whisper-v3', null, 'http://env')).toBe('http://env')
    expect(fireworksAudioBase('whisper-v3', 'http://cred', 'http://env')).toBe('http://cred')
    expect(() => fireworksAudioBase('my-model', null, undefined)).toThrow(/no known host/)
    expect(fireworksAudioBase('my-model', 'https://my-dedicated.example', undefined)).toBe('https://my-dedicated.example')
  })

  it('asks for verbose_json with word and segment timestamps, language and prompt only when set', () => {
    expect(fireworksFields('whisper-v3-turbo', { language: null, prompt: '  ' })).toEqual([
      ['model', 'whisper-v3-turbo'], ['response_format', 'verbose_json'], ['timestamp_granularities', 'word,segment'],
    ])
    expect(fireworksFields('whisper-v3', { language: 'de', prompt: 'Vorlesung' }).slice(3)).toEqual([['language', 'de'], ['prompt', 'Vorlesung']])
  })

  it('joins /v1 once, whatever the base ends with', () => {
    expect(v1Url('https://api.openai.com/v1', 'audio/transcriptions')).toBe('https://api.openai.com/v1/audio/transcriptions')
    expect(v1Url('https://audio-turbo.api.fireworks.ai/', 'audio/transcriptions')).toBe('https://audio-turbo.api.fireworks.ai/v1/audio/transcriptions')
    expect(v1Url('http://127.0.0.1:8080', 'models')).toBe('http://127.0.0.1:8080/v1/models')
  })
})

describe('error bodies', () => {
  it('reads every documented variant, else the raw text', () => {
    expect(errorMessageOf('{"error":{"message":"bad file","type":"invalid_request_error","param":null,"code":null}}')).toBe('bad file')
    expect(errorMessageOf('{"error":"failed to read audio data"}')).toBe('failed to read audio data')
    expect(errorMessageOf('{"detail":"Invalid API key"}')).toBe('Invalid API key')
    expect(errorMessageOf('{"detail":[{"loc":["body","file"],"msg":"field required"}]}')).toBe('field required')
    expect(errorMessageOf('Bad Gateway')).toBe('Bad Gateway')
    expect(errorMessageOf('')).toBe('no details')
  })

  it('tells quota from rate limits, and masks the key', () => {
    const answer = (status: number, text: string) => ({ status, headers: new Headers(), text })
    expect(isQuotaAnswer(answer(402, '{}'))).toBe(true)
    expect(isQuotaAnswer(answer(429, '{"error":{"code":"insufficient_quota"}}'))).toBe(true)
    expect(isQuotaAnswer(answer(429, '{"error":{"code":"rate_limit_exceeded"}}'))).toBe(false)
    expect(redactKey('Incorrect API key provided: sk-abc123', 'sk-abc123')).toBe('Incorrect API key provided: ***')
  })
})
