import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG, processingConfigSchema, validateConfig } from '../../../../src/domain/config/index.js'
import { RecflowError } from '../../../../src/domain/errors.js'

function errorOf(fn: () => unknown): RecflowError {
  try {
    fn()
  } catch (e) {
    if (e instanceof RecflowError) return e
    throw e
  }
  throw new Error('expected a RecflowError')
}

describe('processingConfigSchema defaults', () => {
  it('fills every section from an empty object', () => {
    expect(processingConfigSchema.parse({})).toEqual({
      processing: {
        enabled: true,
        silence_threshold: -40,
        min_silence_duration: 2,
        padding_before: 5,
        padding_after: 5,
        trim_mode: 'edges',
        min_pause: 3,
        pause_margin: 0.5,
        max_cut_ratio: 0.5,
        poster_time: 10,
      },
      transcription: { enabled: true, provider: null, credential_id: null, concurrency: 4, model: null, language: null, prompt: '', vocabulary: [] },
      topics: { enabled: true, granularity: 'long', provider: 'deepseek', model: null, credential_id: null },
      subtitles: { enabled: true, formats: ['srt', 'vtt'] },
      upload: { auto_upload: true, preset_ids: [], captions: true, youtube_chunk_mib: 8 },
      metadata: { title_template: '{display_name}', description_template: '', tags: [], timezone: 'UTC', thumbnail: null },
    })
  })

  it('fills the missing keys of a section that is partly given', () => {
    const config = processingConfigSchema.parse({ processing: { trim_mode: 'pauses' } })
    expect(config.processing.trim_mode).toBe('pauses')
    expect(config.processing.padding_before).toBe(5)
  })

  it('exposes the defaults as DEFAULT_CONFIG, frozen so nobody edits them in place', () => {
    expect(DEFAULT_CONFIG).toEqual(processingConfigSchema.parse({}))
    expect(Object.isFrozen(DEFAULT_CONFIG.processing)).toBe(true)
    expect(Object.isFrozen(DEFAULT_CONFIG.subtitles.formats)).toBe(true)
    expect(() => {
      ;(DEFAULT_CONFIG.processing as { padding_before: number }).padding_before = 1
    }).toThrow(TypeError)
  })

  it('gives each parse its own arrays', () => {
    const a = processingConfigSchema.parse({})
    const b = processingConfigSchema.parse({})
    a.subtitles.formats.push('srt')
    expect(b.subtitles.formats).toEqual(['srt', 'vtt'])
  })
})

describe('processingConfigSchema ranges', () => {
  const invalid: Array<[string, unknown, RegExp]> = [
    ['a threshold below -100 dB', { processing: { silence_threshold: -101 } }, /processing\.silence_threshold: must be between -100 and 0 dB \(got -101\)/],
    ['a threshold above 0 dB', { processing: { silence_threshold: 3 } }, /processing\.silence_threshold: must be between -100 and 0 dB/],
    ['a negative padding', { processing: { padding_before: -3 } }, /processing\.padding_before: must be >= 0 seconds \(got -3\)/],
    ['a negative silence duration', { processing: { min_silence_duration: -0.1 } }, /processing\.min_silence_duration: must be >= 0/],
    ['a cut ratio above 1', { processing: { max_cut_ratio: 1.5 } }, /processing\.max_cut_ratio: must be between 0 and 1/],
    ['a negative cut ratio', { processing: { max_cut_ratio: -0.5 } }, /processing\.max_cut_ratio: must be between 0 and 1/],
    ['an unknown trim mode', { processing: { trim_mode: 'middle' } }, /processing\.trim_mode: must be "edges" or "pauses" \(got 'middle'\)/],
    ['a number given as a string', { processing: { padding_after: '5' } }, /processing\.padding_after: must be a number of seconds/],
    ['an infinite number', { processing: { poster_time: Number.POSITIVE_INFINITY } }, /processing\.poster_time/],
    ['an unknown provider', { transcription: { provider: 'whisper' } }, /transcription\.provider: must be "fireworks", "fireworks-batch" or "openai"/],
    ['a language that is not a code', { transcription: { language: 'English please' } }, /transcription\.language: must be a language code/],
    ['an unknown granularity', { topics: { granularity: 'huge' } }, /topics\.granularity: must be "short", "medium" or "long"/],
    ['an unknown subtitle format', { subtitles: { formats: ['srt', 'ass'] } }, /subtitles\.formats\[1\]: must be "srt" or "vtt"/],
    ['no subtitle format', { subtitles: { formats: [] } }, /subtitles\.formats: must name at least one format/],
    ['a repeated subtitle format', { subtitles: { formats: ['vtt', 'vtt'] } }, /subtitles\.formats: must not repeat a format/],
    ['a fractional preset id', { upload: { preset_ids: [1.5] } }, /upload\.preset_ids\[0\]: must be an integer/],
    ['a zero preset id', { upload: { preset_ids: [0] } }, /upload\.preset_ids\[0\]: must be positive/],
    ['an unknown time zone', { metadata: { timezone: 'Mars/Olympus' } }, /metadata\.timezone: unknown time zone "Mars\/Olympus"/],
    ['an empty tag', { metadata: { tags: ['ok', ''] } }, /metadata\.tags\[1\]: must not be empty/],
    ['a section that is not an object', { upload: true }, /upload: must be an object with the keys auto_upload, preset_ids, captions/],
  ]
  it.each(invalid)('rejects %s with the path in the message', (_name, input, message) => {
    const e = errorOf(() => validateConfig(input))
    expect(e.code).toBe('validation')
    expect(e.message).toMatch(message)
  })

  it('accepts the boundaries of each range', () => {
    const config = validateConfig({
      processing: { silence_threshold: -100, padding_before: 0, max_cut_ratio: 1, pause_margin: 0 },
      transcription: { language: 'pt-BR', provider: 'openai' },
    })
    expect(config.processing.silence_threshold).toBe(-100)
    expect(config.processing.max_cut_ratio).toBe(1)
    expect(config.transcription.language).toBe('pt-BR')
    expect(validateConfig({ processing: { silence_threshold: 0, max_cut_ratio: 0 } }).processing.silence_threshold).toBe(0)
  })

  it('rejects an unknown key and lists the allowed keys of that section', () => {
    const e = errorOf(() => validateConfig({ processing: { padding: 3 } }))
    expect(e.message).toContain('processing: unknown key "padding" (allowed keys: enabled, silence_threshold,')
    expect(e.message).toContain('poster_time)')
  })

  it('rejects an unknown section and lists the sections', () => {
    const e = errorOf(() => validateConfig({ trimming: {} }))
    expect(e.message).toContain('unknown key "trimming" (allowed keys: processing, transcription, topics, subtitles, upload, metadata)')
  })

  it('does not accept null as a value where null is not meaningful', () => {
    expect(errorOf(() => validateConfig({ processing: { enabled: null } })).message).toMatch(/processing\.enabled: must be true or false/)
  })
})
