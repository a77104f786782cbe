import { z } from 'zod'
import { timeZoneSchema } from '../time/time-zone-schema.js'
import { strictSection } from './strict-section.js'

/**
 * The one processing config schema. Every leaf carries its default here, so the full schema, DEFAULT_CONFIG,
 * the partial (layer) schema and `listConfigPaths()` all come from this file. Keys are snake_case because they
 * appear verbatim in YAML/JSON files and the REST API.
 */

// Messages name no key: formatZodError prefixes the dotted path ("processing.padding_before: must be >= 0").
const seconds = () => z.number({ error: 'must be a number of seconds' }).min(0, 'must be >= 0 seconds')
const ratio = () =>
  z.number({ error: 'must be a number between 0 and 1' }).min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1')
const flag = () => z.boolean({ error: 'must be true or false' })
const text = () => z.string({ error: 'must be a string' })
const credentialId = () =>
  z.number({ error: 'must be a credential id (a number)' }).int('must be an integer').positive('must be positive').nullable()

const processing = strictSection({
  enabled: flag().describe('Trim silence from the recording').default(true),
  silence_threshold: z
    .number({ error: 'must be a number of dB' })
    .min(-100, 'must be between -100 and 0 dB')
    .max(0, 'must be between -100 and 0 dB')
    .describe('Audio level (dB) below which audio counts as silence')
    .default(-40),
  min_silence_duration: seconds().describe('Shortest silence (s) that counts').default(2),
  padding_before: seconds().describe('Seconds of silence kept before the first speech').default(5),
  padding_after: seconds().describe('Seconds of silence kept after the last speech').default(5),
  trim_mode: z
    .enum(['edges', 'pauses'], { error: 'must be "edges" or "pauses"' })
    .describe('edges: cut leading/trailing silence; pauses: also cut long inner pauses')
    .default('edges'),
  min_pause: seconds().describe('Inner pauses longer than this (s) are cut in pauses mode').default(3),
  pause_margin: seconds().describe('Seconds kept around speech when cutting a pause').default(0.5),
  max_cut_ratio: ratio().describe('Largest share of the runtime that may be cut (0..1)').default(0.5),
  poster_time: seconds().describe('Time (s) of the poster frame').default(10),
})

const transcription = strictSection({
  enabled: flag().describe('Transcribe the recording').default(true),
  provider: z
    .enum(['fireworks', 'fireworks-batch', 'openai'], { error: 'must be "fireworks", "fireworks-batch" or "openai"' })
    .nullable()
    .describe('Transcription service; null = not configured')
    .default(null),
  credential_id: credentialId().describe('API-key credential to use; null = your only credential of that kind').default(null),
  concurrency: z
    .number({ error: 'must be a number of requests' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 16')
    .max(16, 'must be between 1 and 16')
    .describe('Audio pieces transcribed at the same time')
    .default(4),
  model: text().min(1, 'must not be empty').nullable().describe("Model name; null = the provider's default").default(null),
  language: z
    .string({ error: 'must be a language code such as "en"' })
    .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, 'must be a language code such as "en" or "pt-BR"')
    .nullable()
    .describe('Spoken language; null = detect automatically')
    .default(null),
  prompt: text().describe('Hint text passed to the model').default(''),
  vocabulary: z
    .array(text().min(1, 'must not be empty'), {
      error: 'must be a list of words',
    })
    .describe('Words and names the model should spell correctly')
    .default(() => []),
})

const topics = strictSection({
  enabled: flag().describe('Extract topics and chapters').default(true),
  granularity: z
    .enum(['short', 'medium', 'long'], { error: 'must be "short", "medium" or "long"' })
    .describe('How fine-grained the topic list is')
    .default('long'),
  provider: z
    .enum(['deepseek', 'openai'], { error: 'must be "deepseek" or "openai"' })
    .describe('Chat service (any OpenAI-compatible /chat/completions; base URL from the credential or RECFLOW_LLM_URL)')
    .default('deepseek'),
  model: text().min(1, 'must not be empty').nullable().describe("Chat model; null = the provider's default").default(null),
  credential_id: credentialId().describe('API-key credential to use; null = your only credential of that kind').default(null),
})

const subtitles = strictSection({
  enabled: flag().describe('Generate subtitle files').default(true),
  formats: z
    .array(z.enum(['srt', 'vtt'], { error: 'must be "srt" or "vtt"' }), {
      error: 'must be a list of "srt" and "vtt"',
    })
    .min(1, 'must name at least one format (disable subtitles with subtitles.enabled=false)')
    .refine((fs) => new Set(fs).size === fs.length, 'must not repeat a format')
    .describe('Subtitle file formats')
    .default((): Array<'srt' | 'vtt'> => ['srt', 'vtt']),
})

const upload = strictSection({
  auto_upload: flag().describe('Upload to the output presets when processing finishes').default(true),
  preset_ids: z
    .array(z.number({ error: 'must be a preset id (a number)' }).int('must be an integer').positive('must be positive'), {
      error: 'must be a list of preset ids',
    })
    .refine((ids) => new Set(ids).size === ids.length, 'must not repeat an id')
    .describe('Output presets to publish to')
    .default(() => []),
  captions: flag().describe('Attach subtitles to uploaded videos').default(true),
  youtube_chunk_mib: z
    .number({ error: 'must be a number of MiB' })
    .positive('must be positive')
    .max(1024, 'must be at most 1024')
    .refine((n) => Number.isInteger(n * 4), 'must be a multiple of 0.25 (YouTube takes chunks in 256 KiB steps)')
    .describe('YouTube upload chunk size in MiB (a multiple of 0.25)')
    .default(8),
})

const metadata = strictSection({
  title_template: text().describe('Title template').default('{display_name}'),
  description_template: text().describe('Description template').default(''),
  tags: z
    .array(text().min(1, 'must not be empty'), { error: 'must be a list of strings' })
    .describe('Tags added to every upload')
    .default(() => []),
  timezone: timeZoneSchema.describe('Time zone used to render dates in templates').default('UTC'),
  thumbnail: z
    .string({ error: 'must be a file path' })
    .min(1, 'must not be empty')
    .nullable()
    .describe('Thumbnail image path; null = the poster frame')
    .default(null),
})

export const configSections = { processing, transcription, topics, subtitles, upload, metadata }

/** The full config: any missing section or key gets its default; unknown keys are rejected. */
export const processingConfigSchema = strictSection({
  processing: processing.prefault({}),
  transcription: transcription.prefault({}),
  topics: topics.prefault({}),
  subtitles: subtitles.prefault({}),
  upload: upload.prefault({}),
  metadata: metadata.prefault({}),
})

export type ProcessingConfig = z.output<typeof processingConfigSchema>
export type ConfigSectionName = keyof ProcessingConfig

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}

/** The built-in defaults layer. Frozen: copy it (deepMerge does) before changing anything. */
export const DEFAULT_CONFIG: ProcessingConfig = deepFreeze(processingConfigSchema.parse({}))
