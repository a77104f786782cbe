import { formatDuration } from './duration.js'
import type { Topic } from './render-context.js'

/** YouTube ignores chapters shorter than this, and the whole list when it has fewer than MIN_CHAPTERS. */
export const MIN_CHAPTER_SECONDS = 10
export const MIN_CHAPTERS = 3

export interface Chapters {
  lines: string[]
  warnings: string[]
}

/**
 * YouTube-style chapters ("0:00 Intro"), one per topic with a start time, in time order. The first chapter is
 * moved to 0:00 (YouTube requires it; the first topic covers the opening anyway), chapters starting less than
 * 10 s after the previous one or 10 s before the end are dropped, so every line stays a valid chapter.
 */
export function buildChapters(topics: readonly Topic[], duration: number): Chapters {
  const timed = topics
    .map((t) => ({ title: t.title.replace(/\s+/g, ' ').trim(), start: t.start }))
    .filter((t): t is { title: string; start: number } =>
      t.title !== '' && typeof t.start === 'number' && Number.isFinite(t.start) && t.start >= 0,
    )
    .sort((a, b) => a.start - b.start)
  const hasEnd = Number.isFinite(duration) && duration > 0
  const kept: Array<{ title: string; start: number }> = []
  for (const t of timed) {
    const start = kept.length === 0 ? 0 : Math.floor(t.start)
    if (hasEnd && kept.length > 0 && start > duration - MIN_CHAPTER_SECONDS) break
    const previous = kept[kept.length - 1]
    if (previous !== undefined && start - previous.start < MIN_CHAPTER_SECONDS) continue
    kept.push({ title: t.title, start })
  }
  const warnings: string[] = []
  if (timed.length > kept.length) {
    warnings.push(`chapters: left out ${timed.length - kept.length} topic(s) starting within ${MIN_CHAPTER_SECONDS} s of another or of the end`)
  }
  if (kept.length > 0 && kept.length < MIN_CHAPTERS) {
    warnings.push(`chapters: only ${kept.length}; YouTube shows chapters only from ${MIN_CHAPTERS} on`)
  }
  return { lines: kept.map((c) => `${formatDuration(c.start)} ${c.title}`), warnings }
}
