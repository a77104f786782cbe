import { z } from 'zod'
import { compilePattern } from '../matching/compile-pattern.js'
import { assertMatchable, matchingRulesSchema, type MatchingRulesInput } from '../matching/matching-rules.js'
import { validateTemplateString } from '../metadata/parse-template.js'
import { topicsDisplaySchema } from '../metadata/topics-display.js'
import { zoomAfterArchiveSchema } from '../zoom/after-archive.js'
import { descriptionSchema, idSchema, nameSchema } from './common-fields.js'
import { parseInput, withPath } from './parse-input.js'
import {
  descriptionTemplateSchema,
  metadataTemplateStrings,
  tagsSchema,
  titleTemplateSchema,
  vkOverrideSchema,
  youtubeOverrideSchema,
} from './preset-metadata.js'
import { partialSchemaOf, strictObject } from './strict-object.js'

/** What a template sets over its presets' metadata; anything unset comes from the preset. */
export const metadataConfigSchema = strictObject({
  title_template: titleTemplateSchema.optional(),
  description_template: descriptionTemplateSchema.optional(),
  tags: tagsSchema.optional(),
  topics_display: partialSchemaOf(topicsDisplaySchema).optional(),
  youtube: youtubeOverrideSchema.optional(),
  vk: vkOverrideSchema.optional(),
})
export type MetadataConfig = z.output<typeof metadataConfigSchema>

export const outputConfigSchema = strictObject({
  preset_ids: z
    .array(idSchema)
    .default([])
    .refine((ids) => new Set(ids).size === ids.length, 'lists a preset more than once'),
  /** Upload right after processing; unset = the user's config (upload.auto_upload). */
  auto_upload: z.boolean().optional(),
  /** After archiving, leave the Zoom cloud recording (keep, the default) or move it to Zoom's trash. */
  zoom_after_archive: zoomAfterArchiveSchema.optional(),
})
export type OutputConfig = z.output<typeof outputConfigSchema>

/** A recording template as created through the CLI (flags or --file) and POST /templates. */
export const templateInputSchema = strictObject({
  name: nameSchema,
  description: descriptionSchema,
  matching_rules: matchingRulesSchema.prefault({}),
  /**
   * Kept as given here; the service validates it with partialConfigSchema from src/domain/config, which owns
   * the processing config shape.
   */
  processing_config: z.record(z.string(), z.unknown()).nullable().optional(),
  metadata_config: metadataConfigSchema.nullable().optional(),
  output_config: outputConfigSchema.nullable().optional(),
  is_draft: z.boolean().default(false),
  is_active: z.boolean().default(true),
})
export type TemplateInput = z.output<typeof templateInputSchema>

/**
 * PATCH /templates/{id}: every key optional, no defaults. Merge into the stored template with `applyPatch`
 * (objects merge, arrays replace) and validate the result with `validateTemplateInput`.
 */
export const templatePatchSchema = partialSchemaOf(templateInputSchema)
export type TemplatePatch = z.output<typeof templatePatchSchema>

/**
 * Everything a template must pass before it is saved: the schema, every pattern compiling on RE2, every metadata
 * template string, and, unless it is a draft, at least one rule that can match.
 */
export function validateTemplateInput(input: unknown): TemplateInput {
  const template = parseInput(templateInputSchema, input, 'template')
  validateRules(template.matching_rules)
  if (template.metadata_config != null) validateMetadataConfig(template.metadata_config)
  if (!template.is_draft) assertMatchable(template.matching_rules)
  return template
}

/** The checks that a patch can fail on its own; `assertMatchable` needs the merged template. */
export function validateTemplatePatch(patch: unknown): TemplatePatch {
  const parsed = parseInput(templatePatchSchema, patch, 'template update')
  if (parsed.matching_rules != null) validateRules(parsed.matching_rules)
  if (parsed.metadata_config != null) validateMetadataConfig(parsed.metadata_config)
  return parsed
}

function validateRules(rules: MatchingRulesInput): void {
  const caseSensitive = rules.case_sensitive ?? false
  for (const key of ['patterns', 'exclude_patterns'] as const) {
    for (const [i, pattern] of (rules[key] ?? []).entries()) {
      withPath(`matching_rules.${key}[${i}]`, () => compilePattern(pattern, caseSensitive))
    }
  }
}

function validateMetadataConfig(config: Parameters<typeof metadataTemplateStrings>[0]): void {
  for (const [field, template] of metadataTemplateStrings(config)) {
    validateTemplateString(template, `metadata_config.${field}`)
  }
}
