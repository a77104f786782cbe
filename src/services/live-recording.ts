import type { Recording, UserScope } from '../db/index.js'
import { notFound } from '../domain/errors.js'

/**
 * The caller's recording by id, or not_found: another user's, a missing one and a deleted one (hidden from lists,
 * e.g. the tombstone a deleted synced recording leaves) all look the same.
 */
export async function liveRecording(scope: UserScope, id: number): Promise<Recording> {
  const rec = await scope.recordings.get(id)
  if (!rec || rec.deleted_at !== null) throw notFound('recording', id, 'run `recflow recordings list` to see recording ids')
  return rec
}
