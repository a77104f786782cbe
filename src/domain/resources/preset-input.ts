import { z } from 'zod'
import { validateTemplateString } from '../metadata/parse-template.js'
import { PLATFORMS, type Platform } from '../metadata/platform-limits.js'
import { descriptionSchema, nameSchema, noCredential, requiredCredential } from './common-fields.js'
import { parseInput } from './parse-input.js'
import { metadataTemplateStrings, presetMetadataSchemas } from './preset-metadata.js'
import { partialSchemaOf, strictObject } from './strict-object.js'

const common = {
  name: nameSchema,
  description: descriptionSchema,
  is_active: z.boolean().default(true),
}

const youtubePreset = strictObject({
  ...common,
  platform: z.literal('youtube'),
  credential_id: requiredCredential('youtube presets', 'youtube'),
  preset_metadata: presetMetadataSchemas.youtube.prefault({}),
})
const vkPreset = strictObject({
  ...common,
  platform: z.literal('vk'),
  credential_id: requiredCredential('vk presets', 'vk'),
  preset_metadata: presetMetadataSchemas.vk.prefault({}),
})
const localPreset = strictObject({
  ...common,
  platform: z.literal('local'),
  credential_id: noCredential('local presets'),
  preset_metadata: presetMetadataSchemas.local,
})

/** An output preset as created through the CLI (flags or --file) and POST /presets; metadata checked per platform. */
export const presetInputSchema = z.discriminatedUnion('platform', [youtubePreset, vkPreset, localPreset])
export type PresetInput = z.output<typeof presetInputSchema>

/**
 * PATCH bodies per platform (the platform itself cannot change). preset_metadata is partial and merges into the
 * stored metadata with `applyPatch`; validate the merged preset with `validatePresetInput`.
 */
export const presetPatchSchemas = {
  youtube: partialSchemaOf(youtubePreset).extend({ platform: z.literal('youtube').optional() }),
  vk: partialSchemaOf(vkPreset).extend({ platform: z.literal('vk').optional() }),
  local: partialSchemaOf(localPreset).extend({ platform: z.literal('local').optional() }),
}
/** Any platform's patch shape, for documentation (OpenAPI); validate with `validatePresetPatch`. */
export const presetPatchSchema = z.union([presetPatchSchemas.youtube, presetPatchSchemas.vk, presetPatchSchemas.local])
export type PresetPatch = z.output<typeof presetPatchSchema>

export function presetPatchSchemaFor(platform: Platform) {
  return presetPatchSchemas[platform]
}

/** Schema, then every template string in preset_metadata (unknown variables, bad date formats). */
export function validatePresetInput(input: unknown): PresetInput {
  const preset = parseInput(presetInputSchema, input, 'preset')
  validateMetadataTemplates(preset.preset_metadata)
  return preset
}

export function validatePresetPatch(patch: unknown, platform: Platform): PresetPatch {
  if (!PLATFORMS.includes(platform)) throw new TypeError(`unknown platform ${String(platform)}`)
  const parsed = parseInput(presetPatchSchemaFor(platform), patch, 'preset update')
  if (parsed.preset_metadata != null) validateMetadataTemplates(parsed.preset_metadata)
  return parsed
}

function validateMetadataTemplates(metadata: Parameters<typeof metadataTemplateStrings>[0]): void {
  for (const [field, template] of metadataTemplateStrings(metadata)) {
    validateTemplateString(template, `preset_metadata.${field}`)
  }
}
