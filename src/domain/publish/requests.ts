/*
 * The requests a YouTube or VK preset sends for one recording, exactly as they go over the wire (API-CONTRACTS.md
 * §B.2–B.7, §C.4–C.6). Built from the preset's metadata, the template's overrides and the rendered title,
 * description and tags by the builders in this folder; `recflow presets render` prints them, and the uploaders in
 * src/providers/youtube and src/providers/vk send them as they are (only the video id, known after the upload, is
 * filled in by the uploader).
 */

/** videos.insert body: the Video resource parts we set (§B.4). */
export interface YoutubeVideoResource {
  snippet: {
    title: string
    description: string
    tags?: string[]
    categoryId: string
    defaultLanguage?: string
    defaultAudioLanguage?: string
  }
  status: {
    privacyStatus: 'private' | 'unlisted' | 'public'
    /** ISO 8601; only with privacyStatus 'private' (it goes public then). */
    publishAt?: string
    selfDeclaredMadeForKids: boolean
    embeddable?: boolean
    license?: 'youtube' | 'creativeCommon'
    publicStatsViewable?: boolean
  }
}

export interface YoutubePublishRequest {
  platform: 'youtube'
  /** POST /upload/youtube/v3/videos?uploadType=resumable&part=…&notifySubscribers=… with this body. */
  insert: { query: { part: 'snippet,status'; notifySubscribers: boolean }; body: YoutubeVideoResource }
  /** thumbnails.set with this image (JPEG or PNG, ≤ 2 MB): the preset's file, or the poster frame. */
  thumbnail?: { file: string; contentType: 'image/jpeg' | 'image/png' }
  /** playlistItems.insert of the new video into this playlist. */
  playlist?: { playlistId: string }
  /** captions.insert of this subtitle file (the GENERATE_SUBTITLES output). */
  captions?: { file: string; language: string; name: string }
}

/** video.save parameters (§C.4), as the form fields sent (booleans as '0'/'1', lists comma-joined). */
export type VkSaveParams = Record<string, string>

export interface VkPublishRequest {
  platform: 'vk'
  save: VkSaveParams
  /** video.addToAlbum after the upload, when the album is not set by video.save itself. */
  album?: { albumId: number; targetId: number }
  /** The preview image (JPEG or PNG): the preset's file, or the poster frame. */
  thumbnail?: { file: string; contentType: 'image/jpeg' | 'image/png' }
}

export type PlatformPublishRequest = YoutubePublishRequest | VkPublishRequest
