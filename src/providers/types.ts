/**
 * Small capability interfaces the services depend on; each provider implements one and returns domain shapes.
 * Failures map to ProviderError so the job layer can decide about retries.
 */
export type ProviderErrorKind = 'auth' | 'rate_limited' | 'quota' | 'not_found' | 'transient' | 'permanent'

export class ProviderError extends Error {
  readonly provider: string
  readonly kind: ProviderErrorKind
  readonly retryAfterMs?: number
  constructor(provider: string, kind: ProviderErrorKind, message: string, opts: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'ProviderError'
    this.provider = provider
    this.kind = kind
    this.retryAfterMs = opts.retryAfterMs
  }
}

export interface PublishMetadata {
  title: string
  description: string
  tags: string[]
}

export interface PublishInput {
  mediaFile: string
  /** Extra files published next to the media, each with the suffix it gets after the base name. */
  sidecars: Array<{ path: string; suffix: string }>
  metadata: PublishMetadata & Record<string, unknown>
  /** File base name (local) or nothing (platforms name videos by title). */
  baseName: string
  /** Where a previous attempt of the same target meant to write; reused so a retry never duplicates. */
  previous?: { id?: string; path?: string }
}

export interface PublishResult {
  /** Stable id of the published item (a video id; for folders, the media file path). */
  id: string
  url?: string
  files: string[]
}

export interface PublishControl {
  signal?: AbortSignal
  onProgress?: (percent: number) => void
  /** Called with the planned location before any byte is written, so it can be persisted first. */
  onPlanned?: (planned: { id?: string; path?: string }) => Promise<void>
  /**
   * Folder publishers: claims a destination path for this target (false when another target holds it), or
   * releases the claim (null). The claim is durable, so a retry knows which existing file is its own.
   */
  reserve?: (path: string | null) => Promise<boolean>
}

export interface VideoPublisher {
  readonly platform: 'youtube' | 'vk' | 'local'
  publish(input: PublishInput, control?: PublishControl): Promise<PublishResult>
}

/** What building a publisher needs, per platform (YouTube and VK will publish with a stored credential). */
export interface PublisherConfigs {
  local: { destination: string }
  youtube: { credentialId: number }
  vk: { credentialId: number }
}

/**
 * The publishers the composition root wires in, one factory per platform, each loading its provider on first
 * use. Services reach providers only through this (and the types above); a platform without a factory is not
 * published to yet.
 */
export type Publishers = {
  readonly [P in VideoPublisher['platform']]?: (config: PublisherConfigs[P]) => Promise<VideoPublisher>
}
