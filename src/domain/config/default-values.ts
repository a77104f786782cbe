/**
 * The built-in default of every config leaf, as plain data with no zod: `config get` of a key the user never set
 * answers from here without building the schemas. The schema in schema.ts stays the one definition; a unit test
 * (test/unit/domain/config/default-values.test.ts) fails as soon as this table and DEFAULT_CONFIG disagree.
 */
const DEFAULT_VALUES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  processing: {
    enabled: true,
    silence_threshold: -40,
    min_silence_duration: 2,
    padding_before: 5,
    padding_after: 5,
    trim_mode: 'edges',
    min_pause: 3,
    pause_margin: 0.5,
    max_cut_ratio: 0.5,
    poster_time: 10,
  },
  transcription: { enabled: true, provider: null, credential_id: null, concurrency: 4, model: null, language: null, prompt: '', vocabulary: [] },
  topics: { enabled: true, granularity: 'long', provider: 'deepseek', model: null, credential_id: null },
  subtitles: { enabled: true, formats: ['srt', 'vtt'] },
  upload: { auto_upload: true, preset_ids: [], captions: true, youtube_chunk_mib: 8 },
  metadata: { title_template: '{display_name}', description_template: '', tags: [], timezone: 'UTC', thumbnail: null },
}

/** The whole table (for the test that keeps it equal to DEFAULT_CONFIG). */
export function defaultValues(): Record<string, Record<string, unknown>> {
  return structuredClone(DEFAULT_VALUES) as Record<string, Record<string, unknown>>
}

/**
 * `{ value }` (a copy) when `path` is exactly `section.key` of a known leaf; undefined for anything else (an unknown
 * key, a section, a deeper path), which the caller then checks against the schema to say what is wrong.
 */
export function defaultValueAt(path: string): { value: unknown } | undefined {
  const parts = path.split('.')
  if (parts.length !== 2) return undefined
  const [section, key] = parts as [string, string]
  const values = Object.hasOwn(DEFAULT_VALUES, section) ? DEFAULT_VALUES[section] : undefined
  if (!values || !Object.hasOwn(values, key)) return undefined
  return { value: structuredClone(values[key]) }
}
