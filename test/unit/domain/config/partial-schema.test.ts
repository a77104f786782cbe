import { describe, expect, it } from 'vitest'
import { partialConfigSchema, validatePartialConfig } from '../../../../src/domain/config/index.js'
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

describe('partialConfigSchema', () => {
  it('accepts an empty layer and applies no defaults', () => {
    expect(partialConfigSchema.parse({})).toEqual({})
    expect(partialConfigSchema.parse({ processing: {} })).toEqual({ processing: {} })
  })

  it('accepts any subset of keys', () => {
    const layer = { processing: { padding_before: 2 }, subtitles: { formats: ['vtt'] } }
    expect(partialConfigSchema.parse(layer)).toEqual(layer)
  })

  it('accepts null for any value and for a whole section (null = inherit)', () => {
    const layer = { processing: { padding_before: null, trim_mode: null }, topics: null, transcription: { vocabulary: null } }
    expect(partialConfigSchema.parse(layer)).toEqual(layer)
  })

  it('checks values with the same rules as the full config', () => {
    expect(partialConfigSchema.safeParse({ processing: { padding_before: -3 } }).success).toBe(false)
    expect(partialConfigSchema.safeParse({ processing: { silence_threshold: 10 } }).success).toBe(false)
    expect(partialConfigSchema.safeParse({ metadata: { timezone: 'Nowhere/City' } }).success).toBe(false)
  })

  it('rejects unknown keys in a section, naming the allowed keys', () => {
    const result = partialConfigSchema.safeParse({ topics: { granularity: 'short', depth: 2 } })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.message).toBe('unknown key "depth" (allowed keys: enabled, granularity, provider, model, credential_id)')
  })

  it('rejects unknown sections, naming the allowed sections', () => {
    const result = partialConfigSchema.safeParse({ nope: 1, other: 2 })
    expect(result.error?.issues[0]?.message).toBe(
      'unknown keys "nope", "other" (allowed keys: processing, transcription, topics, subtitles, upload, metadata)',
    )
  })
})

describe('validatePartialConfig', () => {
  it('returns the layer when it is valid', () => {
    expect(validatePartialConfig({ upload: { auto_upload: false } })).toEqual({ upload: { auto_upload: false } })
  })

  it('treats a missing layer as empty', () => {
    expect(validatePartialConfig(null)).toEqual({})
    expect(validatePartialConfig(undefined)).toEqual({})
  })

  it('names the layer and every problem with its path', () => {
    const e = errorOf(() => validatePartialConfig({ processing: { padding_before: -1, zzz: 1 }, upload: { preset_ids: 'all' } }, 'template config'))
    expect(e.code).toBe('validation')
    expect(e.message).toMatch(/^invalid template config: /)
    expect(e.message).toContain('processing.padding_before: must be >= 0 seconds (got -1)')
    expect(e.message).toContain('processing: unknown key "zzz"')
    expect(e.message).toContain("upload.preset_ids: must be a list of preset ids (got 'all')")
    expect(e.hint).toMatch(/inherits/)
  })

  it('rejects a layer that is not an object', () => {
    const e = errorOf(() => validatePartialConfig([1, 2], 'user config'))
    expect(e.message).toMatch(/^invalid user config: must be an object with the keys processing, /)
  })
})
