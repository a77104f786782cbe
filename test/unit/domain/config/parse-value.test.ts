import { describe, expect, it } from 'vitest'
import { parseConfigValue } from '../../../../src/domain/config/index.js'
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

describe('parseConfigValue: numbers', () => {
  it.each([
    ['processing.padding_before', '3', 3],
    ['processing.padding_before', ' 2.5 ', 2.5],
    ['processing.pause_margin', '.5', 0.5],
    ['processing.silence_threshold', '-35', -35],
    ['processing.silence_threshold', '-3.5e1', -35],
    ['processing.max_cut_ratio', '1', 1],
  ])('reads %s = %j as %d', (path, raw, value) => {
    expect(parseConfigValue(path, raw)).toBe(value)
  })

  it.each(['abc', '', '0x10', '1,5', 'Infinity', 'NaN', '5s'])('rejects %j for a number as a usage error naming the path and type', (raw) => {
    const e = errorOf(() => parseConfigValue('processing.padding_before', raw))
    expect(e.code).toBe('usage')
    expect(e.message).toBe(`processing.padding_before expects a number (got ${JSON.stringify(raw)})`)
  })

  it('rejects a value of the right type outside its range as a validation error', () => {
    const e = errorOf(() => parseConfigValue('processing.padding_before', '-3'))
    expect(e.code).toBe('validation')
    expect(e.message).toBe('invalid value for processing.padding_before: must be >= 0 seconds (got -3)')
  })

  it('rejects a threshold above 0 dB and a ratio above 1', () => {
    expect(errorOf(() => parseConfigValue('processing.silence_threshold', '5')).message).toMatch(/between -100 and 0 dB/)
    expect(errorOf(() => parseConfigValue('processing.max_cut_ratio', '1.01')).message).toMatch(/between 0 and 1/)
  })
})

describe('parseConfigValue: booleans, enums, strings', () => {
  it.each([
    ['true', true],
    ['FALSE', false],
    ['yes', true],
    ['no', false],
    ['on', true],
    ['off', false],
    ['1', true],
    ['0', false],
  ])('reads %j as %s', (raw, value) => {
    expect(parseConfigValue('upload.auto_upload', raw)).toBe(value)
  })

  it('rejects another word for a boolean', () => {
    const e = errorOf(() => parseConfigValue('processing.enabled', 'maybe'))
    expect(e.code).toBe('usage')
    expect(e.message).toBe('processing.enabled expects true or false (got "maybe")')
  })

  it('reads an enum value and rejects a near miss with the allowed values', () => {
    expect(parseConfigValue('processing.trim_mode', 'pauses')).toBe('pauses')
    const e = errorOf(() => parseConfigValue('processing.trim_mode', 'pause'))
    expect(e.code).toBe('usage')
    expect(e.message).toBe('processing.trim_mode expects one of "edges", "pauses" (got "pause")')
  })

  it('keeps a string as typed, spaces included', () => {
    expect(parseConfigValue('metadata.title_template', ' {display_name} — {date} ')).toBe(' {display_name} — {date} ')
    expect(parseConfigValue('transcription.prompt', '')).toBe('')
  })

  it('validates a string against its rules', () => {
    expect(parseConfigValue('metadata.timezone', 'Europe/Berlin')).toBe('Europe/Berlin')
    expect(errorOf(() => parseConfigValue('metadata.timezone', 'Mars/Olympus')).code).toBe('validation')
  })
})

describe('parseConfigValue: null', () => {
  it('reads "null" as null (inherit) for any path', () => {
    expect(parseConfigValue('transcription.language', 'null')).toBeNull()
    expect(parseConfigValue('processing.padding_before', ' null ')).toBeNull()
    expect(parseConfigValue('subtitles.formats', 'null')).toBeNull()
  })
})

describe('parseConfigValue: lists', () => {
  it('reads comma-separated values, trimming them and dropping empty items', () => {
    expect(parseConfigValue('upload.preset_ids', '1, 2,3,')).toEqual([1, 2, 3])
    expect(parseConfigValue('subtitles.formats', 'vtt')).toEqual(['vtt'])
    expect(parseConfigValue('metadata.tags', 'math, week 1')).toEqual(['math', 'week 1'])
  })

  it('reads a JSON array', () => {
    expect(parseConfigValue('upload.preset_ids', '[4, 5]')).toEqual([4, 5])
    expect(parseConfigValue('metadata.tags', '["a, b", "c"]')).toEqual(['a, b', 'c'])
  })

  it('reads an empty string or [] as an empty list', () => {
    expect(parseConfigValue('upload.preset_ids', '')).toEqual([])
    expect(parseConfigValue('transcription.vocabulary', '[]')).toEqual([])
  })

  it('rejects an item of the wrong type, naming the list type', () => {
    const e = errorOf(() => parseConfigValue('upload.preset_ids', '1,x'))
    expect(e.code).toBe('usage')
    expect(e.message).toBe('upload.preset_ids expects a list of integers (got "x")')
    expect(e.hint).toMatch(/a,b,c or as a JSON array/)
  })

  it('rejects JSON items of the wrong JSON type', () => {
    expect(errorOf(() => parseConfigValue('upload.preset_ids', '[1, "2"]')).message).toBe('upload.preset_ids expects a list of integers (got "2")')
    expect(errorOf(() => parseConfigValue('upload.preset_ids', '[1.5]')).code).toBe('usage')
    expect(errorOf(() => parseConfigValue('subtitles.formats', '["srt", "ass"]')).message).toBe(
      'subtitles.formats expects a list of "srt", "vtt" (got "ass")',
    )
  })

  it('rejects broken JSON and JSON that is not an array', () => {
    expect(errorOf(() => parseConfigValue('upload.preset_ids', '[1,')).message).toMatch(/^upload\.preset_ids expects a list of integers; "\[1," is not valid JSON/)
    expect(errorOf(() => parseConfigValue('upload.preset_ids', '{"a": 1}')).code).toBe('usage')
  })

  it('validates the list as a whole', () => {
    const e = errorOf(() => parseConfigValue('subtitles.formats', 'srt,srt'))
    expect(e.code).toBe('validation')
    expect(e.message).toBe('invalid value for subtitles.formats: must not repeat a format')
    expect(errorOf(() => parseConfigValue('upload.preset_ids', '0')).message).toMatch(/upload\.preset_ids\[0\]: must be positive/)
  })
})

describe('parseConfigValue: paths', () => {
  it('fails on an unknown key with "unknown key" and the allowed keys', () => {
    const e = errorOf(() => parseConfigValue('processing.nope', '1'))
    expect(e.code).toBe('validation')
    expect(e.message).toMatch(/^unknown key "nope" in processing \(allowed keys: enabled, silence_threshold, .*poster_time\)$/)
  })

  it('fails on an unknown section with the list of sections', () => {
    const e = errorOf(() => parseConfigValue('trimming.enabled', 'true'))
    expect(e.message).toBe('unknown key "trimming" (allowed keys: processing, transcription, topics, subtitles, upload, metadata)')
  })

  it('refuses to set a whole section from one string', () => {
    const e = errorOf(() => parseConfigValue('topics', 'true'))
    expect(e.code).toBe('usage')
    expect(e.message).toBe('topics is a section, not a value')
    expect(e.hint).toBe('use one of its keys: topics.enabled, topics.granularity, topics.provider, topics.model, topics.credential_id')
  })

  it('refuses a path below a value', () => {
    const e = errorOf(() => parseConfigValue('processing.enabled.x', 'true'))
    expect(e.code).toBe('usage')
    expect(e.message).toBe('processing.enabled is a boolean value, it has no key "x"')
  })

  it('does not treat inherited object properties as keys', () => {
    expect(errorOf(() => parseConfigValue('constructor.name', 'x')).message).toMatch(/^unknown key "constructor"/)
    expect(errorOf(() => parseConfigValue('processing.toString', 'x')).message).toMatch(/^unknown key "toString"/)
  })
})
