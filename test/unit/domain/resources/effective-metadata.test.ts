import { describe, expect, it } from 'vitest'
import { effectivePresetMetadata } from '../../../../src/domain/resources/effective-metadata.js'
import { validatePresetInput } from '../../../../src/domain/resources/preset-input.js'
import type { YoutubeMetadata } from '../../../../src/domain/resources/preset-metadata.js'

const preset = validatePresetInput({
  name: 'Y',
  platform: 'youtube',
  credential_id: 1,
  preset_metadata: { title_template: 'P {display_name}', tags: ['p'], playlist_id: 'PL-preset', topics_display: { max_count: 5 } },
}).preset_metadata as YoutubeMetadata

describe('effectivePresetMetadata', () => {
  it('returns the preset unchanged without a template config', () => {
    expect(effectivePresetMetadata('youtube', preset, null)).toBe(preset)
  })

  it('lays the template settings over the preset where set', () => {
    const out = effectivePresetMetadata('youtube', preset, {
      title_template: 'T {display_name}',
      topics_display: { format: 'inline' },
      youtube: { playlist_id: 'PL-template', privacy: undefined },
      vk: { album_id: 3 },
    })
    expect(out).toMatchObject({
      title_template: 'T {display_name}',
      tags: ['p'],
      playlist_id: 'PL-template',
      privacy: 'unlisted',
      topics_display: { max_count: 5, format: 'inline' },
    })
    expect(out).not.toHaveProperty('album_id')
  })
})
