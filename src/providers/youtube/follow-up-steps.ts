import crypto from 'node:crypto'
import fsp from 'node:fs/promises'
import type { YoutubePublishRequest } from '../../domain/publish/requests.js'
import { THUMBNAIL_MAX_BYTES } from '../../domain/publish/thumbnail-file.js'
import { ProviderError } from '../types.js'
import type { YoutubeClient } from './youtube-client.js'
import { answerFailure, errorInfo } from './youtube-errors.js'

/*
 * The steps after the upload, each separately retryable and recorded in checkpoint.done when it succeeds:
 * thumbnails.set (§B.5; ≤ 2 MB checked before sending; 403 on a channel that may not set custom thumbnails is a
 * warning, not a failure), playlistItems.insert (§B.6), captions.insert (§B.7, multipart/related: the snippet
 * JSON, then the subtitle file; 409 captionExists means an earlier attempt already added it).
 */

export type StepName = 'thumbnail' | 'playlist' | 'captions'

/** What a step ended with: done, or done with a warning (trying again cannot help). Failures throw. */
export type StepOutcome = { warning?: string }

export function pendingSteps(request: YoutubePublishRequest, done: ReadonlySet<string>): StepName[] {
  const wanted: StepName[] = []
  if (request.thumbnail) wanted.push('thumbnail')
  if (request.playlist) wanted.push('playlist')
  if (request.captions) wanted.push('captions')
  return wanted.filter((s) => !done.has(s))
}

export async function runStep(yt: YoutubeClient, step: StepName, videoId: string, request: YoutubePublishRequest, signal?: AbortSignal): Promise<StepOutcome> {
  if (step === 'thumbnail') return setThumbnail(yt, videoId, request.thumbnail!, signal)
  if (step === 'playlist') return addToPlaylist(yt, videoId, request.playlist!.playlistId, signal)
  return insertCaptions(yt, videoId, request.captions!, signal)
}

async function setThumbnail(yt: YoutubeClient, videoId: string, thumb: NonNullable<YoutubePublishRequest['thumbnail']>, signal?: AbortSignal): Promise<StepOutcome> {
  const size = (await fsp.stat(thumb.file)).size
  if (size > THUMBNAIL_MAX_BYTES) {
    return { warning: `thumbnail not set: ${thumb.file} is ${(size / 1048576).toFixed(1)} MB, YouTube takes at most 2 MB` }
  }
  const answer = await yt.call(
    {
      method: 'POST',
      url: `${yt.base}/upload/youtube/v3/thumbnails/set?${new URLSearchParams({ videoId })}`,
      headers: { 'content-type': thumb.contentType },
      body: await fsp.readFile(thumb.file),
    },
    'setting the thumbnail',
    signal,
  )
  if (answer.status === 200) return {}
  if (answer.status === 403 && errorInfo(answer).reason === 'forbidden') {
    return { warning: 'thumbnail not set: YouTube allows custom thumbnails only on verified channels (verify at youtube.com/verify)' }
  }
  throw answerFailure(answer, 'setting the thumbnail', yt.env.clock.now())
}

async function addToPlaylist(yt: YoutubeClient, videoId: string, playlistId: string, signal?: AbortSignal): Promise<StepOutcome> {
  const body = { snippet: { playlistId, resourceId: { kind: 'youtube#video', videoId } } }
  const answer = await yt.call(
    {
      method: 'POST',
      url: `${yt.base}/youtube/v3/playlistItems?part=snippet`,
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body: Buffer.from(JSON.stringify(body), 'utf8'),
    },
    `adding the video to playlist ${playlistId}`,
    signal,
  )
  if (answer.status === 200) return {}
  if (answer.status === 409 && errorInfo(answer).reason === 'videoAlreadyInPlaylist') return {}
  throw answerFailure(answer, `adding the video to playlist ${playlistId}`, yt.env.clock.now())
}

async function insertCaptions(yt: YoutubeClient, videoId: string, captions: NonNullable<YoutubePublishRequest['captions']>, signal?: AbortSignal): Promise<StepOutcome> {
  const boundary = `recflow-${crypto.randomBytes(12).toString('hex')}`
  const snippet = { snippet: { videoId, language: captions.language, name: captions.name, isDraft: false } }
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\ncontent-type: application/json; charset=UTF-8\r\n\r\n${JSON.stringify(snippet)}\r\n--${boundary}\r\ncontent-type: application/octet-stream\r\n\r\n`, 'utf8'),
    await fsp.readFile(captions.file),
    Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
  ])
  const answer = await yt.call(
    {
      method: 'POST',
      url: `${yt.base}/upload/youtube/v3/captions?part=snippet&uploadType=multipart`,
      headers: { 'content-type': `multipart/related; boundary=${boundary}` },
      body,
    },
    `adding the ${captions.language} captions`,
    signal,
  )
  if (answer.status === 200) return {}
  if (answer.status === 409 && errorInfo(answer).reason === 'captionExists') return {}
  throw answerFailure(answer, `adding the ${captions.language} captions`, yt.env.clock.now())
}

export function stepFailed(step: StepName, e: unknown): never {
  if (e instanceof ProviderError) throw e
  throw new ProviderError('youtube', 'permanent', `the ${step} step failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
}
