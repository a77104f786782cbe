import { applyPlatformLimits, type Platform } from './platform-limits.js'
import type { RenderContext } from './render-context.js'
import { renderTemplate } from './render-template.js'
import type { TopicsDisplayInput } from './topics-display.js'

/** The parts of preset metadata and a template's metadata_config that rendering reads. */
export interface MetadataTemplates {
  title_template?: string | null
  description_template?: string | null
  tags?: readonly string[] | null
  topics_display?: Partial<TopicsDisplayInput> | null
}

export interface RenderedMetadata {
  title: string
  description: string
  tags: string[]
  warnings: string[]
}

export const DEFAULT_TITLE_TEMPLATE = '{display_name}'

/**
 * A template's metadata_config over a preset's metadata: every value the template sets (not undefined, not null)
 * wins; topics_display merges key by key; tags replace as a whole, like arrays everywhere in recflow config.
 */
export function mergeMetadataTemplates(preset: MetadataTemplates, template?: MetadataTemplates | null): MetadataTemplates {
  if (template == null) return preset
  return {
    title_template: template.title_template ?? preset.title_template,
    description_template: template.description_template ?? preset.description_template,
    tags: template.tags ?? preset.tags,
    topics_display: { ...definedOnly(preset.topics_display ?? {}), ...definedOnly(template.topics_display ?? {}) },
  }
}

/**
 * Title, description and tags for one upload: the merged templates rendered for the recording, then cut to the
 * platform's limits. `{title}` in the description is the rendered title. An empty title falls back to the
 * recording title, since every platform requires one.
 */
export function renderPresetMetadata(
  platform: Platform,
  presetMetadata: MetadataTemplates,
  templateMetadata: MetadataTemplates | null | undefined,
  ctx: RenderContext,
): RenderedMetadata {
  const merged = mergeMetadataTemplates(presetMetadata, templateMetadata)
  const common = { topicsDisplay: merged.topics_display ?? null, platform }
  const warnings: string[] = []

  const renderedTitle = renderTemplate(merged.title_template ?? DEFAULT_TITLE_TEMPLATE, ctx, {
    ...common,
    mode: 'line',
    field: 'title_template',
  })
  warnings.push(...renderedTitle.warnings)
  let title = renderedTitle.text
  if (title === '') {
    title = ctx.display_name.replace(/\s+/g, ' ').trim()
    warnings.push('title rendered empty; using the recording title')
  }

  const description = renderTemplate(merged.description_template ?? '', ctx, {
    ...common,
    mode: 'block',
    title,
    field: 'description_template',
  })
  warnings.push(...description.warnings)

  const tags: string[] = []
  for (const [i, tagTemplate] of (merged.tags ?? []).entries()) {
    const tag = renderTemplate(tagTemplate, ctx, { ...common, mode: 'line', title, field: `tags[${i}]` })
    warnings.push(...tag.warnings)
    if (tag.text !== '' && !tags.some((t) => t.toLowerCase() === tag.text.toLowerCase())) tags.push(tag.text)
  }

  const limited = applyPlatformLimits(platform, { title, description: description.text, tags })
  return {
    title: limited.title,
    description: limited.description,
    tags: limited.tags,
    warnings: [...new Set([...warnings, ...limited.warnings])],
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
