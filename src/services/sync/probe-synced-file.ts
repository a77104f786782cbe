import type { Recording, UserScope } from '../../db/index.js'
import { RecflowError } from '../../domain/errors.js'
import type { MediaInfo, MediaTools } from '../../media/index.js'
import { asLocalFileMetadata, mediaFacts, probeRecordingFile } from './inspect-file.js'

/**
 * The probe a sync left for later (see inspect-file.ts, `deferProbe`), run when the recording is first processed
 * (the DOWNLOAD stage, where a file is taken in): a synced file whose media facts are not known yet is probed
 * once; its duration and media facts are stored, and the container's creation time becomes the start time (it
 * ranks first, as at sync). A file that is not a usable recording fails the stage with the reason, the same
 * stage and reason a sync used to record. Nothing happens for recordings that were probed already (imports,
 * files synced before, files judged at sync) or that have no source metadata.
 */
export async function probeSyncedFile(input: {
  scope: UserScope
  recording: Recording
  file: string
  tools: () => Promise<MediaTools>
  signal?: AbortSignal
}): Promise<MediaInfo | undefined> {
  const { scope, recording, file } = input
  const row = await scope.sourceMetadata.getByRecording(recording.id)
  const stored = asLocalFileMetadata(row?.metadata)
  if (stored === undefined || stored.media !== undefined) return undefined
  // The truncation check is left to the PROCESS stage, which overlaps it with silence detection.
  const verdict = await probeRecordingFile(file, input.tools, input.signal, { checkTruncation: false })
  if (verdict.kind === 'gone') {
    throw new RecflowError('validation', `the media file ${file} is gone`, { hint: 'put the file back, or run `recflow sync` so recflow notices it vanished' })
  }
  if (verdict.kind === 'unusable') {
    await scope.sourceMetadata.set(recording.id, { input_source_id: recording.input_source_id, metadata: { ...stored, problem: verdict.reason } })
    throw new RecflowError('validation', verdict.reason, { hint: 'replace the file with a playable recording, then run `recflow sync` and process it again' })
  }
  const { info } = verdict
  const { problem: _old, container: _sniffed, ...rest } = stored
  const startTime = info.startTime
  await scope.transaction(async (tx) => {
    await tx.recordings.update(recording.id, { duration: info.durationS, ...(startTime ? { start_time: startTime } : {}) })
    await tx.sourceMetadata.set(recording.id, {
      input_source_id: recording.input_source_id,
      metadata: { ...rest, media: mediaFacts(info), ...(startTime ? { start_time_from: 'creation_time' } : {}) },
    })
  })
  return info
}
