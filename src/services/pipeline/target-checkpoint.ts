import type { OutputTarget } from '../../db/index.js'
import type { UploadCheckpoint } from '../../providers/types.js'

/**
 * What output_targets.target_meta holds for a YouTube or VK target: the uploader's checkpoint (session address,
 * committed bytes, video id, steps done), written before every next request, plus the video id and URL once known
 * and the warnings of the last attempt. A folder target holds `{path, files}` instead.
 */
export interface PlatformTargetMeta {
  checkpoint: UploadCheckpoint
  video_id?: string
  url?: string
  warnings?: string[]
}

export function platformMeta(target: Pick<OutputTarget, 'target_meta'>): PlatformTargetMeta {
  const meta = (target.target_meta ?? {}) as Partial<PlatformTargetMeta>
  const checkpoint = meta.checkpoint !== null && typeof meta.checkpoint === 'object' ? meta.checkpoint : {}
  return { ...meta, checkpoint }
}

/** The meta to store for a checkpoint: the video id and URL are lifted out the moment the platform gives them. */
export function withCheckpoint(meta: PlatformTargetMeta, checkpoint: UploadCheckpoint): PlatformTargetMeta {
  return {
    ...meta,
    checkpoint,
    ...(checkpoint.videoId !== undefined ? { video_id: checkpoint.videoId } : {}),
    ...(checkpoint.url !== undefined ? { url: checkpoint.url } : {}),
  }
}

/**
 * A target that stands for something on a platform or on disk: published, or holding a platform video or an
 * upload session (which may have become a video). `recordings reset` keeps these unless told to forget them, so a
 * new run never publishes the recording twice.
 */
export function holdsPublication(target: Pick<OutputTarget, 'status' | 'target_meta'>): boolean {
  if (target.status === 'UPLOADED') return true
  const { checkpoint } = platformMeta(target)
  return checkpoint.videoId !== undefined || checkpoint.sessionUrl !== undefined
}
