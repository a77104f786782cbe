import type { Recording, UserScope } from '../db/index.js'
import type { ConfigLayerName, PartialConfig } from '../domain/config/index.js'
import { isPlainObject } from '../domain/config/merge.js'
import { assertConfigCredentials, assertConfigPresets, assertConfigTemplates } from './config-checks.js'
import type { ServiceDeps, UserRef } from './context.js'
import { liveRecording } from './live-recording.js'

/** A recording's effective config: each value with the layer it came from (default < user < template < recording). */
export interface RecordingConfig {
  recording_id: number
  template_id: number | null
  config: Record<string, unknown>
  /** Config path (`trimming.mode`) -> the layer its value came from. */
  sources: Record<string, ConfigLayerName>
  /** The recording's own layer (the manual override), as stored; null when it has none. */
  override: PartialConfig | null
}

const configDomain = () => import('../domain/config/index.js')

/** The cascade a pipeline run of this recording resolves (without a run's own override), with its layers. */
async function resolveFor(scope: UserScope, rec: Recording, override: unknown): Promise<Omit<RecordingConfig, 'override'>> {
  const { resolveConfig } = await configDomain()
  const [user, template] = await Promise.all([scope.configs.get(), rec.template_id === null ? undefined : scope.templates.get(rec.template_id)])
  const { config, sources } = resolveConfig([
    { name: 'user', config: (user?.config ?? null) as PartialConfig | null },
    { name: 'template', config: (template?.processing_config ?? null) as PartialConfig | null },
    { name: 'recording', config: (override ?? null) as PartialConfig | null },
  ])
  return { recording_id: rec.id, template_id: rec.template_id, config: config as unknown as Record<string, unknown>, sources }
}

const storedOverride = (rec: Recording): PartialConfig | null =>
  isPlainObject(rec.processing_config_override) && Object.keys(rec.processing_config_override).length > 0 ? (rec.processing_config_override as PartialConfig) : null

/** Reads the recording's resolved config with the layer of each value. */
export async function showRecordingConfig(deps: Pick<ServiceDeps, 'scopes'>, user: UserRef, id: number): Promise<RecordingConfig> {
  const scope = deps.scopes.forUser(user.id)
  const rec = await liveRecording(scope, id)
  const override = storedOverride(rec)
  return { ...(await resolveFor(scope, rec, override)), override }
}

/**
 * Replaces the recording's manual override layer (null or `{}` drops it). Checked like the user's layer: the
 * config schema, metadata template strings, presets and credentials the caller owns, and the whole cascade must
 * still resolve. One (immediate) transaction: the checks see what is written.
 */
export async function setRecordingConfig(deps: Pick<ServiceDeps, 'scopes'>, user: UserRef, id: number, override: unknown): Promise<RecordingConfig> {
  const { validatePartialConfig } = await configDomain()
  return deps.scopes.forUser(user.id).transaction(async (tx) => {
    const rec = await liveRecording(tx, id)
    const checked = override === null ? null : validatePartialConfig(override, 'recording config override')
    const next = checked !== null && Object.keys(checked).length > 0 ? checked : null
    if (next !== null) {
      const previous = storedOverride(rec)
      assertConfigTemplates(next, '')
      await assertConfigPresets(tx, next, previous)
      await assertConfigCredentials(tx, next, previous)
    }
    const resolved = await resolveFor(tx, rec, next)
    await tx.recordings.update(id, { processing_config_override: next })
    return { ...resolved, override: next }
  })
}
