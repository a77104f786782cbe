import type { Preset } from '../db/index.js'
import { notFound, usageError } from '../domain/errors.js'
import { parseInstant, renderPresetMetadata, type Platform, type RenderContext } from '../domain/metadata/index.js'
import {
  applyPatch,
  effectivePresetMetadata,
  validatePresetInput,
  validatePresetPatch,
  validateTemplateInput,
  type PresetMetadata,
} from '../domain/resources/index.js'
import type { ServiceDeps, UserRef } from './context.js'
import type { ListOptions } from './paging.js'
import { ownedResource } from './owned-resource.js'
import { activeTopicFields } from './topics/active-topics.js'
import { detachPreset, presetUsers } from './references.js'

export interface RenderInput {
  presetId: number
  /** Render for this recording (its template's metadata overrides apply); without it a sample recording is used. */
  recordingId?: number
  /** Sample values when no recording is given. */
  sample?: Partial<Pick<RenderContext, 'display_name' | 'start_time' | 'duration' | 'summary'>> & {
    topics?: Array<{ title: string; start?: number }>
  }
}

const SAMPLE: RenderContext = {
  display_name: 'Distributed Systems — Lecture 5',
  start_time: '2026-03-02T09:00:00Z',
  duration: 5400,
  timezone: 'UTC',
  topics: [
    { title: 'Introduction', start: 0 },
    { title: 'Replicated logs', start: 600 },
    { title: 'Leader election', start: 1800 },
    { title: 'Homework', start: 4800 },
  ],
  main_topics: ['Replicated logs', 'Leader election'],
  summary: 'Why consensus is hard, replicated logs, and leader election.',
}

function toInput(p: Preset): Record<string, unknown> {
  return {
    name: p.name,
    description: p.description,
    platform: p.platform,
    credential_id: p.credential_id,
    preset_metadata: p.preset_metadata,
    is_active: p.is_active,
  }
}

export function presetsService({ scopes }: ServiceDeps) {
  const scope = (user: UserRef) => scopes.forUser(user.id)

  const presets = ownedResource({
    what: 'preset',
    scope,
    repository: (s) => s.presets,
    references: { users: presetUsers, detach: detachPreset },
  })
  const get = presets.get

  return {
    get,

    list: (user: UserRef, opts: ListOptions & { platform?: Platform; activeOnly?: boolean } = {}) =>
      scope(user).presets.list({ platform: opts.platform, activeOnly: opts.activeOnly }, opts),

    create: async (user: UserRef, input: unknown): Promise<Preset> => presets.create(user, validatePresetInput(input)),

    update: (user: UserRef, id: number, patch: unknown): Promise<Preset> =>
      presets.update(user, id, (current) => validatePresetInput(applyPatch(toInput(current), validatePresetPatch(patch, current.platform as Platform)))),

    /**
     * Refused while templates, recording overrides or the user config name the preset, unless `force`, which
     * takes it out of them in the same transaction (reported in `detached`).
     */
    remove: presets.remove,

    /** Title, description and tags as they would be published, with the platform limits applied. */
    async render(user: UserRef, input: RenderInput) {
      const preset = await get(user, input.presetId)
      const platform = preset.platform as Platform
      const stored = validatePresetInput(toInput(preset))
      // Checked up front: a title without a date would otherwise render and hide a typo in the sample time.
      if (input.sample?.start_time !== undefined) parseInstant(input.sample.start_time)
      let ctx: RenderContext = { ...SAMPLE, timezone: user.timezone, ...input.sample }
      let metadata = stored.preset_metadata as PresetMetadata
      let recording: { id: number; display_name: string } | null = null
      if (input.recordingId !== undefined) {
        if (input.sample) throw usageError('give either a recording or sample values, not both')
        const rec = await scope(user).recordings.get(input.recordingId)
        if (!rec) throw notFound('recording', input.recordingId, 'run `recflow recordings list` to see recording ids')
        recording = { id: rec.id, display_name: rec.display_name }
        // Topics, summary and chapters from the active topic set; its duration is the processed video's, which is
        // what gets published (and where chapters must end).
        ctx = { display_name: rec.display_name, start_time: rec.start_time, duration: rec.duration ?? 0, timezone: user.timezone, ...(await activeTopicFields(scope(user), rec.id)) }
        if (rec.template_id !== null) {
          const template = await scope(user).templates.get(rec.template_id)
          if (template) {
            const config = validateTemplateInput({ name: template.name, matching_rules: {}, is_draft: true, metadata_config: template.metadata_config }).metadata_config
            metadata = effectivePresetMetadata(platform, metadata as never, config) as PresetMetadata
          }
        }
      }
      const rendered = renderPresetMetadata(platform, metadata, null, ctx)
      return { preset: { id: preset.id, name: preset.name, platform }, recording, sample: recording === null, ...rendered }
    },
  }
}

export type PresetsService = ReturnType<typeof presetsService>
