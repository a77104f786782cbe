export { formatZodError, formatPath } from '../format-zod-error.js'
export { strictObject, partialSchemaOf, applyPatch } from './strict-object.js'
export type { PartialSchema } from './strict-object.js'
export { parseInput } from './parse-input.js'
export { effectivePresetMetadata } from './effective-metadata.js'
export {
  templateInputSchema,
  templatePatchSchema,
  metadataConfigSchema,
  outputConfigSchema,
  validateTemplateInput,
  validateTemplatePatch,
} from './template-input.js'
export type { TemplateInput, TemplatePatch, MetadataConfig, OutputConfig } from './template-input.js'
export {
  presetInputSchema,
  presetPatchSchema,
  presetPatchSchemas,
  presetPatchSchemaFor,
  validatePresetInput,
  validatePresetPatch,
} from './preset-input.js'
export type { PresetInput, PresetPatch } from './preset-input.js'
export {
  presetMetadataSchemas,
  youtubeMetadataSchema,
  vkMetadataSchema,
  localMetadataSchema,
  youtubeOverrideSchema,
  vkOverrideSchema,
  YOUTUBE_PRIVACY,
  YOUTUBE_LICENSES,
  VK_PRIVACY,
  POSTER_THUMBNAIL,
  DEFAULT_LOCAL_NAME_TEMPLATE,
} from './preset-metadata.js'
export type { PresetMetadata, YoutubeMetadata, VkMetadata, LocalMetadata } from './preset-metadata.js'
export {
  sourceInputSchema,
  sourcePatchSchema,
  sourcePatchSchemas,
  sourcePatchSchemaFor,
  localSourceConfigSchema,
  zoomSourceConfigSchema,
  zoomSourceUsers,
  validateSourceInput,
  validateSourcePatch,
  compileNamePattern,
  SOURCE_PLATFORMS,
  DEFAULT_LOCAL_GLOB,
  NAME_PATTERN_GROUPS,
} from './source-input.js'
export type { SourceInput, SourcePatch, SourcePlatform, LocalSourceConfig, ZoomSourceConfig } from './source-input.js'
