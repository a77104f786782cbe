import fsp from 'node:fs/promises'
import type { YoutubePublishRequest } from '../../domain/publish/requests.js'
import { ProviderError, type UploadCheckpoint, type UploadControl } from '../types.js'
import type { YoutubeClient } from './youtube-client.js'
import { answerFailure, isRetryable, YOUTUBE_RETRY_HINT } from './youtube-errors.js'
import { NetworkError, type YoutubeAnswer } from './youtube-http.js'

/*
 * The resumable upload of §B.3. Initiation POSTs the video resource with X-Upload-Content-Length/Type and keeps
 * the `Location` session URI (persisted before the first byte). Chunks of `chunkBytes` (a multiple of 256 KiB)
 * are PUT with `Content-Range`, streamed from disk. Every 308's `Range` is the truth: the next chunk starts after
 * it, even when the server kept less than was sent, and it is persisted before the next chunk. After any failure
 * (5xx, rate limit, a dropped connection, a stall) the session is asked for its status (`bytes *\/TOTAL`) before
 * anything is resent; the same first happens when a checkpoint brings a session back, so an upload whose end was
 * received but whose answer was lost yields its video instead of a second one. 404/410: the session is gone, a new
 * one starts from byte 0.
 */

export const CHUNK_ALIGN = 256 * 1024
export const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024
/** New sessions after 404/410 in one attempt, before giving up. */
const MAX_NEW_SESSIONS = 3
/** onBytes at most this often (the last one always). */
const PROGRESS_EVERY_MS = 200

export interface MediaUploadState {
  checkpoint: UploadCheckpoint
  save(patch: Partial<UploadCheckpoint>, drop?: Array<keyof UploadCheckpoint>): Promise<void>
}

interface VideoAnswer {
  id?: string
}

export async function uploadMedia(
  yt: YoutubeClient,
  file: string,
  request: YoutubePublishRequest,
  chunkBytes: number,
  state: MediaUploadState,
  control: UploadControl,
): Promise<string> {
  const { signal } = control
  const total = (await fsp.stat(file)).size
  if (total === 0) throw new ProviderError('youtube', 'permanent', `${file} is empty: nothing to upload`)
  const start = state.checkpoint
  if (start.sessionUrl && start.totalBytes !== undefined && start.totalBytes !== total) {
    yt.env.logger.info('youtube: the file changed size since the last attempt; starting a new upload session')
    await state.save({ committedBytes: 0, totalBytes: total }, ['sessionUrl'])
  }
  let session = state.checkpoint.sessionUrl
  let committed = session ? (state.checkpoint.committedBytes ?? 0) : 0
  let askStatus = session !== undefined
  let failures = 0
  let newSessions = 0
  let lastProgress = 0

  const progress = (force: boolean) => {
    const now = Date.now()
    if (!force && now - lastProgress < PROGRESS_EVERY_MS) return
    lastProgress = now
    control.onBytes?.(committed, total)
  }
  const failed = async (why: string, answer?: YoutubeAnswer) => {
    failures++
    if (failures > yt.tuning.maxRetries) {
      if (answer) throw answerFailure(answer, 'uploading the video', yt.env.clock.now())
      throw new ProviderError('youtube', 'transient', `the YouTube upload kept failing at byte ${committed} of ${total}: ${why}`, { hint: YOUTUBE_RETRY_HINT })
    }
    yt.env.logger.debug(`youtube: ${why}; asking the session for its status (retry ${failures})`)
    await yt.backoff(failures, signal)
    askStatus = true
  }

  return await sendChunks()

  async function sendChunks(): Promise<string> {
    for (;;) {
      yt.checkCancelled(signal)
      if (session === undefined) {
        session = await initiate(yt, file, request, total, signal)
        committed = 0
        askStatus = false
        await state.save({ sessionUrl: session, committedBytes: 0, totalBytes: total })
      }
      const end = Math.min(committed + chunkBytes, total)
      let answer: YoutubeAnswer
      try {
        answer = askStatus
          ? await yt.send({ method: 'PUT', url: session, headers: { 'content-range': `bytes */${total}` } }, signal)
          : await yt.send(
              {
                method: 'PUT',
                url: session,
                headers: { 'content-type': videoType(file), 'content-range': `bytes ${committed}-${end - 1}/${total}` },
                body: { file, start: committed, end },
              },
              signal,
            )
      } catch (e) {
        if (!(e instanceof NetworkError)) throw e
        await failed(e.message)
        continue
      }
      if (answer.status === 200 || answer.status === 201) {
        const id = (parseJson(answer.text) as VideoAnswer | undefined)?.id
        if (!id) throw new ProviderError('youtube', 'transient', 'YouTube finished the upload without a video id', { hint: YOUTUBE_RETRY_HINT })
        committed = total
        progress(true)
        return id
      }
      if (answer.status === 308) {
        const kept = rangeEnd(answer)
        if (kept > total) throw new ProviderError('youtube', 'transient', `YouTube claims ${kept} bytes of a ${total}-byte file`, { hint: YOUTUBE_RETRY_HINT })
        const advanced = kept > committed
        committed = kept
        askStatus = false
        if (advanced) failures = 0
        await state.save({ committedBytes: committed })
        progress(false)
        continue
      }
      if (answer.status === 404 || answer.status === 410) {
        if (++newSessions > MAX_NEW_SESSIONS) throw answerFailure(answer, 'resuming the upload session', yt.env.clock.now())
        yt.env.logger.info(`youtube: the upload session is gone (HTTP ${answer.status}); starting a new one`)
        session = undefined
        committed = 0
        await state.save({ committedBytes: 0 }, ['sessionUrl'])
        continue
      }
      if (isRetryable(answer)) {
        await failed(`HTTP ${answer.status}`, answer)
        continue
      }
      throw answerFailure(answer, 'uploading the video', yt.env.clock.now())
    }
  }
}

async function initiate(yt: YoutubeClient, file: string, request: YoutubePublishRequest, total: number, signal: AbortSignal | undefined): Promise<string> {
  const query = new URLSearchParams({
    uploadType: 'resumable',
    part: request.insert.query.part,
    notifySubscribers: String(request.insert.query.notifySubscribers),
  })
  const answer = await yt.call(
    {
      method: 'POST',
      url: `${yt.base}/upload/youtube/v3/videos?${query}`,
      headers: {
        'content-type': 'application/json; charset=UTF-8',
        'x-upload-content-length': String(total),
        'x-upload-content-type': videoType(file),
      },
      body: Buffer.from(JSON.stringify(request.insert.body), 'utf8'),
    },
    'starting the upload',
    signal,
  )
  const location = answer.headers.location
  if (answer.status !== 200 || !location) {
    if (answer.status === 200) throw new ProviderError('youtube', 'transient', 'YouTube started an upload without a session address (no Location)', { hint: YOUTUBE_RETRY_HINT })
    throw answerFailure(answer, 'starting the upload', yt.env.clock.now())
  }
  return new URL(location, yt.base).toString()
}

/** Bytes the session holds: `Range: bytes=0-K` → K+1; no Range → 0. */
function rangeEnd(answer: YoutubeAnswer): number {
  const range = answer.headers.range
  if (typeof range !== 'string') return 0
  const m = /^bytes=0-(\d+)$/.exec(range.trim())
  if (!m) throw new ProviderError('youtube', 'transient', `YouTube answered an unreadable Range "${range}"`, { hint: YOUTUBE_RETRY_HINT })
  return Number(m[1]) + 1
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const VIDEO_TYPES: Record<string, string> = { '.mp4': 'video/mp4', '.m4v': 'video/mp4', '.mov': 'video/quicktime', '.mkv': 'video/x-matroska', '.webm': 'video/webm' }

function videoType(file: string): string {
  const dot = file.lastIndexOf('.')
  return (dot === -1 ? undefined : VIDEO_TYPES[file.slice(dot).toLowerCase()]) ?? 'application/octet-stream'
}
