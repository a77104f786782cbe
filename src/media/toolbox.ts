import type { LocateOptions } from './binaries.js'
import type { MediaCapabilities } from './capabilities.js'
import type { MediaTools } from './types.js'

export interface MediaToolsReport {
  tools: MediaTools
  capabilities: MediaCapabilities
}

/**
 * Locates ffmpeg/ffprobe and probes their capabilities once per app (createApp builds one toolbox and passes it
 * down). The memo lives in the instance, never in module state. A failed lookup is not remembered, so a user
 * who installs ffmpeg after an error does not have to restart the daemon. The locating and probing code (and
 * child_process) is imported on first use: building the app for a command that never runs ffmpeg loads none of it.
 */
export class MediaToolbox {
  readonly #options: Omit<LocateOptions, 'signal'>
  #tools: Promise<MediaTools> | undefined
  #capabilities: Promise<MediaCapabilities> | undefined

  constructor(options: Omit<LocateOptions, 'signal'> = {}) {
    this.#options = options
  }

  tools(): Promise<MediaTools> {
    this.#tools ??= import('./binaries.js')
      .then(({ locateMediaTools }) => locateMediaTools(this.#options))
      .catch((e: unknown) => {
        this.#tools = undefined
        throw e
      })
    return this.#tools
  }

  capabilities(): Promise<MediaCapabilities> {
    this.#capabilities ??= this.tools()
      .then(async (tools) => (await import('./capabilities.js')).probeCapabilities(tools))
      .catch((e: unknown) => {
        this.#capabilities = undefined
        throw e
      })
    return this.#capabilities
  }

  /** What `doctor` shows: which binaries, where they came from, their versions and capabilities. */
  async report(): Promise<MediaToolsReport> {
    const [tools, capabilities] = await Promise.all([this.tools(), this.capabilities()])
    return { tools, capabilities }
  }
}
