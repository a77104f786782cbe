import type { App } from '../../src/app.js'
import { forUser, type Recording } from '../../src/db/index.js'
import type { ZoomStorageFake } from '../fakes/zoom-storage.js'
import { seedOAuthCredential } from './oauth.js'

/*
 * A Zoom recording as a Zoom sync leaves it (a zoom source with an OAuth credential, the recording INITIALIZED with
 * no original file, source_metadata naming the chosen file with its download URL and size), its bytes served by
 * the storage fake. For DOWNLOAD stage tests that are not about the sync; the sync's own tests and the SIGKILL
 * test (test/e2e/process/zoom-download-sigkill.test.ts) go through the real sync.
 */

export const ZOOM_DOWNLOAD_TOKEN = 'zoom-download-test-token'

export async function seedZoomRecording(
  app: App,
  input: { storage: ZoomStorageFake; bytes: Buffer; fileId: string; fileType?: 'MP4' | 'M4A'; name?: string; credentialId?: number },
): Promise<{ recording: Recording; credentialId: number; downloadUrl: string }> {
  const user = app.localUser
  const credentialId =
    input.credentialId ??
    (await seedOAuthCredential(app, {
      platform: 'zoom',
      accessToken: ZOOM_DOWNLOAD_TOKEN,
      refreshToken: 'zoom-download-test-refresh',
      expiresAt: new Date(Date.now() + 3_600_000),
      clientId: 'zoom-client',
      clientSecret: 'zoom-client-secret',
      accountName: 'lecturer@example.edu',
    }))
  input.storage.acceptToken(ZOOM_DOWNLOAD_TOKEN)
  const name = input.name ?? `zoom-${input.fileId}`
  const source = await (await app.service('sources')).create(user, { name, platform: 'zoom', credential_id: credentialId, config: {} })
  const { download_url, file_size } = input.storage.addFile(input.fileId, input.bytes, input.fileType === 'M4A' ? 'audio/mp4' : 'video/mp4')
  const scope = forUser(app.database.db, user.id)
  const uuid = `${Buffer.from(input.fileId).toString('base64')}==`
  const recording = await scope.recordings.create({
    display_name: `Lecture ${input.fileId}`,
    start_time: '2026-03-02T09:00:00Z',
    status: 'INITIALIZED',
    input_source_id: source.id,
    source_key: uuid,
    source_fingerprint: `zoom:${input.fileId}:${file_size}`,
    size_bytes: file_size,
  })
  const fileType = input.fileType ?? 'MP4'
  await scope.sourceMetadata.set(recording.id, {
    input_source_id: source.id,
    metadata: {
      kind: 'zoom_meeting',
      zoom_user: 'me',
      meeting_uuid: uuid,
      media_file: {
        id: input.fileId,
        fileType,
        fileExtension: fileType,
        recordingType: fileType === 'M4A' ? 'audio_only' : 'shared_screen_with_speaker_view',
        status: 'completed',
        sizeBytes: file_size,
        downloadUrl: download_url,
        recordingStart: null,
        recordingEnd: null,
      },
      extra_files: [],
      meeting: { uuid, topic: `Lecture ${input.fileId}` },
      synced_at: new Date().toISOString(),
    },
  })
  return { recording, credentialId, downloadUrl: download_url }
}
