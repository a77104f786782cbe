import { charLength, truncate, utf8Length } from './truncate.js'

export const PLATFORMS = ['youtube', 'vk', 'local'] as const
export type Platform = (typeof PLATFORMS)[number]

export interface PublishedMetadata {
  title: string
  description: string
  tags: string[]
}

export interface LimitedMetadata extends PublishedMetadata {
  warnings: string[]
}

/** Limits each platform enforces on upload (YouTube Data API v3 videos resource; VK video.save). */
export const PLATFORM_LIMITS = {
  youtube: { titleChars: 100, descriptionBytes: 5000, tagsChars: 500 },
  vk: { titleChars: 128, descriptionChars: 5000 },
} as const

/**
 * Makes rendered metadata acceptable to a platform, saying what changed: YouTube rejects `<` and `>` in titles,
 * descriptions and tags, counts the description in UTF-8 bytes and the tags as one comma-joined string (a tag
 * with a space counts 2 more for its quotes); VK counts characters. Cuts never split a character.
 */
export function applyPlatformLimits(platform: Platform, input: PublishedMetadata): LimitedMetadata {
  switch (platform) {
    case 'youtube':
      return youtubeLimits(input)
    case 'vk':
      return vkLimits(input)
    case 'local':
      return { ...input, tags: [...input.tags], warnings: [] }
  }
}

function youtubeLimits(input: PublishedMetadata): LimitedMetadata {
  const warnings: string[] = []
  const limits = PLATFORM_LIMITS.youtube
  let title = stripAngles(input.title, 'title', warnings).replace(/\s+/g, ' ').trim()
  title = limitTitle(title, limits.titleChars, 'youtube', warnings)
  let description = stripAngles(input.description, 'description', warnings)
  if (utf8Length(description) > limits.descriptionBytes) {
    description = truncate(description, limits.descriptionBytes, { unit: 'bytes' })
    warnings.push(`description cut to ${limits.descriptionBytes} bytes (YouTube limit)`)
  }
  const tags = youtubeTags(input.tags, limits.tagsChars, warnings)
  return { title, description, tags, warnings }
}

function vkLimits(input: PublishedMetadata): LimitedMetadata {
  const warnings: string[] = []
  const limits = PLATFORM_LIMITS.vk
  const title = limitTitle(input.title.replace(/\s+/g, ' ').trim(), limits.titleChars, 'vk', warnings)
  let description = input.description
  if (charLength(description) > limits.descriptionChars) {
    description = truncate(description, limits.descriptionChars)
    warnings.push(`description cut to ${limits.descriptionChars} characters (VK limit)`)
  }
  return { title, description, tags: [...input.tags], warnings }
}

function limitTitle(title: string, max: number, platform: string, warnings: string[]): string {
  if (charLength(title) <= max) return title
  warnings.push(`title cut to ${max} characters (${platform === 'vk' ? 'VK' : 'YouTube'} limit)`)
  return truncate(title, max)
}

function stripAngles(text: string, field: string, warnings: string[]): string {
  if (!/[<>]/.test(text)) return text
  warnings.push(`removed < and > from the ${field} (YouTube does not allow them)`)
  return text.replace(/[<>]/g, '')
}

/** Keeps tags in order while they fit the total; a tag that does not fit is dropped, later shorter ones may fit. */
function youtubeTags(tags: readonly string[], max: number, warnings: string[]): string[] {
  const kept: string[] = []
  let used = 0
  let stripped = false
  for (const raw of tags) {
    const tag = raw.replace(/[<>]/g, '').replace(/\s+/g, ' ').trim()
    if (tag !== raw.replace(/\s+/g, ' ').trim()) stripped = true
    if (tag === '' || kept.some((k) => k.toLowerCase() === tag.toLowerCase())) continue
    const cost = charLength(tag) + (tag.includes(' ') ? 2 : 0) + (kept.length > 0 ? 1 : 0)
    if (used + cost > max) {
      warnings.push(`dropped tag "${tag}" (YouTube allows ${max} characters of tags in total)`)
      continue
    }
    kept.push(tag)
    used += cost
  }
  if (stripped) warnings.push('removed < and > from tags (YouTube does not allow them)')
  return kept
}
