import { validationError } from '../errors.js'
import { listConfigPaths } from './config-paths.js'
import { formatZodError } from '../format-zod-error.js'
import { deepMerge, isPlainObject, type PlainObject } from './merge.js'
import type { PartialConfig } from './partial-schema.js'
import { DEFAULT_CONFIG, processingConfigSchema, type ProcessingConfig } from './schema.js'
import { validatePartialConfig } from './validate-config.js'

/** The config layers, lowest first: built-in defaults < user config < template < recording override < run override. */
export const CONFIG_LAYERS = ['default', 'user', 'template', 'recording', 'run'] as const
export type ConfigLayerName = (typeof CONFIG_LAYERS)[number]

export interface ConfigLayer {
  name: ConfigLayerName
  config: PartialConfig | null | undefined
}

export interface ResolvedConfig {
  config: ProcessingConfig
  /** For every leaf path ('processing.padding_before'), the layer its value came from. */
  sources: Record<string, ConfigLayerName>
}

const LAYER_LABEL: Record<ConfigLayerName, string> = {
  default: 'default config',
  user: 'user config',
  template: 'template config',
  recording: 'recording override',
  run: 'run override',
}

// Leaves are non-object values (arrays included: they replace, so they are owned by one layer as a whole).
function collectLeafPaths(value: unknown, prefix: string, out: string[]): string[] {
  if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) collectLeafPaths(child, prefix === '' ? key : `${prefix}.${key}`, out)
  } else if (value !== null && value !== undefined && prefix !== '') {
    out.push(prefix)
  }
  return out
}

/**
 * The one config resolver, used by every stage, the CLI and the API. Layers are applied in CONFIG_LAYERS order
 * whatever order they are given in (two layers with the same name apply in the given order); each is validated
 * first, so a stale or hand-edited layer fails with its name and the offending path instead of producing a
 * half-merged config. Objects merge recursively, arrays replace, `null` inherits.
 */
export function resolveConfig(layers: readonly ConfigLayer[]): ResolvedConfig {
  const ordered = layers
    .map((layer, index) => ({ layer, index }))
    .sort((a, b) => CONFIG_LAYERS.indexOf(a.layer.name) - CONFIG_LAYERS.indexOf(b.layer.name) || a.index - b.index)
    .map(({ layer }) => layer)

  let merged: PlainObject = deepMerge(DEFAULT_CONFIG as unknown as PlainObject, null)
  const sources: Record<string, ConfigLayerName> = {}
  for (const { path } of listConfigPaths()) sources[path] = 'default'

  for (const layer of ordered) {
    if (layer.config === null || layer.config === undefined) continue
    const valid = validatePartialConfig(layer.config, LAYER_LABEL[layer.name]) as PlainObject
    merged = deepMerge(merged, valid)
    for (const path of collectLeafPaths(valid, '', [])) sources[path] = layer.name
  }

  const result = processingConfigSchema.safeParse(merged, { reportInput: true })
  if (!result.success) {
    // Every layer passed on its own, so only a rule across keys (none today) can fail here: name it as such.
    throw validationError(`the combined config is invalid: ${formatZodError(result.error)}`)
  }
  return { config: result.data, sources }
}
