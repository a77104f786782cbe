import { validationError } from '../errors.js'
import { formatZodError } from '../format-zod-error.js'
import { buildChapters } from './chapters.js'
import { formatDate, parseDateFormat, parseInstant, type DateFormatPart } from './date-format.js'
import { formatDuration } from './duration.js'
import { parseTemplate, type Segment } from './parse-template.js'
import type { RenderContext } from './render-context.js'
import {
  formatTopicsList,
  formatTopicTitles,
  topicsDisplaySchema,
  type TopicsDisplay,
  type TopicsDisplayInput,
} from './topics-display.js'
import { DATE_VARIABLE_DEFAULTS, type TemplateVariable } from './variables.js'

export interface RenderOptions {
  /** 'line' (titles, tags, file names): one line, whitespace collapsed. 'block' (descriptions): multi-line. */
  mode?: 'line' | 'block'
  topicsDisplay?: TopicsDisplayInput | null
  /** What `{title}` renders as; the recording title when not given. */
  title?: string
  /** Adds platform-specific warnings (YouTube chapter rules). */
  platform?: string
  /** Names the template in warnings, e.g. 'description_template'. */
  field?: string
}

export interface Rendered {
  text: string
  warnings: string[]
}

/**
 * Renders a metadata template. Missing data renders as empty text; in block mode a line whose placeholders all
 * came out empty is dropped and runs of blank lines collapse to one. A template that was never validated still
 * renders: a broken placeholder becomes empty text plus a warning, never a literal `{unknown}`.
 */
export function renderTemplate(template: string, ctx: RenderContext, options: RenderOptions = {}): Rendered {
  const warnings: string[] = []
  const where = options.field === undefined ? '' : `${options.field}: `
  const { segments, problems } = parseTemplate(template)
  for (const p of problems) warnings.push(`${where}${p.message} (left out)`)
  const values = valueSource(ctx, options, warnings)
  const text = options.mode === 'block' ? renderBlock(segments, values) : renderLine(segments, values)
  return { text, warnings }
}

export function renderTemplateString(template: string, ctx: RenderContext, options: RenderOptions = {}): string {
  return renderTemplate(template, ctx, options).text
}

type ValueOf = (name: TemplateVariable, date: readonly DateFormatPart[] | null) => string

function renderLine(segments: readonly Segment[], valueOf: ValueOf): string {
  return segments
    .map((s) => (s.kind === 'text' ? s.text : valueOf(s.name, s.date)))
    .join('')
    .replace(/\s+/g, ' ')
    .trim()
}

function renderBlock(segments: readonly Segment[], valueOf: ValueOf): string {
  const lines: Array<{ text: string; placeholders: number }> = [{ text: '', placeholders: 0 }]
  for (const s of segments) {
    const current = lines[lines.length - 1] as { text: string; placeholders: number }
    if (s.kind === 'variable') {
      current.text += valueOf(s.name, s.date)
      current.placeholders++
      continue
    }
    const [first = '', ...rest] = s.text.split('\n')
    current.text += first
    for (const line of rest) lines.push({ text: line, placeholders: 0 })
  }
  const kept = lines
    .filter((l) => l.placeholders === 0 || l.text.trim() !== '')
    .flatMap((l) => l.text.split('\n'))
    .map((l) => l.trimEnd())
  const out: string[] = []
  for (const line of kept) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue
    out.push(line)
  }
  while (out[out.length - 1] === '') out.pop()
  return out.join('\n')
}

function valueSource(ctx: RenderContext, options: RenderOptions, warnings: string[]): ValueOf {
  // Parsed on first use: a template without dates must not fail on a bad start_time or timezone.
  let start: Date | undefined
  let display: TopicsDisplay | undefined
  const topics = ctx.topics ?? []
  const mainTopics = (ctx.main_topics ?? []).map((t) => t.trim()).filter((t) => t !== '')
  const topicsDisplay = () => (display ??= parseTopicsDisplay(options.topicsDisplay))

  return (name, date) => {
    switch (name) {
      case 'display_name':
        return ctx.display_name.trim()
      case 'title':
        return (options.title ?? ctx.display_name).trim()
      case 'date':
      case 'date_time':
      case 'start_time':
        start ??= parseInstant(ctx.start_time)
        return formatDate(start, date ?? parseDateFormat(DATE_VARIABLE_DEFAULTS[name] as string), ctx.timezone || 'UTC')
      case 'duration':
        return formatDuration(ctx.duration)
      case 'topic':
        return mainTopics[0] ?? topics.find((t) => t.title.trim() !== '')?.title.trim() ?? ''
      case 'topics':
        return formatTopicTitles(topics, topicsDisplay())
      case 'topics_list':
        return formatTopicsList(topics, topicsDisplay())
      case 'main_topics':
        return mainTopics.join(', ')
      case 'summary':
        return (ctx.summary ?? '').trim()
      case 'chapters': {
        const chapters = buildChapters(topics, ctx.duration)
        if (options.platform === 'youtube') warnings.push(...chapters.warnings)
        return chapters.lines.join('\n')
      }
    }
  }
}

function parseTopicsDisplay(input: TopicsDisplayInput | null | undefined): TopicsDisplay {
  const parsed = topicsDisplaySchema.safeParse(input ?? {}, { reportInput: true })
  if (!parsed.success) throw validationError(formatZodError(parsed.error, 'topics_display'))
  return parsed.data
}
