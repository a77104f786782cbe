import type { RunResult } from '../services/run.js'
import type { SyncResult } from '../services/sync/summary.js'
import { exitCodeFor } from './exit-codes.js'
import { syncOutcome } from './presenters/sync.js'

/** What a command reports when its work ended but not well: the exit code and the `--json` envelope's error. */
export interface CommandFailure {
  exitCode: number
  error: { code: string; message: string; hint: string }
}

/**
 * How a run whose recordings did not all succeed ends: exit 5 when a failure came from an external service (worth
 * retrying later), else 1, `run_failed` in the envelope; 130 and `cancelled` when nothing failed but a task was
 * cancelled (`tasks cancel` from another terminal stops a run like Ctrl-C does); else the failure of its sync, if
 * a source could not be synced (see syncFailure). Null when all went well. The result is still printed in full
 * (under `data` with --json): one failure does not hide the others.
 */
export function runFailure(result: RunResult): CommandFailure | null {
  const failed = result.recordings.filter((o) => o.state === 'failed')
  const total = result.recordings.length
  if (failed.length === 0) {
    const cancelled = result.recordings.filter((o) => o.state === 'cancelled')
    if (cancelled.length === 0) return result.sync ? syncFailure(result.sync) : null
    return {
      exitCode: 130,
      error: {
        code: 'cancelled',
        message: `${cancelled.length} of ${total} recording${total === 1 ? '' : 's'} cancelled: ${cancelled.map((o) => `#${o.recordingId}`).join(', ')}`,
        hint: 'run the same command again to resume from the first unfinished stage',
      },
    }
  }
  const named = failed.slice(0, 3).map((o) => `#${o.recordingId} ${o.displayName} (${o.error?.message ?? 'failed'})`)
  const more = failed.length > named.length ? `, and ${failed.length - named.length} more` : ''
  return {
    exitCode: failed.some((o) => o.error?.code === 'provider') ? 5 : 1,
    error: {
      code: 'run_failed',
      message: `${failed.length} of ${total} recording${total === 1 ? '' : 's'} failed: ${named.join('; ')}${more}`,
      hint: failed.find((o) => o.error?.hint)?.error?.hint ?? 'see each recording in data.recordings, or `recflow recordings show ID`',
    },
  }
}

/**
 * A sync where a source could not be synced (the others went on): exit 5 and `sync_failed`, naming the sources and
 * why ("4 of 5 sources synced, 1 failed: …"). Null when every source synced or was skipped.
 */
export function syncFailure(result: SyncResult): CommandFailure | null {
  const outcome = syncOutcome(result)
  if (outcome.failed.length === 0) return null
  const hint = outcome.failed.find((s) => s.error?.hint)?.error?.hint ?? 'see each source in data.sources'
  return { exitCode: exitCodeFor('provider'), error: { code: 'sync_failed', message: outcome.line, hint } }
}
