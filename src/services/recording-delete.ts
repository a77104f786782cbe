import fs from 'node:fs/promises'
import { conflict } from '../domain/errors.js'
import type { ServiceDeps, UserRef } from './context.js'
import { liveRecording } from './live-recording.js'
import { listAll } from './paging.js'
import { recordingDir, userMediaDir } from './pipeline/recording-files.js'
import { inside, measureRecordingStorage } from './quota/storage.js'

export interface DeletedRecording {
  id: number
  /** `removed`: the row is gone; `tombstone`: a synced recording's row stays hidden (deleted_at), so no sync brings it back. */
  row: 'removed' | 'tombstone'
  /** Bytes of recflow's storage freed (the user's storage quota went down by as much). */
  freed_bytes: number
}

/**
 * Deletes a recording with its media: its folder (download, processed file, transcript, subtitles) and an original
 * stored under the user's media folder (an upload; a file imported from elsewhere is the user's and stays), then
 * the storage quota follows. Refused (409) while a task is pending or running for it. A recording a source brought
 * in (Zoom, a folder) keeps a hidden row without stages, targets or topics, like a user's soft delete, so the
 * next sync does not import it again; any other is removed with its rows. Published copies stay where they are.
 */
export async function deleteRecording(deps: ServiceDeps, user: UserRef, id: number): Promise<DeletedRecording> {
  const scope = deps.scopes.forUser(user.id)
  const rec = await liveRecording(scope, id)
  // A task left "running" by a dead process is not active: take it back first.
  await deps.queue.recoverDeadLocalOwners({ now: deps.clock.now(), userId: user.id, logger: deps.logger })
  const tombstone = rec.input_source_id !== null
  await scope.transaction(async (tx) => {
    const active = await tx.tasks.list({ recording_id: id, state: ['pending', 'running'] }, { limit: 1 })
    const task = active.items[0]
    if (task) throw conflict(`recording ${id} has a ${task.state} task (${task.id})`, `wait for it or cancel it: recflow tasks cancel ${task.id}`)
    if (!tombstone) {
      await tx.recordings.remove(id)
      return
    }
    for (const st of await listAll((page) => tx.stages.list({ recording_id: id }, page))) await tx.stages.remove(st.id)
    for (const t of await listAll((page) => tx.targets.list({ recording_id: id }, page))) await tx.targets.remove(t.id)
    for (const set of await tx.topicSets.listForRecording(id)) await tx.topicSets.remove(set.id)
    await tx.recordings.clearFailure(id)
    await tx.recordings.update(id, { processed_file: null })
    await tx.recordings.markDeleted(id, { at: deps.clock.now(), expire_at: null })
  })
  // The media only after the commit: a refused delete leaves every file.
  const dir = recordingDir(deps.env.mediaDir, user.id, id)
  await fs.rm(dir, { recursive: true, force: true })
  const original = rec.original_file
  if (original && !inside(original, dir) && inside(original, userMediaDir(deps.env.mediaDir, user.id))) {
    await fs.rm(original, { force: true })
  }
  const delta = await measureRecordingStorage(deps, user, id)
  return { id, row: tombstone ? 'tombstone' : 'removed', freed_bytes: -delta }
}
