import type { Recording, UserScope } from '../../db/index.js'
import type { RenderContext } from '../../domain/metadata/index.js'
import { validateTemplateInput, type MetadataConfig } from '../../domain/resources/index.js'
import type { StageType } from '../../domain/status/index.js'
import type { UserRef } from '../context.js'
import { topicRenderFields, topicSetDuration } from '../topics/active-topics.js'

/** stage_meta of a recording's completed stages, by type (the runner's `ctx.previous`). */
export type StageOutputs = Partial<Record<StageType, Record<string, unknown>>>

/** What publishing renders for a recording: the fields the metadata templates read. */
export interface PublishRenderSource {
  scope: UserScope
  user: UserRef
  recording: Recording
  previous: StageOutputs
}

/**
 * The render context of one publish: the active topic set ({summary}, {main_topics}, {topics}, {topics_list},
 * {chapters}), the recording's name and start, the processed video's duration and the user's timezone.
 */
export async function publishRenderContext({ scope, user, recording, previous }: PublishRenderSource): Promise<RenderContext> {
  const set = await scope.topicSets.active(recording.id)
  return {
    ...topicRenderFields(set),
    display_name: recording.display_name,
    start_time: recording.start_time,
    // The published video's: the processed file's, else the one the topic set was extracted from (its chapters end there).
    duration: Number(previous.PROCESS?.processed_duration ?? topicSetDuration(set) ?? recording.duration ?? 0),
    timezone: user.timezone,
  }
}

/** The recording's template's metadata_config (its overrides of the presets' metadata), or null without one. */
export async function templateMetadataConfig(scope: UserScope, recording: Pick<Recording, 'template_id'>): Promise<MetadataConfig | null> {
  if (recording.template_id === null) return null
  const t = await scope.templates.get(recording.template_id)
  if (!t) return null
  return validateTemplateInput({ name: t.name, matching_rules: {}, is_draft: true, metadata_config: t.metadata_config }).metadata_config ?? null
}
