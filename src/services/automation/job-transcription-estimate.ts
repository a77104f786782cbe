import type { Template, UserScope } from '../../db/index.js'
import { resolveConfig, validatePartialConfig, validateStoredUserConfig } from '../../domain/config/index.js'
import { probeMedia } from '../../media/index.js'
import type { ServiceDeps } from '../context.js'

/** What transcribing one recording of a template would cost, as far as it is known before processing. */
export interface TranscriptionEstimate {
  /** The template's effective config transcribes (a provider is set and transcription is on). */
  transcribed: boolean
  /** USD per audio minute of the configured model; null when not transcribed or the price is unknown. */
  pricePerMinuteUsd: number | null
}

/**
 * The transcription settings each template's recordings would run with (the user's config under the template's
 * processing_config, as the pipeline resolves them), cached per template, and the length of a file by ffprobe
 * (read only; null when it is not readable media). Nothing here writes.
 */
export function transcriptionEstimator(deps: ServiceDeps, scope: UserScope) {
  const byTemplate = new Map<number, Promise<TranscriptionEstimate>>()
  let userConfig: Promise<unknown> | undefined

  const estimate = async (template: Template): Promise<TranscriptionEstimate> => {
    userConfig ??= scope.configs.get().then((c) => c?.config)
    let cfg
    try {
      cfg = resolveConfig([
        { name: 'user', config: validateStoredUserConfig(await userConfig) },
        { name: 'template', config: validatePartialConfig(template.processing_config ?? {}, 'template processing_config') },
      ]).config.transcription
    } catch {
      return { transcribed: false, pricePerMinuteUsd: null } // the run would fail on the same config: nothing to bill
    }
    if (!cfg.enabled || cfg.provider === null) return { transcribed: false, pricePerMinuteUsd: null }
    return { transcribed: true, pricePerMinuteUsd: await deps.ai.transcriptionPrice(cfg.provider, cfg.model) }
  }

  return {
    forTemplate(template: Template): Promise<TranscriptionEstimate> {
      let pending = byTemplate.get(template.id)
      if (!pending) byTemplate.set(template.id, (pending = estimate(template)))
      return pending
    },
    async durationS(file: string, signal?: AbortSignal): Promise<number | null> {
      try {
        return (await probeMedia(await deps.media.tools(), file, { signal })).durationS
      } catch {
        return null
      }
    },
  }
}
