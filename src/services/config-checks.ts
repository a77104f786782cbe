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

/** The API-key kinds each section's credential_id may name. */
const CREDENTIAL_KINDS = { transcription: ['fireworks', 'openai'], topics: ['deepseek', 'openai'] } as const

/**
 * transcription.credential_id and topics.credential_id must name the user's own API-key credential of a kind the
 * section can use. Ids already in `previous` are not checked again (a removed one can still be changed away).
 */
export async function assertConfigCredentials(
  scope: UserScope,
  config: PartialConfig | null | undefined,
  previous?: PartialConfig | null,
): Promise<void> {
  for (const section of ['transcription', 'topics'] as const) {
    const id = config?.[section]?.credential_id
    if (id == null || id === previous?.[section]?.credential_id) continue
    const row = await scope.credentials.get(id)
    const kinds: readonly string[] = CREDENTIAL_KINDS[section]
    if (row === undefined || !kinds.includes(row.platform)) {
      throw notFound(`${kinds.join(' or ')} credential`, id, `run \`recflow credentials list\` to see your credentials; ${section}.credential_id takes their ids`)
    }
  }
}
