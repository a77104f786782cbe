import type { UserScope } from '../db/index.js'
import type { PartialConfig } from '../domain/config/index.js'
import { notFound } from '../domain/errors.js'
import { validateTemplateString } from '../domain/metadata/index.js'

/*
 * Checks a config layer (the user config, a template's processing_config) needs beyond its zod schema, which
 * cannot see the metadata template language or the database.
 */

/**
 * The metadata section holds template strings; the schema only checks they are strings, so an unknown variable
 * would surface at publish time. Presets and template metadata_config refuse it when saved, and so does this.
 */
export function assertConfigTemplates(config: PartialConfig | null | undefined, where: string): void {
  const metadata = config?.metadata
  if (!metadata) return
  const prefix = where === '' ? 'metadata' : `${where}.metadata`
  if (typeof metadata.title_template === 'string') validateTemplateString(metadata.title_template, `${prefix}.title_template`)
  if (typeof metadata.description_template === 'string') {
    validateTemplateString(metadata.description_template, `${prefix}.description_template`)
  }
  for (const [i, tag] of (metadata.tags ?? []).entries()) validateTemplateString(tag, `${prefix}.tags[${i}]`)
}

/**
 * upload.preset_ids must name the user's own presets, like a template's output_config.preset_ids. Ids already
 * in `previous` are not checked again, so removing a preset does not block every later change of the config.
 */
export async function assertConfigPresets(
  scope: UserScope,
  config: PartialConfig | null | undefined,
  previous?: PartialConfig | null,
): Promise<void> {
  const known = new Set(previous?.upload?.preset_ids ?? [])
  for (const id of config?.upload?.preset_ids ?? []) {
    if (known.has(id) || (await scope.presets.get(id)) !== undefined) continue
    throw notFound('preset', id, 'run `recflow presets list` to see your presets; upload.preset_ids takes their ids')
  }
}
