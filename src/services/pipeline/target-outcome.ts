/** What publishing one target came to, as the run reports it. */
export interface TargetOutcome {
  /** Null when no preset could be known (the recording's template was removed during the run). */
  presetId: number | null
  platform: string
  status: 'UPLOADED' | 'FAILED' | 'LEFT_OUT'
  location?: string
  reason?: string
  hint?: string
  /** YouTube / VK: the platform's video id (location is then its URL). */
  videoId?: string
  /** A failure without an output target row (the preset or the template is gone): the runner records it. */
  unrecorded?: true
}

/** Which targets a run publishes (`recordings upload --preset`, `recordings retry-upload --platform`); all when empty. */
export interface TargetSelection {
  presetIds?: number[]
  platforms?: Array<'youtube' | 'vk' | 'local'>
  /** Only targets that FAILED (`recordings retry-upload`). */
  failedOnly?: boolean
}
