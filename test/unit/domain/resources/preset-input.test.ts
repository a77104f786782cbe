import { describe, expect, it } from 'vitest'
import { RecflowError } from '../../../../src/domain/errors.js'
import { validatePresetInput, validatePresetPatch } from '../../../../src/domain/resources/preset-input.js'
import { applyPatch } from '../../../../src/domain/resources/strict-object.js'

function errorOf(fn: () => unknown): RecflowError {
  try {
    fn()
  } catch (e) {
    if (e instanceof RecflowError) return e
    throw e
  }
  throw new Error('expected a RecflowError')
}

describe('validatePresetInput', () => {
  it('fills YouTube defaults', () => {
    const preset = validatePresetInput({ name: ' Lectures ', platform: 'youtube', credential_id: 3 })
    expect(preset).toMatchObject({
      name: 'Lectures',
      is_active: true,
      preset_metadata: {
        title_template: '{display_name}',
        description_template: '',
        tags: [],
        privacy: 'unlisted',
        category_id: '27',
        made_for_kids: false,
        topics_display: { format: 'numbered_list', max_count: null, show_timestamps: false },
      },
    })
  })

  it('accepts a numeric YouTube category id from YAML as a string', () => {
    const preset = validatePresetInput({ name: 'Y', platform: 'youtube', credential_id: 1, preset_metadata: { category_id: 28 } })
    expect(preset.preset_metadata).toMatchObject({ category_id: '28' })
  })

  it('rejects an unknown privacy value with the allowed ones', () => {
    const e = errorOf(() =>
      validatePresetInput({ name: 'Y', platform: 'youtube', credential_id: 1, preset_metadata: { privacy: 'secret' } }),
    )
    expect(e.code).toBe('validation')
    expect(e.message).toBe(
      "invalid preset: preset_metadata.privacy: expected one of private, unlisted, public (got 'secret')",
    )
  })

  it('requires a credential for youtube and vk', () => {
    expect(errorOf(() => validatePresetInput({ name: 'Y', platform: 'youtube' })).message).toMatch(
      /credential_id: required: youtube presets need a credential/,
    )
    expect(errorOf(() => validatePresetInput({ name: 'V', platform: 'vk' })).message).toMatch(
      /credential_id: required: vk presets need a credential; sign in with `recflow auth vk`/,
    )
  })

  it('refuses a credential on a local preset and requires a destination', () => {
    const e = errorOf(() => validatePresetInput({ name: 'L', platform: 'local', credential_id: 4, preset_metadata: {} }))
    expect(e.message).toMatch(/credential_id: local presets take no credential; remove credential_id \(got 4\)/)
    expect(e.message).toMatch(/preset_metadata.destination: required/)
  })

  it('fills local defaults', () => {
    const preset = validatePresetInput({ name: 'L', platform: 'local', credential_id: null, preset_metadata: { destination: '/srv/videos' } })
    expect(preset.preset_metadata).toMatchObject({
      destination: '/srv/videos',
      name_template: '{start_time:YYYY-MM-DD} {display_name}',
      copy_transcript: true,
      captions: true,
    })
  })

  it('accepts VK privacy as a number or a name', () => {
    const base = { name: 'V', platform: 'vk', credential_id: 1 }
    expect(validatePresetInput({ ...base, preset_metadata: { privacy_view: 3 } }).preset_metadata).toMatchObject({ privacy_view: 3 })
    expect(validatePresetInput({ ...base, preset_metadata: { privacy_view: 'friends' } }).preset_metadata).toMatchObject({ privacy_view: 'friends' })
    expect(validatePresetInput(base).preset_metadata).toMatchObject({ privacy_view: 'all' })
    expect(errorOf(() => validatePresetInput({ ...base, preset_metadata: { privacy_view: 4 } })).message).toMatch(/privacy_view/)
  })

  it('rejects a field of another platform as an unknown key', () => {
    const e = errorOf(() => validatePresetInput({ name: 'V', platform: 'vk', credential_id: 1, preset_metadata: { privacy: 'public' } }))
    expect(e.message).toMatch(/preset_metadata: unknown key 'privacy' \(allowed: album_id, .*privacy_view/)
  })

  it('rejects an unknown platform and a missing one', () => {
    expect(errorOf(() => validatePresetInput({ name: 'x', platform: 'tiktok' })).message).toBe(
      "invalid preset: platform: expected one of youtube, vk, local (got 'tiktok')",
    )
    expect(errorOf(() => validatePresetInput({ name: 'x' })).message).toMatch(/platform: required/)
  })

  it('validates every template string, naming the field', () => {
    const bad = (preset_metadata: object) => () =>
      validatePresetInput({ name: 'L', platform: 'local', preset_metadata: { destination: '/d', ...preset_metadata } })
    expect(errorOf(bad({ title_template: '{titel}' })).message).toMatch(/^preset_metadata.title_template: unknown variable \{titel\}/)
    expect(errorOf(bad({ description_template: '{date:hh}' })).message).toMatch(/^preset_metadata.description_template: .*unknown token "hh"/)
    expect(errorOf(bad({ tags: ['ok', '{nope}'] })).message).toMatch(/^preset_metadata.tags\[1\]: unknown variable/)
    expect(errorOf(bad({ name_template: '{start_time:YYYY-MM-DD} {x}' })).message).toMatch(/^preset_metadata.name_template/)
  })

  it('rejects unknown topics_display options', () => {
    const e = errorOf(() =>
      validatePresetInput({ name: 'Y', platform: 'youtube', credential_id: 1, preset_metadata: { topics_display: { format: 'table' } } }),
    )
    expect(e.message).toMatch(/preset_metadata.topics_display.format: expected one of numbered_list, bullet_list/)
  })
})

describe('validatePresetPatch', () => {
  it('accepts a partial metadata change without filling defaults', () => {
    expect(validatePresetPatch({ preset_metadata: { privacy: 'public' } }, 'youtube')).toEqual({ preset_metadata: { privacy: 'public' } })
  })

  it('refuses to change the platform', () => {
    expect(errorOf(() => validatePresetPatch({ platform: 'vk' }, 'youtube')).message).toBe(
      "invalid preset update: platform: expected 'youtube' (got 'vk')",
    )
  })

  it('checks fields against the preset platform', () => {
    expect(() => validatePresetPatch({ preset_metadata: { privacy_view: 1 } }, 'youtube')).toThrow(/unknown key 'privacy_view'/)
    expect(() => validatePresetPatch({ credential_id: 5 }, 'local')).toThrow(/take no credential/)
  })

  it('validates template strings in the patch', () => {
    expect(() => validatePresetPatch({ preset_metadata: { title_template: '{nope}' } }, 'vk')).toThrow(/unknown variable \{nope\}/)
  })

  it('merges into the stored preset so the result validates like a new one', () => {
    const stored = validatePresetInput({ name: 'Y', platform: 'youtube', credential_id: 1, preset_metadata: { tags: ['a'], topics_display: { max_count: 5 } } })
    const patch = validatePresetPatch({ preset_metadata: { privacy: 'public', topics_display: { format: 'inline' } } }, 'youtube')
    const merged = validatePresetInput(applyPatch(stored, patch))
    expect(merged.preset_metadata).toMatchObject({ privacy: 'public', tags: ['a'], topics_display: { max_count: 5, format: 'inline' } })
  })
})
