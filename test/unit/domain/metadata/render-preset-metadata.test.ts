import { describe, expect, it } from 'vitest'
import type { RenderContext } from '../../../../src/domain/metadata/render-context.js'
import { mergeMetadataTemplates, renderPresetMetadata } from '../../../../src/domain/metadata/render-preset-metadata.js'

const ctx: RenderContext = {
  display_name: 'Linear Algebra',
  start_time: '2024-03-05T09:00:00Z',
  duration: 5400,
  timezone: 'Europe/Berlin',
  topics: [
    { title: 'Intro', start: 0 },
    { title: 'Vectors', start: 600 },
    { title: 'Matrices', start: 1800 },
  ],
  main_topics: ['Vectors'],
  summary: 'We cover vectors and matrices.',
}

describe('renderPresetMetadata', () => {
  it('renders title, description and tags from the preset', () => {
    const out = renderPresetMetadata(
      'youtube',
      {
        title_template: '{display_name} ({date})',
        description_template: '{summary}\n\n{topics_list}\n\n{chapters}',
        tags: ['lecture', '{topic}'],
        topics_display: { format: 'dash_list' },
      },
      null,
      ctx,
    )
    expect(out).toEqual({
      title: 'Linear Algebra (05.03.2024)',
      description:
        'We cover vectors and matrices.\n\n- Intro\n- Vectors\n- Matrices\n\n0:00 Intro\n10:00 Vectors\n30:00 Matrices',
      tags: ['lecture', 'Vectors'],
      warnings: [],
    })
  })

  it('uses {display_name} as the title when the preset has no title template', () => {
    expect(renderPresetMetadata('local', {}, undefined, ctx)).toEqual({
      title: 'Linear Algebra',
      description: '',
      tags: [],
      warnings: [],
    })
  })

  it('lets the template metadata override the preset where set', () => {
    const out = renderPresetMetadata(
      'vk',
      { title_template: 'Preset {display_name}', description_template: 'Preset description', tags: ['preset'] },
      { title_template: 'Template {display_name}', description_template: null, tags: ['template'] },
      ctx,
    )
    expect(out.title).toBe('Template Linear Algebra')
    expect(out.description).toBe('Preset description')
    expect(out.tags).toEqual(['template'])
  })

  it('renders {title} in the description as the rendered title', () => {
    const out = renderPresetMetadata('local', { title_template: '{display_name} #{date:D}', description_template: 'Watch {title}' }, null, ctx)
    expect(out.description).toBe('Watch Linear Algebra #5')
  })

  it('falls back to the recording title when the title renders empty', () => {
    const out = renderPresetMetadata('youtube', { title_template: '{summary}' }, null, { ...ctx, summary: null })
    expect(out.title).toBe('Linear Algebra')
    expect(out.warnings).toContain('title rendered empty; using the recording title')
  })

  it('drops tags that render empty and duplicates', () => {
    const out = renderPresetMetadata('local', { tags: ['{summary}', 'Vectors', '{topic}', ' '] }, null, { ...ctx, summary: '' })
    expect(out.tags).toEqual(['Vectors'])
  })

  it('applies platform limits and reports them with rendering warnings', () => {
    const out = renderPresetMetadata(
      'youtube',
      { title_template: '{display_name} <{summary}> {nope}', description_template: '{chapters}' },
      null,
      { ...ctx, topics: [{ title: 'Only', start: 0 }] },
    )
    expect(out.title).toBe('Linear Algebra We cover vectors and matrices.')
    expect(out.warnings).toEqual([
      'title_template: unknown variable {nope} (left out)',
      'chapters: only 1; YouTube shows chapters only from 3 on, so none are rendered',
      'removed < and > from the title (YouTube does not allow them)',
    ])
  })

  it('does not warn about YouTube chapter rules on other platforms', () => {
    const out = renderPresetMetadata('vk', { description_template: '{chapters}' }, null, { ...ctx, topics: [{ title: 'Only', start: 0 }] })
    expect(out.warnings).toEqual([])
  })
})

describe('mergeMetadataTemplates', () => {
  it('merges topics_display key by key', () => {
    const merged = mergeMetadataTemplates(
      { topics_display: { format: 'dash_list', max_count: 5 } },
      { topics_display: { max_count: 3, prefix: undefined } },
    )
    expect(merged.topics_display).toEqual({ format: 'dash_list', max_count: 3 })
  })

  it('keeps an empty description the template sets on purpose', () => {
    expect(mergeMetadataTemplates({ description_template: 'x' }, { description_template: '' }).description_template).toBe('')
  })
})
