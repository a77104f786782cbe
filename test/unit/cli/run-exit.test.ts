import { describe, expect, it } from 'vitest'
import { runFailure } from '../../../src/cli/run-exit.js'
import { emptyCounts, type SourceSyncSummary } from '../../../src/services/sync/summary.js'
import type { RunOutcome, RunResult } from '../../../src/services/run.js'

const outcome = (recordingId: number, state: RunOutcome['state'], error?: RunOutcome['error']): RunOutcome => ({
  recordingId,
  displayName: `Lecture ${recordingId}`,
  state,
  ...(error ? { error } : {}),
})
const result = (...recordings: RunOutcome[]): RunResult => ({ sync: null, recordings, cancelled: false, dryRun: false })

describe('runFailure', () => {
  it('is null when every recording succeeded or is left pending, and for an empty run', () => {
    expect(runFailure(result())).toBeNull()
    expect(runFailure(result(outcome(1, 'succeeded'), outcome(2, 'pending')))).toBeNull()
  })

  it('exits 1 and names the failed recordings with their reasons and the first hint', () => {
    const f = runFailure(
      result(outcome(1, 'succeeded'), outcome(2, 'failed', { code: 'media', message: 'is truncated' }), outcome(3, 'failed', { code: 'io', message: 'disk full', hint: 'free some space' })),
    )
    expect(f).toEqual({
      exitCode: 1,
      error: { code: 'run_failed', message: '2 of 3 recordings failed: #2 Lecture 2 (is truncated); #3 Lecture 3 (disk full)', hint: 'free some space' },
    })
  })

  it('exits 5 when a failure came from an external service, and cuts a long list short', () => {
    const failed = [1, 2, 3, 4, 5].map((id) => outcome(id, 'failed', { code: id === 4 ? 'provider' : 'media', message: `why ${id}` }))
    const f = runFailure(result(...failed))!
    expect(f.exitCode).toBe(5)
    expect(f.error.message).toBe('5 of 5 recordings failed: #1 Lecture 1 (why 1); #2 Lecture 2 (why 2); #3 Lecture 3 (why 3), and 2 more')
    expect(f.error.hint).toMatch(/recordings show ID/)
  })

  it('exits 130 for a cancelled recording when none failed; a failure outranks a cancel', () => {
    expect(runFailure(result(outcome(1, 'succeeded'), outcome(2, 'cancelled')))).toMatchObject({ exitCode: 130, error: { code: 'cancelled', message: '1 of 2 recordings cancelled: #2' } })
    expect(runFailure(result(outcome(1, 'failed', { code: 'media', message: 'x' }), outcome(2, 'cancelled')))).toMatchObject({ exitCode: 1, error: { code: 'run_failed' } })
  })

  it('exits 5 for a source that could not be synced when no recording failed or was cancelled', () => {
    const source = (sourceId: number, name: string, status: SourceSyncSummary['status'], error?: SourceSyncSummary['error']): SourceSyncSummary =>
      ({ ...emptyCounts(), sourceId, name, platform: 'local', status, changedAfterProcessing: [], ...(error ? { error } : {}) }) as SourceSyncSummary
    const sync = { sources: [source(1, 'a', 'synced'), source(2, 'b', 'error', { code: 'not_found', message: 'the folder /x is gone', hint: 'recflow sources edit 2 --path DIR' })] }
    const ran = { ...result(outcome(1, 'succeeded')), sync }
    expect(runFailure(ran)).toEqual({
      exitCode: 5,
      error: { code: 'sync_failed', message: '1 of 2 sources synced, 1 failed: b (the folder /x is gone)', hint: 'recflow sources edit 2 --path DIR' },
    })
    expect(runFailure({ ...ran, recordings: [outcome(1, 'failed', { code: 'media', message: 'x' })] })).toMatchObject({ error: { code: 'run_failed' } })
    expect(runFailure({ ...ran, sync: { sources: [source(1, 'a', 'synced'), source(3, 'c', 'skipped')] } })).toBeNull()
  })
})
