import { z } from 'zod'
import { DEFAULT_TITLE_TEMPLATE } from '../metadata/render-preset-metadata.js'
import { topicsDisplaySchema } from '../metadata/topics-display.js'
import { isPublishAt, PUBLISH_AT_FORMS } from '../publish/publish-at.js'
import { partialSchemaOf, strictObject } from './strict-object.js'

export const titleTemplateSchema = z.string().max(1000)
export const descriptionTemplateSchema = z.string().max(20_000)
export const tagsSchema = z.array(z.string().trim().min(1).max(100)).max(100)

/** Fields every preset has, whatever the platform: what gets rendered (see src/domain/metadata). */
const commonShape = {
  title_template: titleTemplateSchema.default(DEFAULT_TITLE_TEMPLATE),
  description_template: descriptionTemplateSchema.default(''),
  tags: tagsSchema.default([]),
  topics_display: topicsDisplaySchema.prefault({}),
}

export const YOUTUBE_PRIVACY = ['private', 'unlisted', 'public'] as const
export const YOUTUBE_LICENSES = ['youtube', 'creativeCommon'] as const
export const VK_PRIVACY = ['all', 'friends', 'friends_of_friends', 'only_me'] as const

/** The word a thumbnail field takes for the poster frame PROCESS extracts (anything else is a file path). */
export const POSTER_THUMBNAIL = 'poster'
const thumbnailSchema = z
  .string()
  .trim()
  .min(1)
  .refine((v) => v === POSTER_THUMBNAIL || /\.(jpe?g|png)$/i.test(v), { message: `must be a .jpg or .png file, or '${POSTER_THUMBNAIL}' for the poster frame` })

const languageSchema = z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, "must be a BCP-47 language tag such as 'en' or 'de-AT'")

/** When a scheduled video goes public: an instant with its offset, or `+Nd HH:MM` after the upload day (publish-at.ts). */
const publishAtSchema = z
  .string()
  .trim()
  .refine(isPublishAt, { message: `must be ${PUBLISH_AT_FORMS}` })

/** VK privacy: 0 all, 1 friends, 2 friends of friends, 3 only me, or the name. */
const vkPrivacySchema = z.union([z.number().int().min(0).max(3), z.enum(VK_PRIVACY)])

export const youtubeMetadataSchema = strictObject({
  ...commonShape,
  privacy: z.enum(YOUTUBE_PRIVACY).default('unlisted'),
  /** YouTube category id, a numeric string; 27 is Education. YAML `27` is accepted as '27'. */
  category_id: z.coerce.string().regex(/^\d+$/, 'must be a numeric category id such as 27').default('27'),
  /** A playlist id (PL…), not its address: a pasted URL would fail only after the upload, at playlistItems.insert. */
  playlist_id: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{2,64}$/, "must be a playlist id such as PLxxxxxxxxxxxx: the part after 'list=' in the playlist's address")
    .optional(),
  made_for_kids: z.boolean().default(false),
  /** BCP-47 language of title and description, e.g. 'en' or 'de-AT'. */
  default_language: languageSchema.optional(),
  /** The thumbnail: an image file (JPEG or PNG, ≤ 2 MB), or `poster` for the processed video's poster frame. */
  thumbnail: thumbnailSchema.optional(),
  /**
   * Scheduled publishing: the video is uploaded private and YouTube makes it public at this time (ISO 8601 with
   * an offset or Z, or `+Nd HH:MM` after the upload day in the user's time zone). A privacy other than private is
   * turned into private until then.
   */
  publish_at: publishAtSchema.optional(),
  embeddable: z.boolean().optional(),
  license: z.enum(YOUTUBE_LICENSES).optional(),
  public_stats_viewable: z.boolean().optional(),
  /** Upload the subtitles (the GENERATE_SUBTITLES .srt) as a caption track. */
  captions: z.boolean().default(true),
  /** The caption track's language; default: the transcript's language, else default_language. */
  captions_language: languageSchema.optional(),
  /** Tell the channel's subscribers about the new video (YouTube's default is to tell them). */
  notify_subscribers: z.boolean().default(true),
})

export const vkMetadataSchema = strictObject({
  ...commonShape,
  /** Who can view (videos on the user's page; a community's videos are public). */
  privacy_view: vkPrivacySchema.default('all'),
  /** Who can comment (videos on the user's page). */
  privacy_comment: vkPrivacySchema.optional(),
  album_id: z.number().int().min(0).optional(),
  /** Upload to this community instead of the user's page. */
  group_id: z.number().int().positive("must be the community's positive id (its owner_id without the minus)").optional(),
  no_comments: z.boolean().optional(),
  repeat: z.boolean().optional(),
  wallpost: z.boolean().optional(),
  /** The preview image: an image file (JPEG or PNG), or `poster` for the processed video's poster frame. */
  thumbnail: thumbnailSchema.optional(),
})

export const DEFAULT_LOCAL_NAME_TEMPLATE = '{start_time:YYYY-MM-DD} {display_name}'

export const localMetadataSchema = strictObject({
  ...commonShape,
  /** Folder the published files are copied to. */
  destination: z.string().trim().min(1),
  /** File name (without extension) of the copied video; rendered like a title. */
  name_template: titleTemplateSchema.default(DEFAULT_LOCAL_NAME_TEMPLATE),
  copy_transcript: z.boolean().default(true),
  /** Copy the subtitles (name.srt, name.vtt) and the chapters track (name.chapters.vtt) next to the video. */
  captions: z.boolean().default(true),
})

export const presetMetadataSchemas = {
  youtube: youtubeMetadataSchema,
  vk: vkMetadataSchema,
  local: localMetadataSchema,
} as const

export type YoutubeMetadata = z.output<typeof youtubeMetadataSchema>
export type VkMetadata = z.output<typeof vkMetadataSchema>
export type LocalMetadata = z.output<typeof localMetadataSchema>
export type PresetMetadata = YoutubeMetadata | VkMetadata | LocalMetadata

/** Per-platform overrides a template may carry in metadata_config (no defaults: unset means the preset's). */
export const youtubeOverrideSchema = partialSchemaOf(
  youtubeMetadataSchema.pick({
    privacy: true, category_id: true, playlist_id: true, made_for_kids: true, default_language: true, thumbnail: true, publish_at: true,
  }),
)
export const vkOverrideSchema = partialSchemaOf(
  vkMetadataSchema.pick({
    privacy_view: true, privacy_comment: true, album_id: true, group_id: true, no_comments: true, repeat: true, wallpost: true, thumbnail: true,
  }),
)

/** The template strings a preset metadata object holds, with their field paths, for validation. */
export function metadataTemplateStrings(metadata: {
  title_template?: string | null
  description_template?: string | null
  tags?: readonly string[] | null
  name_template?: string | null
}): Array<[field: string, template: string]> {
  const out: Array<[string, string]> = []
  if (metadata.title_template != null) out.push(['title_template', metadata.title_template])
  if (metadata.description_template != null) out.push(['description_template', metadata.description_template])
  for (const [i, tag] of (metadata.tags ?? []).entries()) out.push([`tags[${i}]`, tag])
  if (metadata.name_template != null) out.push(['name_template', metadata.name_template])
  return out
}
