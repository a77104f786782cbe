import os from 'node:os'
import path from 'node:path'
import { Flags } from '@oclif/core'
import { readStructuredFile } from '../platform/input-file.js'
import { RecflowError, usageError } from '../domain/errors.js'
import { applyPatch, POSTER_THUMBNAIL } from '../domain/resources/index.js'

/**
 * Flag sets shared by `add` and `edit` commands, and pure builders that turn parsed flags into the same input
 * documents a `--file` holds. Both paths then go through the one zod schema in the service.
 */
export const fileFlag = Flags.string({
  char: 'f',
  summary: 'Read the resource from a JSON or YAML file (- for stdin); flags given too override its fields.',
})

export const templateFlags = {
  description: Flags.string({ summary: 'A note about what the template is for.' }),
  exact: Flags.string({ summary: 'Match a recording whose whole title equals this (repeatable).', multiple: true }),
  keyword: Flags.string({ char: 'k', summary: 'Match a recording whose title contains this (repeatable).', multiple: true }),
  pattern: Flags.string({ char: 'p', summary: 'Match a recording whose title matches this RE2 regex (repeatable).', multiple: true }),
  'exclude-keyword': Flags.string({ summary: 'Never match a title containing this (repeatable).', multiple: true }),
  'exclude-pattern': Flags.string({ summary: 'Never match a title matching this regex (repeatable).', multiple: true }),
  source: Flags.integer({ summary: 'Only recordings from this source id (repeatable; a filter, not a match).', multiple: true }),
  'case-sensitive': Flags.boolean({ summary: 'Compare titles case-sensitively.', allowNo: true }),
  preset: Flags.integer({ summary: 'Publish with this output preset id (repeatable).', multiple: true }),
  'zoom-after-archive': Flags.string({
    summary: "Zoom recordings: once the local copy is verified and every preset published, keep the cloud copy or move it to Zoom's trash.",
    options: ['keep', 'trash'],
  }),
  title: Flags.string({ summary: 'Title template overriding the presets’, e.g. "{display_name} ({date})".' }),
  draft: Flags.boolean({ summary: 'Save as a draft: it never matches recordings.', allowNo: true }),
  active: Flags.boolean({ summary: 'Whether the template is active.', allowNo: true }),
}

type TemplateFlagValues = {
  [K in keyof typeof templateFlags]?: unknown
} & { name?: string }

const set = (target: Record<string, unknown>, key: string, value: unknown) => {
  if (value !== undefined) target[key] = value
}

/** Template document from flags (only the fields the flags set; empty for none). */
export function templateInputFromFlags(f: TemplateFlagValues): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  set(out, 'name', f.name)
  set(out, 'description', f.description)
  const rules: Record<string, unknown> = {}
  set(rules, 'exact_matches', f.exact)
  set(rules, 'keywords', f.keyword)
  set(rules, 'patterns', f.pattern)
  set(rules, 'exclude_keywords', f['exclude-keyword'])
  set(rules, 'exclude_patterns', f['exclude-pattern'])
  set(rules, 'source_ids', f.source)
  set(rules, 'case_sensitive', f['case-sensitive'])
  if (Object.keys(rules).length > 0) out.matching_rules = rules
  const output: Record<string, unknown> = {}
  set(output, 'preset_ids', f.preset)
  set(output, 'zoom_after_archive', f['zoom-after-archive'])
  if (Object.keys(output).length > 0) out.output_config = output
  if (f.title !== undefined) out.metadata_config = { title_template: f.title }
  set(out, 'is_draft', f.draft)
  set(out, 'is_active', f.active)
  return out
}

export const presetFlags = {
  credential: Flags.integer({ summary: 'Credential id to publish with (YouTube and VK presets).' }),
  description: Flags.string({ summary: 'A note about what the preset is for.' }),
  title: Flags.string({ summary: 'Title template, e.g. "{display_name} — {date}".' }),
  'description-template': Flags.string({ summary: 'Description template, e.g. "{summary}\\n\\n{chapters}".' }),
  tag: Flags.string({ summary: 'A tag (repeatable; may use variables).', multiple: true }),
  privacy: Flags.string({ summary: 'YouTube: private, unlisted or public. VK: all, friends, friends_of_friends, only_me.' }),
  playlist: Flags.string({ summary: 'YouTube playlist id to add videos to.' }),
  album: Flags.integer({ summary: 'VK album id to add videos to.' }),
  destination: Flags.string({ summary: 'Local presets: the folder to publish into.' }),
  'name-template': Flags.string({ summary: 'Local presets: file name template, e.g. "{start_time:YYYY-MM-DD} {display_name}".' }),
  captions: Flags.boolean({
    summary:
      'Subtitles (default on). YouTube: upload the .srt as a caption track. Local: copy name.srt, name.vtt and name.chapters.vtt next to the video.',
    allowNo: true,
  }),
  thumbnail: Flags.string({ summary: 'YouTube and VK: a .jpg or .png to use as the thumbnail, or "poster" for the poster frame.' }),
  'publish-at': Flags.string({ summary: 'YouTube: publish at this time, private until then: ISO 8601 with offset (2026-03-02T18:00:00+01:00), or +Nd HH:MM after the upload day in your time zone (+1d 18:00).' }),
  category: Flags.string({ summary: 'YouTube: numeric category id (27 Education, 28 Science & Technology).' }),
  'made-for-kids': Flags.boolean({ summary: 'YouTube: declare the videos made for kids (default no).', allowNo: true }),
  embeddable: Flags.boolean({ summary: 'YouTube: whether other sites may embed the videos.', allowNo: true }),
  license: Flags.string({ summary: 'YouTube: the videos\' license.', options: ['youtube', 'creativeCommon'] }),
  'public-stats': Flags.boolean({ summary: 'YouTube: whether the view count is public.', allowNo: true }),
  language: Flags.string({ summary: 'YouTube: BCP-47 language of title and description, e.g. en or de-AT.' }),
  'captions-language': Flags.string({ summary: "YouTube: the caption track's language (default: the transcript's)." }),
  'notify-subscribers': Flags.boolean({ summary: 'YouTube: tell subscribers about each new video (default on).', allowNo: true }),
  group: Flags.integer({ summary: "VK: upload to this community (its positive id) instead of your page." }),
  'privacy-comment': Flags.string({ summary: 'VK: who can comment: all, friends, friends_of_friends, only_me.' }),
  comments: Flags.boolean({ summary: 'VK: allow comments (--no-comments turns them off).', allowNo: true }),
  repeat: Flags.boolean({ summary: 'VK: loop playback.', allowNo: true }),
  wallpost: Flags.boolean({ summary: 'VK: post each video to the wall.', allowNo: true }),
  active: Flags.boolean({ summary: 'Whether the preset is active.', allowNo: true }),
}

type PresetFlagValues = { [K in keyof typeof presetFlags]?: unknown } & { name?: string; platform?: string }

export function presetInputFromFlags(f: PresetFlagValues, resolvePath: (p: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  set(out, 'name', f.name)
  set(out, 'platform', f.platform)
  set(out, 'credential_id', f.credential)
  set(out, 'description', f.description)
  set(out, 'is_active', f.active)
  const meta: Record<string, unknown> = {}
  set(meta, 'title_template', f.title)
  set(meta, 'description_template', typeof f['description-template'] === 'string' ? f['description-template'].replace(/\\n/g, '\n') : undefined)
  set(meta, 'tags', f.tag)
  if (f.privacy !== undefined) set(meta, f.platform === 'vk' ? 'privacy_view' : 'privacy', f.privacy)
  set(meta, 'playlist_id', f.playlist)
  set(meta, 'album_id', f.album)
  set(meta, 'destination', typeof f.destination === 'string' ? resolvePath(f.destination) : undefined)
  set(meta, 'name_template', f['name-template'])
  set(meta, 'captions', f.captions)
  set(meta, 'thumbnail', typeof f.thumbnail === 'string' && f.thumbnail !== POSTER_THUMBNAIL && !isHomePath(f.thumbnail) ? resolvePath(f.thumbnail) : f.thumbnail)
  set(meta, 'publish_at', f['publish-at'])
  set(meta, 'category_id', f.category)
  set(meta, 'made_for_kids', f['made-for-kids'])
  set(meta, 'embeddable', f.embeddable)
  set(meta, 'license', f.license)
  set(meta, 'public_stats_viewable', f['public-stats'])
  set(meta, 'default_language', f.language)
  set(meta, 'captions_language', f['captions-language'])
  set(meta, 'notify_subscribers', f['notify-subscribers'])
  set(meta, 'group_id', f.group)
  set(meta, 'privacy_comment', f['privacy-comment'])
  set(meta, 'no_comments', typeof f.comments === 'boolean' ? !f.comments : undefined)
  set(meta, 'repeat', f.repeat)
  set(meta, 'wallpost', f.wallpost)
  // With a platform (a new preset) the section is always there, so a missing field is named (".destination").
  if (Object.keys(meta).length > 0 || f.platform !== undefined) out.preset_metadata = meta
  return out
}

/** Preset flags that only some platforms have (the others are shared by all). */
const PRESET_FLAG_PLATFORMS: Record<string, readonly string[]> = {
  credential: ['youtube', 'vk'],
  privacy: ['youtube', 'vk'],
  playlist: ['youtube'],
  album: ['vk'],
  destination: ['local'],
  'name-template': ['local'],
  captions: ['youtube', 'local'],
  thumbnail: ['youtube', 'vk'],
  'publish-at': ['youtube'],
  category: ['youtube'],
  'made-for-kids': ['youtube'],
  embeddable: ['youtube'],
  license: ['youtube'],
  'public-stats': ['youtube'],
  language: ['youtube'],
  'captions-language': ['youtube'],
  'notify-subscribers': ['youtube'],
  group: ['vk'],
  'privacy-comment': ['vk'],
  comments: ['vk'],
  repeat: ['vk'],
  wallpost: ['vk'],
}

/**
 * Refuses preset flags of another platform than the preset's, before anything is written: `--privacy` on a local
 * preset says "--privacy is a youtube/vk setting; preset 3 publishes to local" (a usage error, exit 2), where the
 * schema would only say "unknown key 'privacy'". `subject` names the preset ("preset 3", "this preset").
 */
export function refuseOtherPlatformFlags(f: PresetFlagValues, platform: string, subject: string): void {
  const foreign = Object.entries(PRESET_FLAG_PLATFORMS).filter(
    ([flag, platforms]) => f[flag as keyof PresetFlagValues] !== undefined && !platforms.includes(platform),
  )
  if (foreign.length === 0) return
  const clauses = foreign.map(([flag, platforms]) => `--${flag} is a ${platforms.join('/')} setting`)
  const own = Object.keys(PRESET_FLAG_PLATFORMS).filter((flag) => PRESET_FLAG_PLATFORMS[flag]!.includes(platform))
  const hint = own.length > 0
    ? `a ${platform} preset takes ${own.map((flag) => `--${flag}`).join(', ')} (see \`recflow presets edit --help\`); a preset's platform never changes, so add another with \`recflow presets add --platform ...\``
    : 'see `recflow presets edit --help`'
  throw usageError(`${clauses.join('; ')}; ${subject} publishes to ${platform}`, hint)
}

export const sourceFlags = {
  path: Flags.string({ summary: 'Local sources: the folder to scan for recordings.' }),
  glob: Flags.string({ summary: 'Local sources: which files to take, e.g. "**/*.mp4".' }),
  'name-pattern': Flags.string({ summary: 'Local sources: RE2 regex with named groups (year, month, day, hour, minute, title) read from file names.' }),
  credential: Flags.integer({ summary: 'Zoom sources: the credential id to list recordings with.' }),
  'zoom-user': Flags.string({ summary: 'Zoom sources: whose recordings to list (default "me").' }),
  users: Flags.string({ summary: 'Zoom sources: whose recordings to list, comma-separated: me, user ids or emails (e.g. me,alice@example.edu).' }),
  from: Flags.string({ summary: 'Zoom sources: list recordings from this date on (yyyy-mm-dd, UTC; default: 30 days before the first sync).' }),
  to: Flags.string({ summary: 'Zoom sources: list recordings up to this date (yyyy-mm-dd, UTC; default: today).' }),
  active: Flags.boolean({ summary: 'Whether the source is synced.', allowNo: true }),
  'allow-missing': Flags.boolean({
    summary: 'Local sources: accept a folder that does not exist yet (a drive not mounted), with a warning.',
  }),
}

/** A --path as typed: relative to the working directory; `~` is left for the service, which knows the home. */
export function resolveFolderFlag(folder: string): string {
  return folder === '~' || folder.startsWith('~/') ? folder : path.resolve(folder)
}

type SourceFlagValues = { [K in keyof typeof sourceFlags]?: unknown } & { name?: string; platform?: string }

export function sourceInputFromFlags(f: SourceFlagValues, resolvePath: (p: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  set(out, 'name', f.name)
  set(out, 'platform', f.platform)
  set(out, 'credential_id', f.credential)
  set(out, 'is_active', f.active)
  const config: Record<string, unknown> = {}
  set(config, 'path', typeof f.path === 'string' ? resolvePath(f.path) : undefined)
  set(config, 'glob', f.glob)
  set(config, 'name_pattern', f['name-pattern'])
  set(config, 'user_id', f['zoom-user'])
  set(config, 'users', typeof f.users === 'string' ? f.users.split(',').map((u) => u.trim()) : undefined)
  set(config, 'from', f.from)
  set(config, 'to', f.to)
  if (Object.keys(config).length > 0 || f.platform !== undefined) out.config = config
  return out
}

/** `--file` content (an object) with flag values laid over it; a file holding a list or a scalar is refused. */
export function documentFrom(file: string | undefined, fromFlags: Record<string, unknown>): Record<string, unknown> {
  if (file === undefined) return fromFlags
  const doc = readStructuredFile(file)
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    const got = doc === null || doc === undefined ? 'nothing (it is empty)' : Array.isArray(doc) ? 'a list' : `a ${typeof doc}`
    const where = file === '-' ? 'stdin' : file
    throw usageError(`${where} must hold one object (a mapping of fields), not ${got}`, 'write the fields as a YAML mapping or a JSON object, e.g. {"name": "Math"}')
  }
  return applyPatch(doc as Record<string, unknown>, fromFlags)
}

const isHomePath = (p: string): boolean => p.startsWith('~/')

/**
 * Thumbnail files of a preset (`preset_metadata.thumbnail`) or a template document (`metadata_config.youtube|vk
 * .thumbnail`) made absolute: relative to the --file's folder (the working directory for stdin or flags), so
 * publishing later, from anywhere, finds the same image; `~/` is your home. `poster` and absolute paths stay.
 */
export function withAbsoluteThumbnail(doc: Record<string, unknown>, file: string | undefined): Record<string, unknown> {
  const base = file === undefined || file === '-' ? process.cwd() : path.dirname(path.resolve(file))
  const absolute = (section: unknown): unknown => {
    const thumbnail = (section as Record<string, unknown> | null | undefined)?.thumbnail
    if (typeof thumbnail !== 'string' || thumbnail.trim() === POSTER_THUMBNAIL || path.isAbsolute(thumbnail)) return section
    const file = isHomePath(thumbnail) ? path.join(os.homedir(), thumbnail.slice(2)) : path.resolve(base, thumbnail)
    return { ...(section as Record<string, unknown>), thumbnail: file }
  }
  const out = { ...doc }
  if (out.preset_metadata != null) out.preset_metadata = absolute(out.preset_metadata)
  const config = out.metadata_config as Record<string, unknown> | null | undefined
  if (config != null && typeof config === 'object') {
    out.metadata_config = { ...config, ...(config.youtube != null ? { youtube: absolute(config.youtube) } : {}), ...(config.vk != null ? { vk: absolute(config.vk) } : {}) }
  }
  return out
}

/** A number flag taking what the config schema takes (`--threshold -40.5`); ranges are the schema's to check. */
const numberFlag = Flags.custom<number>({
  parse: async (input) => {
    const n = Number(input)
    if (input.trim() === '' || !Number.isFinite(n)) throw new Error(`expected a number, got "${input}"`)
    return n
  },
})

/** Trim settings for one run (`recordings process`), each a key of the config's `processing` section. */
export const trimFlags = {
  mode: Flags.string({ summary: 'edges: cut leading/trailing silence; pauses: also inner pauses.', options: ['edges', 'pauses'], env: 'RECFLOW_TRIM_MODE' }),
  threshold: numberFlag({ summary: 'Silence below this level, in dB (-100 to 0, e.g. -40.5).' }),
  'min-silence': numberFlag({ summary: 'Shortest silence that counts, in seconds.' }),
  'padding-before': numberFlag({ summary: 'Seconds of silence kept before the first speech.' }),
  'padding-after': numberFlag({ summary: 'Seconds of silence kept after the last speech.' }),
  'min-pause': numberFlag({ summary: 'pauses mode: inner silences longer than this are removed (seconds).' }),
}

type TrimFlagValues = { [K in keyof typeof trimFlags]?: unknown }

/** The run override the trim flags give (`{processing: {...}}`), or null when none is set. */
/** The `processing` key each run-setting flag of `recordings process` sets (trimFlags). */
const TRIM_FLAG_FIELDS = {
  mode: 'trim_mode',
  threshold: 'silence_threshold',
  'min-silence': 'min_silence_duration',
  'padding-before': 'padding_before',
  'padding-after': 'padding_after',
  'min-pause': 'min_pause',
} as const satisfies Record<keyof TrimFlagValues, string>

export function runOverrideFromFlags(f: TrimFlagValues): { processing: Record<string, unknown> } | null {
  const processing: Record<string, unknown> = {}
  for (const [flag, field] of Object.entries(TRIM_FLAG_FIELDS)) set(processing, field, f[flag as keyof TrimFlagValues])
  return Object.keys(processing).length > 0 ? { processing } : null
}

/** Document fields that a flag of `presets add` / `sources add` sets: an error about one names the flag too. */
export const FLAG_OF_FIELD: Record<string, string> = {
  'preset_metadata.destination': '--destination',
  'preset_metadata.title_template': '--title',
  'preset_metadata.name_template': '--name-template',
  'preset_metadata.thumbnail': '--thumbnail',
  'preset_metadata.publish_at': '--publish-at',
  'preset_metadata.category_id': '--category',
  'preset_metadata.default_language': '--language',
  'preset_metadata.captions_language': '--captions-language',
  'preset_metadata.privacy_comment': '--privacy-comment',
  credential_id: '--credential',
  'config.path': '--path',
  'config.glob': '--glob',
  'config.name_pattern': '--name-pattern',
  'config.from': '--from',
  'config.to': '--to',
  // The run settings of `recordings process` (trimFlags).
  ...Object.fromEntries(Object.entries(TRIM_FLAG_FIELDS).map(([flag, field]) => [`processing.${field}`, `--${flag}`])),
}

/** The `add` commands' top-level field their NAME argument sets. */
export const NAME_ARGUMENT_FIELD = { name: 'the NAME argument' } as const
/** `jobs add`: the flags that make the schedule. */
export const SCHEDULE_FIELD = { schedule: '--at, --every-hours, --weekdays with --at, or --cron' } as const

/**
 * A validation error whose message names fields set by flags, with the flag beside each ("config.path (--path)").
 * `topFields` adds a command's own top-level fields (`NAME_ARGUMENT_FIELD`: "name (the NAME argument): required");
 * `hint` replaces the error's own when a flag was named (one written for a file's keys).
 */
export function withFlagNames(e: unknown, opts: { topFields?: Record<string, string>; hint?: string } = {}): unknown {
  if (!(e instanceof RecflowError) || e.code !== 'validation') return e
  let message = e.message
  for (const [field, flag] of Object.entries(FLAG_OF_FIELD)) message = message.replaceAll(`${field}:`, `${field} (${flag}):`)
  // A whole field name only ("name:", not "display_name:" nor "config.name:").
  for (const [field, flag] of Object.entries(opts.topFields ?? {})) message = message.replace(new RegExp(`(?<![\\w.])${field}:`, 'g'), `${field} (${flag}):`)
  return message === e.message ? e : new RecflowError(e.code, message, { hint: opts.hint ?? e.hint, details: e.details, cause: e })
}
