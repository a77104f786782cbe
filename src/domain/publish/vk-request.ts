import { applyPlatformLimits, type PublishedMetadata } from '../metadata/platform-limits.js'
import { VK_PRIVACY, type VkMetadata } from '../resources/preset-metadata.js'
import { thumbnailFor, type PublishFiles } from './publish-files.js'
import type { VkPublishRequest, VkSaveParams } from './requests.js'
import type { BuiltRequest } from './youtube-request.js'

type VkPrivacy = VkMetadata['privacy_view']

/** A privacy setting as video.save takes it: the name (0 all, 1 friends, 2 friends of friends, 3 only me). */
export const vkPrivacyValue = (p: VkPrivacy): string => (typeof p === 'number' ? VK_PRIVACY[p]! : p)

const flag = (b: boolean): string => (b ? '1' : '0')

/**
 * The requests a VK preset sends for one recording (API-CONTRACTS.md §C.4–C.6): the video.save form fields
 * (title and description cut to VK's limits; the album set by video.save itself), then the preview image.
 * Privacy applies to videos on the user's page only: a community's videos follow the community.
 */
export function vkRequest(meta: VkMetadata, rendered: PublishedMetadata, files: PublishFiles): BuiltRequest<VkPublishRequest> {
  const limited = applyPlatformLimits('vk', rendered)
  const warnings = [...limited.warnings]
  if (limited.tags.length > 0) warnings.push(`VK videos have no tags: ${limited.tags.length} tag${limited.tags.length === 1 ? '' : 's'} left out`)

  const save: VkSaveParams = { name: limited.title, description: limited.description }
  if (meta.group_id !== undefined) save.group_id = String(meta.group_id)
  if (meta.album_id !== undefined) save.album_id = String(meta.album_id)
  const privacy: Array<[field: 'privacy_view' | 'privacy_comment', value: VkPrivacy | undefined]> = [
    ['privacy_view', meta.privacy_view],
    ['privacy_comment', meta.privacy_comment],
  ]
  for (const [field, value] of privacy) {
    if (value === undefined) continue
    if (meta.group_id === undefined) save[field] = vkPrivacyValue(value)
    else if (vkPrivacyValue(value) !== 'all') warnings.push(`${field} applies to videos on your own page only: left out for community ${meta.group_id}`)
  }
  if (meta.no_comments !== undefined) save.no_comments = flag(meta.no_comments)
  if (meta.repeat !== undefined) save.repeat = flag(meta.repeat)
  if (meta.wallpost !== undefined) save.wallpost = flag(meta.wallpost)

  const request: VkPublishRequest = { platform: 'vk', save }
  const thumbnail = thumbnailFor(meta.thumbnail, files, warnings)
  if (thumbnail) request.thumbnail = thumbnail
  return { request, warnings }
}
