import { describe, expect, it } from 'vitest'
import { RecflowError } from '../../../../src/domain/errors.js'
import { applyPatch } from '../../../../src/domain/resources/strict-object.js'
import { validateTemplateInput, validateTemplatePatch } from '../../../../src/domain/resources/template-input.js'

function errorOf(fn: () => unknown): RecflowError {
  try {
    fn()
  } catch (e) {
    if (e instanceof RecflowError) return e
    throw e
  }
  throw new Error('expected a RecflowError')
}

describe('validateTemplateInput', () => {
  it('fills defaults for a minimal template', () => {
    expect(validateTemplateInput({ name: '  Math  ', matching_rules: { keywords: ['Math'] } })).toEqual({
      name: 'Math',
      matching_rules: { keywords: ['Math'], case_sensitive: false },
      is_draft: false,
      is_active: true,
    })
  })

  it('requires a name of 1 to 200 characters', () => {
    expect(errorOf(() => validateTemplateInput({ name: '   ', is_draft: true })).message).toMatch(/name: must not be empty/)
    expect(errorOf(() => validateTemplateInput({ name: 'x'.repeat(201), is_draft: true })).message).toMatch(/name: must be at most 200/)
  })

  it('rejects a non-draft template that cannot match anything', () => {
    const e = errorOf(() => validateTemplateInput({ name: 'T', matching_rules: { source_ids: [1] } }))
    expect(e.message).toMatch(/^matching_rules: source_ids only narrows/)
    expect(e.hint).toMatch(/draft/)
  })

  it('accepts a draft without rules', () => {
    expect(validateTemplateInput({ name: 'T', is_draft: true }).is_draft).toBe(true)
  })

  it('compiles every pattern and exclude pattern, naming the one that fails', () => {
    expect(errorOf(() => validateTemplateInput({ name: 'T', matching_rules: { patterns: ['ok', '(a)\\1'] } })).message).toMatch(
      /^matching_rules.patterns\[1\]: invalid pattern .*backreferences/,
    )
    expect(
      errorOf(() => validateTemplateInput({ name: 'T', matching_rules: { keywords: ['a'], exclude_patterns: ['(?!x)'] } })).message,
    ).toMatch(/^matching_rules.exclude_patterns\[0\]: .*lookahead/)
  })

  it('checks patterns even on a draft', () => {
    expect(() => validateTemplateInput({ name: 'T', is_draft: true, matching_rules: { patterns: ['('] } })).toThrow(/invalid pattern/)
  })

  it('validates metadata template strings', () => {
    const e = errorOf(() =>
      validateTemplateInput({ name: 'T', matching_rules: { keywords: ['a'] }, metadata_config: { description_template: '{summary} {sumary}' } }),
    )
    expect(e.message).toMatch(/^metadata_config.description_template: unknown variable \{sumary\}/)
  })

  it('accepts metadata overrides, partial topics_display and per-platform settings', () => {
    const t = validateTemplateInput({
      name: 'T',
      matching_rules: { keywords: ['a'] },
      metadata_config: { title_template: '{display_name}', topics_display: { max_count: 3 }, youtube: { playlist_id: 'PL1' }, vk: { album_id: 2 } },
    })
    expect(t.metadata_config).toEqual({ title_template: '{display_name}', topics_display: { max_count: 3 }, youtube: { playlist_id: 'PL1' }, vk: { album_id: 2 } })
  })

  it('rejects unknown keys at every level, naming the allowed ones', () => {
    expect(errorOf(() => validateTemplateInput({ name: 'T', is_draft: true, colour: 'red' })).message).toMatch(
      /unknown key 'colour' \(allowed: description, is_active, is_draft, matching_rules, metadata_config, name, output_config, processing_config\)/,
    )
    expect(errorOf(() => validateTemplateInput({ name: 'T', is_draft: true, metadata_config: { youtube: { privcy: 'x' } } })).message).toMatch(
      /metadata_config.youtube: unknown key 'privcy'/,
    )
  })

  it('passes processing_config through for the config module to validate', () => {
    const t = validateTemplateInput({ name: 'T', is_draft: true, processing_config: { processing: { trim_mode: 'pauses' } } })
    expect(t.processing_config).toEqual({ processing: { trim_mode: 'pauses' } })
    expect(() => validateTemplateInput({ name: 'T', is_draft: true, processing_config: [] })).toThrow(/processing_config/)
  })

  it('checks output preset ids', () => {
    expect(validateTemplateInput({ name: 'T', is_draft: true, output_config: {} }).output_config).toEqual({ preset_ids: [] })
    expect(() => validateTemplateInput({ name: 'T', is_draft: true, output_config: { preset_ids: [1, 1] } })).toThrow(/more than once/)
    expect(() => validateTemplateInput({ name: 'T', is_draft: true, output_config: { preset_ids: [0] } })).toThrow(/preset_ids\[0\]/)
  })
})

describe('validateTemplatePatch', () => {
  it('accepts a partial patch without defaults', () => {
    expect(validateTemplatePatch({ is_active: false })).toEqual({ is_active: false })
    expect(validateTemplatePatch({ matching_rules: { keywords: ['x'] } })).toEqual({ matching_rules: { keywords: ['x'] } })
  })

  it('checks patterns and template strings in the patch', () => {
    expect(() => validateTemplatePatch({ matching_rules: { patterns: ['(?<=a)b'] } })).toThrow(/lookahead and lookbehind/)
    expect(() => validateTemplatePatch({ metadata_config: { tags: ['{x}'] } })).toThrow(/metadata_config.tags\[0\]/)
  })

  it('makes the merged template fail when the patch removes its last rule', () => {
    const stored = validateTemplateInput({ name: 'T', matching_rules: { keywords: ['a'] } })
    const patch = validateTemplatePatch({ matching_rules: { keywords: [] } })
    expect(() => validateTemplateInput(applyPatch(stored, patch))).toThrow(/at least one of exact_matches/)
  })
})
