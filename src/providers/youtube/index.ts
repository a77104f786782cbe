import { RecflowError } from '../../domain/errors.js'
import type { YoutubePublishRequest } from '../../domain/publish/requests.js'
import { ProviderError, type PlatformUploader, type ProviderEnv, type UploadCheckpoint, type UploaderConfig } from '../types.js'
import { pendingSteps, runStep, stepFailed } from './follow-up-steps.js'
import { CHUNK_ALIGN, DEFAULT_CHUNK_BYTES, uploadMedia } from './resumable-upload.js'
import { createYoutubeClient, DEFAULT_TUNING, type YoutubeTuning } from './youtube-client.js'

/*
 * The YouTube publisher (PlatformUploader, src/providers/types.ts "Platform uploads"): a resumable videos.insert
 * (resumable-upload.ts), then the follow-up steps (follow-up-steps.ts). Everything it learns goes to
 * `onCheckpoint` before the next request: the session address, each committed offset, the video id the moment
 * YouTube returns it, each finished step. A checkpoint with a video id uploads nothing again.
 */

export { CHUNK_ALIGN, DEFAULT_CHUNK_BYTES } from './resumable-upload.js'
export type { YoutubeTuning } from './youtube-client.js'

export const youtubeWatchUrl = (videoId: string) => `https://www.youtube.com/watch?v=${encodeURIComponent(videoId)}`

export function createYoutubeUploader(config: UploaderConfig, env: ProviderEnv, tuning: Partial<YoutubeTuning> = {}): PlatformUploader<YoutubePublishRequest> {
  const chunkBytes = config.chunkBytes ?? DEFAULT_CHUNK_BYTES
  if (!Number.isInteger(chunkBytes) || chunkBytes <= 0 || chunkBytes % CHUNK_ALIGN !== 0) {
    throw new RecflowError('validation', `the YouTube chunk size must be a positive multiple of 256 KiB (262144 bytes), not ${chunkBytes}`, {
      hint: 'set `recflow config set upload.youtube_chunk_mib 8` (a multiple of 0.25)',
    })
  }
  const fullTuning = { ...DEFAULT_TUNING, ...tuning }
  return {
    platform: 'youtube',
    async upload(input, control) {
      const yt = createYoutubeClient(config, env, fullTuning)
      let checkpoint: UploadCheckpoint = { ...input.checkpoint }
      const save = async (patch: Partial<UploadCheckpoint>, drop: Array<keyof UploadCheckpoint> = []) => {
        const next: UploadCheckpoint = { ...checkpoint, ...patch }
        for (const key of drop) delete next[key]
        checkpoint = next
        await control.onCheckpoint({ ...next, ...(next.done ? { done: [...next.done] } : {}) })
      }
      try {
        if (!checkpoint.videoId) {
          const state = { get checkpoint() { return checkpoint }, save }
          const videoId = await uploadMedia(yt, input.mediaFile, input.request, chunkBytes, state, control)
          const done = [...new Set([...(checkpoint.done ?? []), 'upload'])]
          await save({ videoId, url: youtubeWatchUrl(videoId), committedBytes: checkpoint.totalBytes, done }, ['sessionUrl'])
        }
        const videoId = checkpoint.videoId!
        const warnings: string[] = []
        for (const step of pendingSteps(input.request, new Set(checkpoint.done ?? []))) {
          let outcome
          try {
            outcome = await runStep(yt, step, videoId, input.request, control.signal)
          } catch (e) {
            if (e instanceof RecflowError) throw e
            stepFailed(step, e)
          }
          if (outcome.warning) {
            warnings.push(outcome.warning)
            env.logger.warn(`youtube: ${outcome.warning}`)
          }
          await save({ done: [...(checkpoint.done ?? []), step] })
        }
        const url = checkpoint.url ?? youtubeWatchUrl(videoId)
        return { videoId, url, checkpoint: { ...checkpoint, url }, warnings }
      } finally {
        yt.close()
      }
    },
  }
}

