/** What a recording contributes to rendered metadata. Optional parts render as empty text when missing. */
export interface RenderContext {
  display_name: string
  /** ISO 8601 instant; a timestamp without an offset is read as UTC, never as the machine's local time. */
  start_time: string
  /** Seconds. */
  duration: number
  /** IANA name, e.g. 'Europe/Berlin'; dates and times render in it. */
  timezone: string
  /** Topics in playback order; `start` in seconds from the beginning of the published video. */
  topics?: ReadonlyArray<{ title: string; start?: number | null }> | null
  main_topics?: readonly string[] | null
  summary?: string | null
}

export type Topic = NonNullable<RenderContext['topics']>[number]
