import type { RunResult } from '../services/run.js'

/**
 * Exit code of a run whose recordings did not all succeed: 5 when a failure came from an external service
 * (worth retrying later), else 1; 130 when nothing failed but a task was cancelled (`tasks cancel` from another
 * terminal stops a run like Ctrl-C does). The result is still printed in full: one failure does not hide the others.
 */
export function runExitCode(result: RunResult): number {
  const failed = result.recordings.filter((o) => o.state === 'failed')
  if (failed.length === 0) return result.recordings.some((o) => o.state === 'cancelled') ? 130 : 0
  return failed.some((o) => o.error?.code === 'provider') ? 5 : 1
}
