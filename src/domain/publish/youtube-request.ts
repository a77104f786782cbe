import { applyPlatformLimits, type PublishedMetadata } from '../metadata/platform-limits.js'
import type { YoutubeMetadata } from '../resources/preset-metadata.js'
import { resolvePublishAt } from './publish-at.js'
import { thumbnailFor, type PublishFiles } from './publish-files.js'
import type { YoutubePublishRequest, YoutubeVideoResource } from './requests.js'

export interface BuiltRequest<R> {
  request: R
  warnings: string[]
}

/**
 * The requests a YouTube preset sends for one recording (API-CONTRACTS.md §B.4–B.7): videos.insert with the
 * rendered title, description and tags cut to YouTube's limits, then the thumbnail, playlist and captions steps.
 * A scheduled preset (publish_at, relative ones resolved at `now` in `timeZone`) uploads private, the only privacy
 * YouTube schedules from.
 */
export function youtubeRequest(
  meta: YoutubeMetadata,
  rendered: PublishedMetadata,
  files: PublishFiles,
  now: Date,
  timeZone = 'UTC',
): BuiltRequest<YoutubePublishRequest> {
  const limited = applyPlatformLimits('youtube', rendered)
  const warnings = [...limited.warnings]

  const status: YoutubeVideoResource['status'] = { privacyStatus: meta.privacy, selfDeclaredMadeForKids: meta.made_for_kids }
  if (meta.publish_at !== undefined) {
    const at = resolvePublishAt(meta.publish_at, now, timeZone)
    status.publishAt = at.toISOString()
    if (meta.privacy !== 'private') warnings.push(`scheduled for ${status.publishAt}: uploaded private until then (privacy ${meta.privacy} is not used)`)
    status.privacyStatus = 'private'
    if (at.getTime() <= now.getTime()) warnings.push(`publish_at ${status.publishAt} has passed: YouTube publishes the video as soon as it is processed`)
  }
  if (meta.embeddable !== undefined) status.embeddable = meta.embeddable
  if (meta.license !== undefined) status.license = meta.license
  if (meta.public_stats_viewable !== undefined) status.publicStatsViewable = meta.public_stats_viewable

  const snippet: YoutubeVideoResource['snippet'] = { title: limited.title, description: limited.description, categoryId: meta.category_id }
  if (limited.tags.length > 0) snippet.tags = limited.tags
  if (meta.default_language !== undefined) snippet.defaultLanguage = meta.default_language
  // The audio's language as the transcriber heard it, when it is a code (some transcribers give a name).
  if (files.spokenLanguage != null && LANGUAGE_TAG.test(files.spokenLanguage)) snippet.defaultAudioLanguage = files.spokenLanguage

  const request: YoutubePublishRequest = {
    platform: 'youtube',
    insert: { query: { part: 'snippet,status', notifySubscribers: meta.notify_subscribers }, body: { snippet, status } },
  }
  const thumbnail = thumbnailFor(meta.thumbnail, files, warnings)
  if (thumbnail) request.thumbnail = thumbnail
  if (meta.playlist_id !== undefined) request.playlist = { playlistId: meta.playlist_id }
  const captions = captionsFor(meta, files, warnings)
  if (captions) request.captions = captions
  return { request, warnings }
}

const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/

function captionsFor(meta: YoutubeMetadata, files: PublishFiles, warnings: string[]): YoutubePublishRequest['captions'] {
  if (!meta.captions) return undefined
  if (files.subtitles === undefined) {
    warnings.push('no subtitles for this recording (GENERATE_SUBTITLES did not write an .srt): captions left out')
    return undefined
  }
  // Transcribers report a code ('de') or, some of them, a name ('german'): only a code is a caption language.
  const transcribed = files.subtitles.language
  const fromTranscript = transcribed != null && LANGUAGE_TAG.test(transcribed) ? transcribed : undefined
  const language = meta.captions_language ?? fromTranscript ?? meta.default_language
  if (language === undefined) {
    const why = transcribed == null ? 'the transcript has no language' : `the transcript's language "${transcribed}" is not a language code`
    warnings.push(`${why}: captions left out (set captions_language on the preset)`)
    return undefined
  }
  return { file: files.subtitles.file, language, name: languageName(language) }
}

/** The track's name YouTube shows: the language in English ("German"), or the tag itself when unknown. */
export function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(tag) ?? tag
  } catch {
    return tag
  }
}
