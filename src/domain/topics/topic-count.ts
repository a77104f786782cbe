/*
 * How many topics to ask for: by the recording's length and `topics.granularity`. `long` is the finest list
 * (a topic every ~5 minutes), `short` the coarsest (~15 minutes). At least 3 when the recording is long enough
 * for 3 YouTube chapters (10 s each), never more than it can hold.
 */
export type Granularity = 'short' | 'medium' | 'long'

const MINUTES_PER_TOPIC: Record<Granularity, number> = { short: 15, medium: 8, long: 5 }
const MAX_TOPICS: Record<Granularity, number> = { short: 8, medium: 15, long: 25 }

export interface TopicCount {
  min: number
  max: number
}

export function topicCount(durationS: number, granularity: Granularity): TopicCount {
  const fits = Math.max(1, Math.floor(Math.max(0, durationS) / 10))
  const target = Math.round(durationS / 60 / MINUTES_PER_TOPIC[granularity])
  const max = Math.min(fits, MAX_TOPICS[granularity], Math.max(3, Math.ceil(target * 1.25)))
  const min = Math.min(max, Math.max(3, Math.floor(target * 0.75)))
  return { min: Math.max(1, min), max: Math.max(1, max) }
}

/** The share of `count` for a part of the recording (`partS` of `totalS` seconds), at least 1. */
export function topicCountForPart(count: TopicCount, partS: number, totalS: number): TopicCount {
  const share = totalS > 0 ? partS / totalS : 1
  const max = Math.max(1, Math.ceil(count.max * share))
  return { min: Math.max(1, Math.min(max, Math.floor(count.min * share))), max }
}
