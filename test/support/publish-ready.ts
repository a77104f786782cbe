import crypto from 'node:crypto'
import fs from 'node:fs'
import type { App } from '../../src/app.js'
import { forUser, type UserScope } from '../../src/db/index.js'
import { STAGE_TYPES } from '../../src/domain/status/index.js'
import { seedOAuthCredential } from './oauth.js'

/** A file of `bytes` random bytes and its SHA-256. */
export function randomMedia(file: string, bytes: number): { file: string; sha256: string } {
  const data = crypto.randomBytes(bytes)
  fs.writeFileSync(file, data)
  return { file, sha256: crypto.createHash('sha256').update(data).digest('hex') }
}

/** A YouTube sign-in whose access token the fake accepts (no expiry: no refresh needed). */
export function seedYoutubeCredential(app: App, token: string, account = 'Lectures channel'): Promise<number> {
  return seedOAuthCredential(app, {
    platform: 'youtube',
    accessToken: token,
    refreshToken: 'refresh-unused',
    expiresAt: null,
    clientId: 'client.apps.googleusercontent.com',
    clientSecret: 'secret',
    accountName: account,
  })
}

/** A VK sign-in whose user token the VK API fake accepts. */
export function seedVkCredential(app: App, token: string, account = 'Lecturer'): Promise<number> {
  return seedOAuthCredential(app, {
    platform: 'vk',
    accessToken: token,
    refreshToken: null,
    expiresAt: null,
    clientId: '51234567',
    clientSecret: null,
    accountName: account,
  })
}

/**
 * A recording whose stages are all done (PROCESS made `mediaFile`, the rest skipped), bound to a template that
 * publishes to `presetIds`: a run of it goes straight to the uploads.
 */
export async function readyToPublish(app: App, opts: { name: string; mediaFile: string; presetIds: number[] }): Promise<{ scope: UserScope; recordingId: number }> {
  const scope = forUser(app.database.db, app.localUser.id)
  const template = await scope.templates.create({ name: `tpl ${opts.name}`, matching_rules: {}, is_draft: true, output_config: { preset_ids: opts.presetIds } })
  const rec = await scope.recordings.create({ display_name: opts.name, start_time: '2026-03-02T09:00:00Z', status: 'PROCESSED', original_file: opts.mediaFile })
  await scope.recordings.update(rec.id, { template_id: template.id, processed_file: opts.mediaFile })
  await markStagesDone(scope, rec.id, opts.mediaFile)
  return { scope, recordingId: rec.id }
}

/** Every stage done (PROCESS made `mediaFile`, the rest skipped), e.g. again after a reset took the stage rows. */
export async function markStagesDone(scope: UserScope, recordingId: number, mediaFile: string): Promise<void> {
  for (const stage of STAGE_TYPES) {
    const row = await scope.stages.ensure(recordingId, stage)
    await scope.stages.update(row.id, stage === 'PROCESS' ? { status: 'COMPLETED', stage_meta: { processed_file: mediaFile, processed_duration: 60 } } : { status: 'SKIPPED' })
  }
}
