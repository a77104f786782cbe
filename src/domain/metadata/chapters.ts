import { formatDuration } from './duration.js'
import type { Topic } from './render-context.js'

/** YouTube ignores chapters shorter than this, and the whole list when it has fewer than MIN_CHAPTERS. */
export const MIN_CHAPTER_SECONDS = 10
export const MIN_CHAPTERS = 3

export interface Chapter {
  title: string
  /** Whole seconds; the first is 0. */
  start: number
}

export interface ChapterList {
  chapters: Chapter[]
  warnings: string[]
}

export interface Chapters {
  lines: string[]
  warnings: string[]
}

/**
 * Chapters from topics, valid for YouTube by construction: the first at 0:00, ascending, each at least 10 s long
 * (a topic starting less than 10 s after the previous one, or 10 s before the end, is left out), and at least 3 —
 * with fewer the list is empty (YouTube would ignore it), with a warning saying why.
 */
export function chapterList(topics: readonly Topic[], duration: number): ChapterList {
  const timed = topics
    .map((t) => ({ title: t.title.replace(/\s+/g, ' ').trim(), start: t.start }))
    .filter((t): t is { title: string; start: number } =>
      t.title !== '' && typeof t.start === 'number' && Number.isFinite(t.start) && t.start >= 0,
    )
    .sort((a, b) => a.start - b.start)
  const hasEnd = Number.isFinite(duration) && duration > 0
  const kept: Chapter[] = []
  for (const t of timed) {
    const start = kept.length === 0 ? 0 : Math.floor(t.start)
    if (hasEnd && start > duration - MIN_CHAPTER_SECONDS) break
    const previous = kept[kept.length - 1]
    if (previous !== undefined && start - previous.start < MIN_CHAPTER_SECONDS) continue
    kept.push({ title: t.title, start })
  }
  const warnings: string[] = []
  if (timed.length > kept.length) {
    warnings.push(`chapters: left out ${timed.length - kept.length} topic(s) starting within ${MIN_CHAPTER_SECONDS} s of another or of the end`)
  }
  if (kept.length > 0 && kept.length < MIN_CHAPTERS) {
    warnings.push(`chapters: only ${kept.length}; YouTube shows chapters only from ${MIN_CHAPTERS} on, so none are rendered`)
    return { chapters: [], warnings }
  }
  return { chapters: kept, warnings }
}

/** `{chapters}`: one "0:00 Title" line per chapter (empty when there is no valid list). */
export function buildChapters(topics: readonly Topic[], duration: number): Chapters {
  const { chapters, warnings } = chapterList(topics, duration)
  return { lines: chapters.map((c) => `${formatDuration(c.start)} ${c.title}`), warnings }
}

/**
 * The chapters as a WebVTT chapters file (`<track kind="chapters">`): one cue per chapter, from its start to the
 * next one's (the last to the end). Null when there is no valid chapter list.
 */
export function chaptersWebVtt(topics: readonly Topic[], duration: number): string | null {
  const { chapters } = chapterList(topics, duration)
  if (chapters.length === 0 || !(Number.isFinite(duration) && duration > 0)) return null
  const cues = chapters.map((c, i) => {
    const end = chapters[i + 1]?.start ?? duration
    // A cue's text may not contain "-->" nor blank lines.
    const title = c.title.replace(/-->/g, '→')
    return `${i + 1}\n${vttTime(c.start)} --> ${vttTime(end)}\n${title}`
  })
  return `WEBVTT\n\n${cues.join('\n\n')}\n`
}

function vttTime(seconds: number): string {
  const ms = Math.round(seconds * 1000)
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor((ms % 3_600_000) / 60_000)
  const s = Math.floor((ms % 60_000) / 1000)
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`
}
