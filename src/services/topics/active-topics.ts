import type { TopicSet, UserScope } from '../../db/index.js'
import type { RenderContext } from '../../domain/metadata/index.js'

type TopicFields = Pick<RenderContext, 'topics' | 'main_topics' | 'summary'>

/** `{topics}`, `{topics_list}`, `{main_topics}`, `{summary}` and `{chapters}` of a topic set (nothing without one). */
export function topicRenderFields(set: TopicSet | undefined): TopicFields {
  if (set === undefined) return {}
  return { topics: set.topics as Array<{ title: string; start: number }>, main_topics: [set.main_topic], summary: set.summary }
}

/** The seconds of the processed video the set was extracted from (its chapters end there), when recorded. */
export function topicSetDuration(set: TopicSet | undefined): number | undefined {
  const d = (set?.meta as { duration?: unknown } | null | undefined)?.duration
  return typeof d === 'number' && Number.isFinite(d) && d > 0 ? d : undefined
}

/** The render fields of the recording's active topic set. */
export async function activeTopicFields(scope: UserScope, recordingId: number): Promise<TopicFields & { duration?: number }> {
  const set = await scope.topicSets.active(recordingId)
  const duration = topicSetDuration(set)
  return duration === undefined ? topicRenderFields(set) : { ...topicRenderFields(set), duration }
}
