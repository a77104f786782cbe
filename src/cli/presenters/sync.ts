import type { SyncResult } from '../../services/sync/summary.js'

/**
 * The outcome line of a sync over several sources, e.g. "4 of 5 sources synced, 1 failed: lectures (folder
 * /mnt/usb does not exist)". `failed` is empty when every source synced or was skipped on purpose.
 */
export function syncOutcome(result: SyncResult): { line: string; failed: SyncResult['sources'] } {
  const total = result.sources.length
  const synced = result.sources.filter((s) => s.status === 'synced').length
  const skipped = result.sources.filter((s) => s.status === 'skipped').length
  const failed = result.sources.filter((s) => s.status === 'error')
  const parts = [`${synced} of ${total} source${total === 1 ? '' : 's'} synced`]
  if (skipped > 0) parts.push(`${skipped} skipped`)
  if (failed.length > 0) parts.push(`${failed.length} failed: ${failed.map((s) => `${s.name} (${s.error?.message ?? 'unknown error'})`).join('; ')}`)
  return { line: parts.join(', '), failed }
}
