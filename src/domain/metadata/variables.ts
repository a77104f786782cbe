/** Every variable a title, description, tag or file-name template may use, with what it renders. */
export const TEMPLATE_VARIABLES = {
  display_name: 'the recording title',
  title: 'the rendered title (inside the title template itself: the recording title)',
  date: "the start date, default format 'DD.MM.YYYY'; {date:FORMAT} for another",
  date_time: "the start date and time, default format 'DD.MM.YYYY HH:mm'",
  start_time: "the start date and time, default format 'DD.MM.YYYY HH:mm'; e.g. {start_time:YYYY-MM-DD}",
  duration: 'the length as H:MM:SS (or M:SS under an hour)',
  topic: 'the main topic (the first main topic, else the first topic)',
  topics: 'topic titles, comma separated (topics_display filters apply)',
  topics_list: 'topics formatted as topics_display says (list format, timestamps, prefix)',
  main_topics: 'the main topics, comma separated',
  summary: 'the summary',
  chapters: 'YouTube chapters, one "0:00 Title" line per topic',
} as const

export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES

export const KNOWN_VARIABLES = Object.keys(TEMPLATE_VARIABLES) as TemplateVariable[]

/** Variables that take an inline date format, and the format used when none is given. */
export const DATE_VARIABLE_DEFAULTS: Partial<Record<TemplateVariable, string>> = {
  date: 'DD.MM.YYYY',
  date_time: 'DD.MM.YYYY HH:mm',
  start_time: 'DD.MM.YYYY HH:mm',
}

export function isTemplateVariable(name: string): name is TemplateVariable {
  return Object.hasOwn(TEMPLATE_VARIABLES, name)
}
