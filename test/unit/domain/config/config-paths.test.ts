import { describe, expect, it } from 'vitest'
import { configPathInfo, DEFAULT_CONFIG, getAtPath, listConfigPaths } from '../../../../src/domain/config/index.js'

function leafPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix]
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix === '' ? k : `${prefix}.${k}`))
}

describe('listConfigPaths', () => {
  it('lists exactly the leaves of the config, in schema order', () => {
    expect(listConfigPaths().map((p) => p.path)).toEqual(leafPaths(DEFAULT_CONFIG))
  })

  it('gives each path its default', () => {
    for (const info of listConfigPaths()) expect(info.default).toEqual(getAtPath(DEFAULT_CONFIG, info.path))
  })

  it('describes types for people', () => {
    const types = Object.fromEntries(listConfigPaths().map((p) => [p.path, p.type]))
    expect(types['processing.enabled']).toBe('boolean')
    expect(types['processing.silence_threshold']).toBe('number')
    expect(types['processing.trim_mode']).toBe('"edges" | "pauses"')
    expect(types['transcription.provider']).toBe('"fireworks" | "fireworks-batch" | "openai" | null')
    expect(types['transcription.language']).toBe('string | null')
    expect(types['transcription.vocabulary']).toBe('string[]')
    expect(types['subtitles.formats']).toBe('("srt" | "vtt")[]')
    expect(types['upload.preset_ids']).toBe('integer[]')
    expect(types['metadata.timezone']).toBe('string')
  })

  it('gives every path a description for the docs', () => {
    for (const info of listConfigPaths()) expect(info.description, info.path).toMatch(/\w/)
  })
})

describe('configPathInfo', () => {
  it('returns the kind and a layer schema that accepts null (inherit)', () => {
    const info = configPathInfo('processing.padding_after')
    expect(info.value).toEqual({ kind: 'number', integer: false })
    expect(info.nullable).toBe(false)
    expect(info.schema.safeParse(null).success).toBe(true)
    expect(info.schema.safeParse(-1).success).toBe(false)
  })

  it('describes list elements', () => {
    expect(configPathInfo('subtitles.formats').value).toEqual({ kind: 'array', element: { kind: 'enum', values: ['srt', 'vtt'] } })
  })
})
