/** YouTube Data API quota units per call (videos.insert, thumbnails.set, playlistItems.insert, captions.insert). */
export const YOUTUBE_UNITS = { insert: 1600, thumbnail: 50, playlist: 50, captions: 400 } as const

/** A publication target as the estimate needs it: its platform and the preset's stored metadata. */
export interface EstimateTarget {
  platform: string
  metadata: { playlist_id?: unknown; thumbnail?: unknown; captions?: unknown }
}

/**
 * Quota units one recording costs on YouTube: an upload, plus a thumbnail, a playlist insert and captions as the
 * preset asks for them (captions are on unless the preset turns them off, and need a transcript).
 */
export function youtubeUnits(targets: readonly EstimateTarget[], opts: { transcribed: boolean }): number {
  let units = 0
  for (const t of targets) {
    if (t.platform !== 'youtube') continue
    units += YOUTUBE_UNITS.insert
    if (typeof t.metadata.thumbnail === 'string') units += YOUTUBE_UNITS.thumbnail
    if (typeof t.metadata.playlist_id === 'string') units += YOUTUBE_UNITS.playlist
    if (opts.transcribed && t.metadata.captions !== false) units += YOUTUBE_UNITS.captions
  }
  return units
}
