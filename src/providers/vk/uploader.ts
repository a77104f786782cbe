import type { VkPublishRequest } from '../../domain/publish/requests.js'
import { ProviderError, type PlatformUploader, type ProviderEnv, type UploadCheckpoint, type UploadControl, type UploaderConfig, type UploadResult } from '../types.js'
import { describe, vkApiClient, type VkApiCall, type VkApiTuning } from './api-client.js'
import { VK_RETRY_HINT, VkProviderError } from './errors.js'
import { postMultipartFile } from './multipart-upload.js'
import { realTiming, TokenRateLimiter } from './rate-limit.js'

/*
 * The VK uploader (API-CONTRACTS.md §C.4–C.6). Without a video id: video.save with the preset's parameters, and
 * the video id, owner and upload_url are checkpointed at once, before a byte is sent; then the file goes to
 * upload_url as one streamed multipart POST (`video_file`). With a video id but no finished upload (a crash
 * mid-upload, a connection lost after the last byte): video.get first; a video VK lists has been received, else
 * the file is sent again to the stored upload_url, and if VK refuses that address the empty placeholder is
 * deleted before a new video.save, so one target never leaves two videos. Then, each once ('done'): album
 * placement (video.addToAlbum; 800 "already added" counts as done) and the preview image
 * (video.getThumbUploadUrl, a multipart POST of `file`, video.saveUploadedThumb with the upload's answer).
 */

export const VK_UPLOAD_ATTEMPTS = 4

/** Every uploader of the process shares one limiter: VK's 3 requests a second are the token's, not a target's. */
const sharedLimiter = new TokenRateLimiter(realTiming)

export function createVkUploader(config: UploaderConfig, env: ProviderEnv, tuning: Partial<VkApiTuning> = {}): PlatformUploader<VkPublishRequest> {
  const full: VkApiTuning = { timing: realTiming, limiter: sharedLimiter, backoffMs: 500, maxAttempts: 5, ...tuning }
  return {
    platform: 'vk',
    upload: async (input, control) => {
      const groupId = input.request.save.group_id
      const api = vkApiClient(config, env, full, groupId === undefined ? {} : { groupId })
      return new VkUpload(api, full, input.mediaFile, input.request, control).run(input.checkpoint)
    },
  }
}

interface SaveResult {
  upload_url: string
  video_id: number
  owner_id: number
}

class VkUpload {
  private cp: UploadCheckpoint = {}
  private readonly warnings: string[] = []

  constructor(
    private readonly api: VkApiCall,
    private readonly tuning: VkApiTuning,
    private readonly mediaFile: string,
    private readonly request: VkPublishRequest,
    private readonly control: UploadControl,
  ) {}

  async run(start: UploadCheckpoint): Promise<UploadResult> {
    this.cp = { ...start, done: [...(start.done ?? [])] }
    if (!this.isDone('upload')) await this.uploadMedia()
    const { videoId, ownerId } = this.cp as { videoId: string; ownerId: number }
    if (this.request.album && !this.isDone('album')) await this.addToAlbum(videoId, ownerId, this.request.album)
    if (this.request.thumbnail && !this.isDone('thumbnail')) await this.setThumbnail(videoId, ownerId, this.request.thumbnail)
    return { videoId, url: videoUrl(ownerId, videoId), checkpoint: this.cp, warnings: this.warnings }
  }

  private isDone(step: string): boolean {
    return this.cp.done?.includes(step) ?? false
  }

  private async save(patch: Partial<UploadCheckpoint>, doneStep?: string): Promise<void> {
    this.cp = { ...this.cp, ...patch, done: doneStep ? [...(this.cp.done ?? []), doneStep] : this.cp.done }
    await this.control.onCheckpoint(this.cp)
  }

  private async uploadMedia(): Promise<void> {
    if (this.cp.videoId !== undefined && (await this.received())) return this.save({ committedBytes: this.cp.totalBytes }, 'upload')
    if (this.cp.videoId === undefined) await this.createVideo()
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.sendFile()
      if (outcome === 'received') return
      if (outcome === 'refused') {
        // The stored address is no longer good: drop the empty placeholder, then one new video.save.
        await this.deletePlaceholder()
        await this.createVideo()
        continue
      }
      // Lost connection or a 5xx: the file may have arrived; VK's word decides before anything is sent again.
      if (await this.received()) return this.save({ committedBytes: this.cp.totalBytes }, 'upload')
      if (attempt >= VK_UPLOAD_ATTEMPTS) {
        throw new ProviderError('vk', 'transient', `VK upload of video ${this.cp.ownerId}_${this.cp.videoId} failed ${attempt} times: ${outcome.failed}`, {
          hint: VK_RETRY_HINT,
        })
      }
      await this.tuning.timing.sleep(this.tuning.backoffMs * 2 ** (attempt - 1), this.control.signal)
    }
  }

  private async createVideo(): Promise<void> {
    const saved = (await this.api('video.save', this.request.save, { idempotent: false, signal: this.control.signal })) as SaveResult
    if (!saved || typeof saved.upload_url !== 'string' || typeof saved.video_id !== 'number' || typeof saved.owner_id !== 'number') {
      throw new ProviderError('vk', 'permanent', 'VK video.save answered without upload_url, video_id and owner_id', { hint: VK_RETRY_HINT })
    }
    const videoId = String(saved.video_id)
    await this.save({ videoId, ownerId: saved.owner_id, sessionUrl: saved.upload_url, url: videoUrl(saved.owner_id, videoId), committedBytes: 0 })
  }

  /** One POST of the file to the stored upload_url. */
  private async sendFile(): Promise<'received' | 'refused' | { failed: string }> {
    let lastReport = 0
    const onSent = (sent: number, total: number) => {
      const now = this.tuning.timing.now()
      if (now - lastReport >= 250 || sent === total) {
        lastReport = now
        this.control.onBytes?.(sent, total)
      }
    }
    let answer
    try {
      answer = await postMultipartFile(this.cp.sessionUrl as string, { field: 'video_file', file: this.mediaFile, contentType: 'video/mp4' }, { signal: this.control.signal, onSent })
    } catch (e) {
      if (this.control.signal?.aborted) throw this.control.signal.reason
      return { failed: `connection failed (${describe(e)})` }
    }
    if (answer.status >= 500) return { failed: `HTTP ${answer.status}` }
    const body = parseJson(answer.text) as { error?: unknown; size?: number; video_id?: number } | undefined
    if (answer.status === 200 && body && body.error === undefined) {
      const size = typeof body.size === 'number' ? body.size : undefined
      await this.save({ committedBytes: size, totalBytes: size }, 'upload')
      return 'received'
    }
    return 'refused'
  }

  /** Whether VK lists the video (it does once the file was received, while processing too). */
  private async received(): Promise<boolean> {
    const answer = (await this.api('video.get', { owner_id: String(this.cp.ownerId), videos: `${this.cp.ownerId}_${this.cp.videoId}` }, { idempotent: true, signal: this.control.signal })) as {
      items?: Array<{ id?: number }>
    }
    return (answer?.items ?? []).some((v) => String(v.id) === this.cp.videoId)
  }

  private async deletePlaceholder(): Promise<void> {
    await this.api('video.delete', { owner_id: String(this.cp.ownerId), video_id: String(this.cp.videoId) }, { idempotent: true, signal: this.control.signal })
    await this.save({ videoId: undefined, sessionUrl: undefined, url: undefined, committedBytes: 0 })
  }

  private async addToAlbum(videoId: string, ownerId: number, album: { albumId: number; targetId: number }): Promise<void> {
    try {
      await this.api(
        'video.addToAlbum',
        { owner_id: String(ownerId), video_id: videoId, target_id: String(album.targetId), album_id: String(album.albumId) },
        { idempotent: true, signal: this.control.signal },
      )
    } catch (e) {
      if (!(e instanceof VkProviderError && e.vkCode === 800)) throw e
    }
    await this.save({}, 'album')
  }

  private async setThumbnail(videoId: string, ownerId: number, thumbnail: { file: string; contentType: string }): Promise<void> {
    const signal = this.control.signal
    const target = (await this.api('video.getThumbUploadUrl', { owner_id: String(ownerId), video_id: videoId }, { idempotent: true, signal })) as { upload_url?: string }
    if (typeof target?.upload_url !== 'string') throw new ProviderError('vk', 'permanent', 'VK video.getThumbUploadUrl answered without upload_url', { hint: VK_RETRY_HINT })
    let answer
    try {
      answer = await postMultipartFile(target.upload_url, { field: 'file', file: thumbnail.file, contentType: thumbnail.contentType }, { signal })
    } catch (e) {
      if (signal?.aborted) throw signal.reason
      throw new ProviderError('vk', 'transient', `VK preview image upload failed: ${describe(e)}`, { hint: VK_RETRY_HINT, cause: e })
    }
    const body = parseJson(answer.text) as { error?: unknown } | undefined
    if (answer.status !== 200 || !body || body.error !== undefined) {
      throw new ProviderError(
        'vk',
        answer.status >= 500 ? 'transient' : 'permanent',
        `VK refused the preview image ${thumbnail.file}: HTTP ${answer.status}${body?.error ? ` (${String(body.error)})` : ''}`,
        { hint: VK_RETRY_HINT },
      )
    }
    await this.api('video.saveUploadedThumb', { owner_id: String(ownerId), video_id: videoId, thumb_json: answer.text, set_thumb: '1' }, { idempotent: true, signal })
    await this.save({}, 'thumbnail')
  }
}

export function videoUrl(ownerId: number, videoId: string): string {
  return `https://vk.com/video${ownerId}_${videoId}`
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
