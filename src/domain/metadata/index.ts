export type { RenderContext, Topic } from './render-context.js'
export { TEMPLATE_VARIABLES, KNOWN_VARIABLES, DATE_VARIABLE_DEFAULTS, isTemplateVariable } from './variables.js'
export type { TemplateVariable } from './variables.js'
export { parseTemplate, validateTemplateString } from './parse-template.js'
export type { ParsedTemplate, Segment, TemplateProblem } from './parse-template.js'
export { DATE_TOKENS, parseDateFormat, formatDate, parseInstant } from './date-format.js'
export type { DateToken, DateFormatPart } from './date-format.js'
export { formatDuration, formatClock } from './duration.js'
export {
  TOPICS_FORMATS,
  topicsDisplaySchema,
  DEFAULT_TOPICS_DISPLAY,
  selectTopics,
  formatTopicTitles,
  formatTopicsList,
} from './topics-display.js'
export type { TopicsFormat, TopicsDisplay, TopicsDisplayInput } from './topics-display.js'
export { buildChapters, chapterList, chaptersWebVtt, MIN_CHAPTERS, MIN_CHAPTER_SECONDS } from './chapters.js'
export type { Chapter, ChapterList, Chapters } from './chapters.js'
export { truncate, charLength, utf8Length } from './truncate.js'
export type { Measure, TruncateOptions } from './truncate.js'
export { renderTemplate, renderTemplateString } from './render-template.js'
export type { RenderOptions, Rendered } from './render-template.js'
export { PLATFORMS, PLATFORM_LIMITS, applyPlatformLimits } from './platform-limits.js'
export type { Platform, PublishedMetadata, LimitedMetadata } from './platform-limits.js'
export {
  renderPresetMetadata,
  mergeMetadataTemplates,
  DEFAULT_TITLE_TEMPLATE,
} from './render-preset-metadata.js'
export type { MetadataTemplates, RenderedMetadata } from './render-preset-metadata.js'
