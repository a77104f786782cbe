import { describe, expect, it } from 'vitest'
import { defaultValueAt, defaultValues } from '../../../../src/domain/config/default-values.js'
import { DEFAULT_CONFIG, listConfigPaths } from '../../../../src/domain/config/index.js'

describe('the plain defaults table `config get` answers from', () => {
  it('equals the defaults the schema builds, leaf for leaf', () => {
    expect(defaultValues()).toEqual(DEFAULT_CONFIG)
    for (const info of listConfigPaths()) expect({ path: info.path, ...defaultValueAt(info.path) }).toEqual({ path: info.path, value: info.default })
  })

  it('knows only exact section.key leaves, so anything else is checked against the schema', () => {
    for (const path of ['processing', 'processing.nope', 'nope.enabled', 'processing.padding_before.x', '__proto__.x', 'processing.constructor', ''])
      expect({ path, found: defaultValueAt(path) }).toEqual({ path, found: undefined })
  })

  it('hands out copies', () => {
    const formats = defaultValueAt('subtitles.formats')!.value as string[]
    formats.push('changed')
    expect(defaultValueAt('subtitles.formats')!.value).toEqual(['srt', 'vtt'])
  })
})
