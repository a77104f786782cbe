import type { ApiServer, RouteContext } from '../route-context.js'
import { registerAuthRoutes } from './auth.js'
import { registerPresetRoutes } from './presets.js'
import { registerQuotaRoutes } from './quota.js'
import { registerRecordingRunRoutes } from './recording-run.js'
import { registerRecordingActionRoutes } from './recording-actions.js'
import { registerRecordingBatchRoutes } from './recording-batch.js'
import { registerRecordingUploadRoutes } from './recording-upload.js'
import { registerSourceRoutes } from './sources.js'
import { registerTemplateRoutes } from './templates.js'
import { registerRecordingRoutes } from './recordings.js'
import { registerTaskRoutes } from './tasks.js'
import { registerRecordingConfigRoutes } from './recording-config.js'
import { registerRecordingFileRoutes } from './recording-files.js'
import { registerUsersMeRoutes } from './users-me.js'
import { registerCredentialRoutes } from './credentials.js'
import { registerOAuthRoutes } from './oauth.js'
import { registerWebhookRoutes } from './webhooks.js'
import { registerSourceSyncRoutes } from './source-sync.js'
import { registerUserConfigRoutes } from './user-config.js'
import { registerAutomationJobRoutes } from './automation-jobs.js'
import { registerThumbnailRoutes } from './thumbnails.js'

/**
 * Every /api/v1 route module, in one static list (REST-API.md). Within a module, literal paths are registered
 * before `{id}` paths; fastify's router prefers static segments anyway, so `/recordings/batch-process` can never
 * be taken for an id.
 */
export function registerApiRoutes(server: ApiServer, ctx: RouteContext): void {
  registerAuthRoutes(server, ctx)
  registerUsersMeRoutes(server, ctx)
  registerSourceRoutes(server, ctx)
  registerQuotaRoutes(server, ctx)
  registerCredentialRoutes(server, ctx)
  registerOAuthRoutes(server, ctx)
  registerWebhookRoutes(server, ctx)
  registerRecordingRunRoutes(server, ctx)
  registerRecordingBatchRoutes(server, ctx)
  registerRecordingUploadRoutes(server, ctx)
  registerRecordingActionRoutes(server, ctx)
  registerPresetRoutes(server, ctx)
  registerTemplateRoutes(server, ctx)
  registerRecordingRoutes(server, ctx)
  registerTaskRoutes(server, ctx)
  registerSourceSyncRoutes(server, ctx)
  registerUserConfigRoutes(server, ctx)
  registerAutomationJobRoutes(server, ctx)
  registerThumbnailRoutes(server, ctx)
  registerRecordingConfigRoutes(server, ctx)
  registerRecordingFileRoutes(server, ctx)
}
