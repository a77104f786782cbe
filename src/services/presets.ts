import type { Preset } from '../db/index.js'
import { notFound, usageError } from '../domain/errors.js'
import { parseInstant, renderPresetMetadata, type Platform, type RenderContext } from '../domain/metadata/index.js'
import {
  applyPatch,
  effectivePresetMetadata,
  validatePresetInput,
  validatePresetPatch,
  type MetadataConfig,
  type PresetMetadata,
} from '../domain/resources/index.js'
import { refusePastPublishAt, type PublishFiles } from '../domain/publish/index.js'
import type { ServiceDeps, UserRef } from './context.js'
import type { ListOptions } from './paging.js'
import { ownedResource } from './owned-resource.js'
import { completedStageOutputs, publishFiles, publishRequestFor } from './publish/publish-request.js'
import { publishRenderContext, templateMetadataConfig } from './publish/render-context.js'
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

/** Stand-ins for a sample recording's files, so the preview shows where they go. */
const SAMPLE_FILES: PublishFiles = {
  poster: '(the recording’s poster frame)',
  subtitles: { file: '(the recording’s subtitles, .srt)', language: null },
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

const publishAtOf = (metadata: unknown): unknown => (metadata as { publish_at?: unknown } | null | undefined)?.publish_at

export function presetsService({ scopes, clock }: ServiceDeps) {
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

    create: async (user: UserRef, input: unknown): Promise<Preset> => {
      const valid = validatePresetInput(input)
      refusePastPublishAt(publishAtOf(valid.preset_metadata), clock.now(), 'preset', 'preset_metadata.publish_at')
      return presets.create(user, valid)
    },

    update: (user: UserRef, id: number, patch: unknown): Promise<Preset> =>
      presets.update(user, id, (current) => {
        const checked = validatePresetPatch(patch, current.platform as Platform)
        // Only a publish_at this edit sets must be ahead: a stored one that has passed never blocks other edits.
        refusePastPublishAt(publishAtOf(checked.preset_metadata), clock.now(), 'preset', 'preset_metadata.publish_at')
        return validatePresetInput(applyPatch(toInput(current), checked))
      }),

    /**
     * Refused while templates, recording overrides or the user config name the preset, unless `force`, which
     * takes it out of them in the same transaction (reported in `detached`).
     */
    remove: presets.remove,

    /**
     * Title, description and tags as they would be published, with the platform limits applied; for YouTube and VK
     * presets also the exact requests (`request`), built as the publishing stage builds them.
     */
    async render(user: UserRef, input: RenderInput) {
      const preset = await get(user, input.presetId)
      const platform = preset.platform as Platform
      // Checked up front: a title without a date would otherwise render and hide a typo in the sample time.
      if (input.sample?.start_time !== undefined) parseInstant(input.sample.start_time)
      let ctx: RenderContext = { ...SAMPLE, timezone: user.timezone, ...input.sample }
      let config: MetadataConfig | null = null
      let files: PublishFiles = SAMPLE_FILES
      let recording: { id: number; display_name: string } | null = null
      let templateId: number | null = null
      if (input.recordingId !== undefined) {
        if (input.sample) throw usageError('give either a recording or sample values, not both')
        const s = scope(user)
        const rec = await s.recordings.get(input.recordingId)
        if (!rec) throw notFound('recording', input.recordingId, 'run `recflow recordings list` to see recording ids')
        recording = { id: rec.id, display_name: rec.display_name }
        // What the publishing stage renders with: the active topic set, the processed video's duration, the template.
        const previous = await completedStageOutputs(s, rec)
        ctx = await publishRenderContext({ scope: s, user, recording: rec, previous })
        config = await templateMetadataConfig(s, rec)
        templateId = rec.template_id
        files = publishFiles(previous)
      }
      const head = { preset: { id: preset.id, name: preset.name, platform }, recording, sample: recording === null }
      if (platform === 'local') {
        const stored = validatePresetInput(toInput(preset)).preset_metadata as PresetMetadata
        const metadata = effectivePresetMetadata(platform, stored as never, config) as PresetMetadata
        return { ...head, ...renderPresetMetadata(platform, metadata, null, ctx), request: null }
      }
      const built = publishRequestFor(preset, config, ctx, files, clock.now(), templateId)
      return { ...head, ...built.rendered, warnings: built.warnings, request: built.request }
    },
  }
}

export type PresetsService = ReturnType<typeof presetsService>
