import { mergeMetadataTemplates } from '../metadata/render-preset-metadata.js'
import type { LocalMetadata, VkMetadata, YoutubeMetadata } from './preset-metadata.js'
import type { MetadataConfig } from './template-input.js'

type ByPlatform = { youtube: YoutubeMetadata; vk: VkMetadata; local: LocalMetadata }

/**
 * The preset metadata an upload uses once the template's metadata_config is laid over it: rendered fields as in
 * `mergeMetadataTemplates`, plus the template's per-platform settings (e.g. its own playlist) where set.
 */
export function effectivePresetMetadata<P extends keyof ByPlatform>(
  platform: P,
  preset: ByPlatform[P],
  config: MetadataConfig | null | undefined,
): ByPlatform[P] {
  if (config == null) return preset
  const rendered = mergeMetadataTemplates(preset, config)
  const overrides = platform === 'youtube' ? config.youtube : platform === 'vk' ? config.vk : undefined
  return {
    ...preset,
    title_template: rendered.title_template ?? preset.title_template,
    description_template: rendered.description_template ?? preset.description_template,
    tags: [...(rendered.tags ?? preset.tags)],
    topics_display: { ...preset.topics_display, ...definedOnly(config.topics_display ?? {}) },
    ...definedOnly(overrides ?? {}),
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
