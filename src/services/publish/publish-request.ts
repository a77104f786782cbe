import fs from 'node:fs'
import type { Preset, Recording, UserScope } from '../../db/index.js'
import { validationError } from '../../domain/errors.js'
import { renderPresetMetadata, type RenderContext, type RenderedMetadata } from '../../domain/metadata/index.js'
import { THUMBNAIL_MAX_BYTES, vkRequest, youtubeRequest, type PlatformPublishRequest, type PublishFiles } from '../../domain/publish/index.js'
import {
  effectivePresetMetadata,
  validatePresetInput,
  type MetadataConfig,
  type VkMetadata,
  type YoutubeMetadata,
} from '../../domain/resources/index.js'
import { listAll } from '../paging.js'
import { publishRenderContext, templateMetadataConfig, type PublishRenderSource, type StageOutputs } from './render-context.js'

export interface BuiltPublishRequest {
  /** Title, description and tags as rendered, with the platform's limits applied (what the request carries). */
  rendered: Omit<RenderedMetadata, 'warnings'>
  request: PlatformPublishRequest
  warnings: string[]
}

/**
 * The exact requests a YouTube or VK preset sends for a recording: its metadata with the recording's template
 * overrides, rendered like every publish (src/services/publish/render-context.ts), and the files from the
 * stages' outputs (the poster frame, the subtitles). Shared by `recflow presets render` and the publishing stage,
 * so the preview is what is sent. A preset's own thumbnail file must exist (and fit YouTube's 2 MB).
 */
export async function buildPublishRequest(source: PublishRenderSource, preset: Preset, now = new Date()): Promise<BuiltPublishRequest> {
  const [renderCtx, config] = await Promise.all([publishRenderContext(source), templateMetadataConfig(source.scope, source.recording)])
  return publishRequestFor(preset, config, renderCtx, publishFiles(source.previous), now, source.recording.template_id)
}

/** The same for any render context (`presets render` without a recording uses a sample), from files found already. */
export function publishRequestFor(
  preset: Preset,
  config: MetadataConfig | null,
  renderCtx: RenderContext,
  files: PublishFiles,
  now: Date,
  /** The template `config` comes from: a field it overrides is fixed there, and the hints say so. */
  templateId: number | null = null,
): BuiltPublishRequest {
  const stored = validatePresetInput({ name: preset.name, platform: preset.platform, credential_id: preset.credential_id, preset_metadata: preset.preset_metadata }).preset_metadata
  if (preset.platform !== 'youtube' && preset.platform !== 'vk') throw new Error(`no publish request for a ${preset.platform} preset`)
  const platform = preset.platform
  const metadata = effectivePresetMetadata(platform, stored as never, config) as YoutubeMetadata | VkMetadata
  const { warnings: renderWarnings, ...rendered } = renderPresetMetadata(platform, metadata, null, renderCtx)
  const built =
    platform === 'youtube'
      ? youtubeRequest(metadata as YoutubeMetadata, rendered, files, now, renderCtx.timezone)
      : vkRequest(metadata as VkMetadata, rendered, files)
  const overrides = config as { title_template?: unknown; youtube?: { thumbnail?: unknown }; vk?: { thumbnail?: unknown } } | null
  const fromTemplate = (field: 'title' | 'thumbnail'): boolean =>
    templateId !== null && (field === 'title' ? overrides?.title_template != null : overrides?.[platform]?.thumbnail != null)
  if (built.request.platform === 'youtube' && built.request.insert.body.snippet.title === '') {
    // YouTube refuses an empty title (invalidTitle): say so before a session is opened, with the fix.
    const owner = fromTemplate('title') ? `template ${templateId}` : `preset ${preset.id}`
    throw validationError(
      `${owner}'s title renders empty for this recording, and YouTube needs a title`,
      `give it a title template that always has text, e.g. \`recflow ${owner.replace(' ', 's edit ')} --title "{display_name}"\``,
    )
  }
  if (built.request.thumbnail && built.request.thumbnail.file !== files.poster) {
    checkThumbnail(preset, built.request.thumbnail.file, fromTemplate('thumbnail') ? templateId : null)
  }
  return { rendered, request: built.request, warnings: [...new Set([...renderWarnings, ...built.warnings])] }
}

/** The thumbnail file must exist (and fit YouTube's 2 MB); the error names whose it is: the preset's or its template's. */
function checkThumbnail(preset: Preset, file: string, templateId: number | null): void {
  const owner = templateId === null ? `preset ${preset.id}` : `template ${templateId}`
  const hint =
    templateId === null
      ? `put the image there, or change it with \`recflow presets edit ${preset.id} --thumbnail FILE\` (or --thumbnail poster)`
      : `put the image there, or change metadata_config.${preset.platform}.thumbnail with \`recflow templates edit ${templateId} --file patch.yaml\``
  let size: number
  try {
    size = fs.statSync(file).size
  } catch {
    throw validationError(`${owner}'s thumbnail ${file} does not exist`, hint)
  }
  if (preset.platform === 'youtube' && size > THUMBNAIL_MAX_BYTES) {
    throw validationError(`${owner}'s thumbnail ${file} is ${(size / 1048576).toFixed(1)} MB; YouTube takes at most 2 MB`, hint)
  }
}

const existing = (p: unknown): string | undefined => (typeof p === 'string' && fs.existsSync(p) ? p : undefined)

/** The poster frame and the subtitles the completed stages wrote, when their files are still there. */
export function publishFiles(previous: StageOutputs): PublishFiles {
  const files: PublishFiles = {}
  const poster = existing(previous.PROCESS?.poster_file)
  if (poster !== undefined) files.poster = poster
  const spoken = previous.TRANSCRIBE?.language
  const language = typeof spoken === 'string' && spoken !== '' ? spoken : null
  if (language !== null) files.spokenLanguage = language
  const srt = existing((previous.GENERATE_SUBTITLES?.files as { srt?: unknown } | undefined)?.srt)
  if (srt !== undefined) files.subtitles = { file: srt, language }
  return files
}

/** stage_meta of a recording's completed stages (what the runner passes the publishing stage as `previous`). */
export async function completedStageOutputs(scope: UserScope, recording: Pick<Recording, 'id'>): Promise<StageOutputs> {
  const rows = await listAll((page) => scope.stages.list({ recording_id: recording.id }, page))
  const out: StageOutputs = {}
  for (const row of rows) if (row.status === 'COMPLETED') out[row.stage_type] = (row.stage_meta ?? {}) as Record<string, unknown>
  return out
}
