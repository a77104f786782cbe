import { z } from 'zod'
import { strictObject } from '../resources/strict-object.js'
import { formatClock } from './duration.js'
import type { Topic } from './render-context.js'
import { charLength, truncate } from './truncate.js'

export const TOPICS_FORMATS = ['numbered_list', 'bullet_list', 'dash_list', 'comma_separated', 'inline'] as const
export type TopicsFormat = (typeof TOPICS_FORMATS)[number]

/** How `{topics_list}` (and, for the filters, `{topics}`) renders the topics of a recording. */
export const topicsDisplaySchema = strictObject({
  format: z.enum(TOPICS_FORMATS).default('numbered_list'),
  /** null = all topics. */
  max_count: z.number().int().positive().nullable().default(null),
  /** Topics with fewer characters are left out (e.g. filler like "Q&A"). */
  min_length: z.number().int().min(0).default(0),
  /** Longer topics are cut at a word boundary with an ellipsis; null = no limit. */
  max_length: z.number().int().min(2).nullable().default(null),
  /** Text before the topics: its own line for list formats, followed by a space for inline ones. */
  prefix: z.string().max(500).default(''),
  /** Between topics in comma_separated and inline formats; null = ', ' and ' · ' respectively. */
  separator: z.string().max(50).nullable().default(null),
  /** Put "00:12:34" before each topic that has a start time. */
  show_timestamps: z.boolean().default(false),
}).refine((d) => d.max_length === null || d.max_length >= d.min_length, {
  message: 'max_length must not be smaller than min_length',
  path: ['max_length'],
})

export type TopicsDisplay = z.output<typeof topicsDisplaySchema>
export type TopicsDisplayInput = z.input<typeof topicsDisplaySchema>

export const DEFAULT_TOPICS_DISPLAY: Readonly<TopicsDisplay> = Object.freeze(topicsDisplaySchema.parse({}))

interface ShownTopic {
  title: string
  start: number | null
}

/** The topics that survive min_length, max_count and blank titles, with titles cleaned and cut to max_length. */
export function selectTopics(topics: readonly Topic[], display: TopicsDisplay): ShownTopic[] {
  const shown: ShownTopic[] = []
  for (const topic of topics) {
    const title = topic.title.replace(/\s+/g, ' ').trim()
    if (title === '' || charLength(title) < display.min_length) continue
    shown.push({
      title: display.max_length === null ? title : truncate(title, display.max_length),
      start: typeof topic.start === 'number' && Number.isFinite(topic.start) ? topic.start : null,
    })
    if (display.max_count !== null && shown.length >= display.max_count) break
  }
  return shown
}

/** `{topics}`: the selected titles, comma separated, with no prefix or timestamps (fits a title). */
export function formatTopicTitles(topics: readonly Topic[], display: TopicsDisplay): string {
  return selectTopics(topics, display)
    .map((t) => t.title)
    .join(', ')
}

/** `{topics_list}`: the selected topics in the configured format. Empty when no topic survives. */
export function formatTopicsList(topics: readonly Topic[], display: TopicsDisplay): string {
  const items = selectTopics(topics, display).map((t) =>
    display.show_timestamps && t.start !== null ? `${formatClock(t.start)} ${t.title}` : t.title,
  )
  if (items.length === 0) return ''
  const prefix = display.prefix.trim()
  switch (display.format) {
    case 'numbered_list':
      return withHeading(prefix, items.map((t, i) => `${i + 1}. ${t}`))
    case 'bullet_list':
      return withHeading(prefix, items.map((t) => `• ${t}`))
    case 'dash_list':
      return withHeading(prefix, items.map((t) => `- ${t}`))
    case 'comma_separated':
      return inline(prefix, items.join(display.separator ?? ', '))
    case 'inline':
      return inline(prefix, items.join(display.separator ?? ' · '))
  }
}

function withHeading(prefix: string, lines: string[]): string {
  return (prefix === '' ? lines : [prefix, ...lines]).join('\n')
}

function inline(prefix: string, joined: string): string {
  return prefix === '' ? joined : `${prefix} ${joined}`
}
