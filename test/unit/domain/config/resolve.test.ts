import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG, listConfigPaths, resolveConfig } from '../../../../src/domain/config/index.js'
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

describe('resolveConfig', () => {
  it('returns the built-in defaults with no layers, every path from "default"', () => {
    const { config, sources } = resolveConfig([])
    expect(config).toEqual(DEFAULT_CONFIG)
    expect(Object.keys(sources).sort()).toEqual(listConfigPaths().map((p) => p.path).sort())
    expect(new Set(Object.values(sources))).toEqual(new Set(['default']))
  })

  it('applies defaults < user < template < recording < run', () => {
    const { config, sources } = resolveConfig([
      { name: 'user', config: { processing: { padding_before: 1, padding_after: 1, min_pause: 1, pause_margin: 1 } } },
      { name: 'template', config: { processing: { padding_after: 2, min_pause: 2, pause_margin: 2 } } },
      { name: 'recording', config: { processing: { min_pause: 3, pause_margin: 3 } } },
      { name: 'run', config: { processing: { pause_margin: 4 } } },
    ])
    expect(config.processing).toMatchObject({ padding_before: 1, padding_after: 2, min_pause: 3, pause_margin: 4, poster_time: 10 })
    expect(sources['processing.padding_before']).toBe('user')
    expect(sources['processing.padding_after']).toBe('template')
    expect(sources['processing.min_pause']).toBe('recording')
    expect(sources['processing.pause_margin']).toBe('run')
    expect(sources['processing.poster_time']).toBe('default')
  })

  it('applies layers in precedence order whatever order they are given in', () => {
    const { config, sources } = resolveConfig([
      { name: 'run', config: { topics: { granularity: 'short' } } },
      { name: 'user', config: { topics: { granularity: 'medium' } } },
    ])
    expect(config.topics.granularity).toBe('short')
    expect(sources['topics.granularity']).toBe('run')
  })

  it('lets null inherit the lower layer value and keeps that layer as the source', () => {
    const { config, sources } = resolveConfig([
      { name: 'user', config: { processing: { trim_mode: 'pauses' } } },
      { name: 'template', config: { processing: { trim_mode: null }, topics: null } },
    ])
    expect(config.processing.trim_mode).toBe('pauses')
    expect(sources['processing.trim_mode']).toBe('user')
    expect(config.topics).toEqual(DEFAULT_CONFIG.topics)
  })

  it('replaces arrays as a whole and credits the layer that set them', () => {
    const { config, sources } = resolveConfig([
      { name: 'user', config: { subtitles: { formats: ['srt', 'vtt'] }, upload: { preset_ids: [1, 2, 3] } } },
      { name: 'template', config: { subtitles: { formats: ['vtt'] }, upload: { preset_ids: [] } } },
    ])
    expect(config.subtitles.formats).toEqual(['vtt'])
    expect(config.upload.preset_ids).toEqual([])
    expect(sources['upload.preset_ids']).toBe('template')
  })

  it('keeps false and 0 from a higher layer (only null inherits)', () => {
    const { config, sources } = resolveConfig([
      { name: 'template', config: { transcription: { enabled: false }, processing: { padding_before: 0 } } },
    ])
    expect(config.transcription.enabled).toBe(false)
    expect(config.processing.padding_before).toBe(0)
    expect(sources['transcription.enabled']).toBe('template')
  })

  it('skips null and undefined layers', () => {
    const { config } = resolveConfig([
      { name: 'user', config: null },
      { name: 'template', config: undefined },
      { name: 'run', config: { upload: { captions: false } } },
    ])
    expect(config.upload.captions).toBe(false)
  })

  it('applies two layers with the same name in the order given', () => {
    const { config } = resolveConfig([
      { name: 'run', config: { processing: { poster_time: 1 } } },
      { name: 'run', config: { processing: { poster_time: 2 } } },
    ])
    expect(config.processing.poster_time).toBe(2)
  })

  it('names the layer that holds an invalid value', () => {
    const e = errorOf(() =>
      resolveConfig([
        { name: 'user', config: { processing: { padding_before: 1 } } },
        { name: 'recording', config: { processing: { padding_before: -3 } } },
      ]),
    )
    expect(e.code).toBe('validation')
    expect(e.message).toBe('invalid recording override: processing.padding_before: must be >= 0 seconds (got -3)')
  })

  it('rejects a stored layer with an unknown key instead of ignoring it', () => {
    const stale = { processing: { silence_db: -30 } } as unknown as Parameters<typeof resolveConfig>[0][number]['config']
    const e = errorOf(() => resolveConfig([{ name: 'template', config: stale }]))
    expect(e.message).toMatch(/^invalid template config: processing: unknown key "silence_db"/)
  })

  it('returns a config that can be changed without touching the defaults', () => {
    const { config } = resolveConfig([])
    config.subtitles.formats.push('srt')
    config.processing.padding_before = 99
    expect(DEFAULT_CONFIG.subtitles.formats).toEqual(['srt', 'vtt'])
    expect(DEFAULT_CONFIG.processing.padding_before).toBe(5)
  })

  it('does not change the layers it is given', () => {
    const layer = { processing: { padding_before: 1 }, subtitles: { formats: ['vtt' as const] } }
    const { config } = resolveConfig([{ name: 'user', config: layer }])
    config.subtitles.formats.push('srt')
    expect(layer).toEqual({ processing: { padding_before: 1 }, subtitles: { formats: ['vtt'] } })
  })
})
