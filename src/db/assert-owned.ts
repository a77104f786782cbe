import { RecflowError } from '../domain/errors.js'
import type { OwnedTableName } from './schema.js'
import type { Executor } from './transaction.js'
import { isId } from './values.js'

/** How a referenced row is named in messages ("preset 12 not found"). */
const LABELS: Record<OwnedTableName, string> = {
  refresh_tokens: 'refresh token',
  user_credentials: 'credential',
  user_configs: 'config',
  user_subscriptions: 'subscription',
  quota_usage: 'quota usage',
  quota_change_history: 'quota change',
  quota_counted_recordings: 'counted recording',
  quota_recording_storage: 'recording storage',
  input_sources: 'source',
  recordings: 'recording',
  source_metadata: 'source metadata',
  recording_templates: 'template',
  output_presets: 'preset',
  output_targets: 'output target',
  processing_stages: 'processing stage',
  topic_sets: 'topic set',
  automation_jobs: 'automation job',
  automation_job_runs: 'automation job run',
  tasks: 'task',
  task_events: 'task event',
}

export const labelOf = (table: OwnedTableName): string => LABELS[table]

/**
 * Checks that every id names a row of `table` owned by `userId`. Another user's id gets exactly the answer a
 * missing id gets (not_found, naming the id), so ids of other tenants are never confirmed.
 */
export async function assertOwned(
  executor: Executor,
  userId: number,
  table: OwnedTableName,
  ids: Iterable<unknown>,
): Promise<void> {
  const wanted = [...new Set(ids)]
  if (wanted.length === 0) return
  const malformed = wanted.find((id) => !isId(id))
  if (malformed !== undefined) {
    throw new RecflowError('validation', `${LABELS[table]} id must be a positive integer, got ${JSON.stringify(malformed)}`)
  }
  const found = await executor
    .selectFrom(table)
    .select('id')
    .where('user_id', '=', userId)
    .where('id', 'in', wanted as number[])
    .execute()
  const present = new Set(found.map((row) => row.id))
  const missing = (wanted as number[]).find((id) => !present.has(id))
  if (missing !== undefined) {
    throw new RecflowError('not_found', `${LABELS[table]} ${missing} not found`)
  }
}

/**
 * Reads an id list out of a JSON document field (e.g. `output_config.preset_ids`). Absent or null means none;
 * anything other than an array of ids is a validation error, so a malformed reference cannot skip the check.
 */
export function idsAt(document: unknown, field: string, label: string): number[] {
  if (document === null || document === undefined || typeof document !== 'object') return []
  const value = (document as Record<string, unknown>)[field]
  if (value === undefined || value === null) return []
  if (!Array.isArray(value) || !value.every(isId)) {
    throw new RecflowError('validation', `${label}.${field} must be an array of ids`)
  }
  return value
}
