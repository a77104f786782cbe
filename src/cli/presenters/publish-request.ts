import type { PlatformPublishRequest } from '../../domain/publish/index.js'

const NEW_VIDEO = '(the new video’s id)'
const json = (v: unknown): string[] => JSON.stringify(v, null, 2).split('\n').map((l) => `  ${l}`)

/**
 * The requests a preset sends, one block per call in the order they are made: method and path, then the body
 * as JSON (YouTube) or the form fields (VK). The id of the new video, known only after the upload, is shown as a
 * placeholder.
 */
export function publishRequestLines(request: PlatformPublishRequest): string[] {
  const out: string[] = []
  if (request.platform === 'youtube') {
    const q = request.insert.query
    out.push(`videos.insert: POST /upload/youtube/v3/videos?uploadType=resumable&part=${q.part}&notifySubscribers=${q.notifySubscribers}`, ...json(request.insert.body))
    if (request.thumbnail) out.push(`thumbnails.set: POST /upload/youtube/v3/thumbnails/set?videoId=${NEW_VIDEO}`, `  ${request.thumbnail.file} (${request.thumbnail.contentType})`)
    if (request.playlist) {
      out.push('playlistItems.insert: POST /youtube/v3/playlistItems?part=snippet')
      out.push(...json({ snippet: { playlistId: request.playlist.playlistId, resourceId: { kind: 'youtube#video', videoId: NEW_VIDEO } } }))
    }
    if (request.captions) {
      const c = request.captions
      out.push('captions.insert: POST /upload/youtube/v3/captions?part=snippet&uploadType=multipart (multipart/related: this snippet, then the file)')
      out.push(...json({ snippet: { videoId: NEW_VIDEO, language: c.language, name: c.name, isDraft: false } }), `  + ${c.file}`)
    }
    return out
  }
  out.push('video.save: POST /method/video.save', ...Object.entries(request.save).map(([k, v]) => `  ${k}=${v.includes('\n') ? JSON.stringify(v) : v}`))
  out.push('upload: POST upload_url (multipart/form-data, video_file)')
  if (request.album) out.push(`video.addToAlbum: album_id=${request.album.albumId} target_id=${request.album.targetId}`)
  if (request.thumbnail) {
    out.push(`video.getThumbUploadUrl, POST of ${request.thumbnail.file} (${request.thumbnail.contentType}), video.saveUploadedThumb set_thumb=1`)
  }
  return out
}
