import { z } from 'zod'
import { configSections, type ProcessingConfig } from './schema.js'
import { strictSection } from './strict-section.js'

/**
 * One layer of config (user, template, recording override, run override): any subset of the keys, where `null`
 * (or a missing key) means "inherit the value of the layer below". Values are checked with the same leaf schemas
 * as the full config, without defaults.
 */
export type PartialConfig = {
  [S in keyof ProcessingConfig]?: { [K in keyof ProcessingConfig[S]]?: ProcessingConfig[S][K] | null } | null
}

function partialSectionOf(section: z.ZodObject) {
  const shape: Record<string, z.ZodType> = {}
  for (const [key, leaf] of Object.entries(section.shape)) {
    shape[key] = (leaf instanceof z.ZodDefault ? leaf.unwrap() : leaf).nullable().optional()
  }
  return strictSection(shape).nullable().optional()
}

function buildPartialConfigSchema(): z.ZodType<PartialConfig> {
  const shape: Record<string, z.ZodType> = {}
  for (const [name, section] of Object.entries(configSections)) shape[name] = partialSectionOf(section)
  return strictSection(shape) as unknown as z.ZodType<PartialConfig>
}

export const partialConfigSchema = buildPartialConfigSchema()
