import { describe, expect, it } from 'vitest'
import { RecflowError } from '../../../../src/domain/errors.js'
import {
  deriveRecordingStatus,
  nextStageToRun,
  STAGE_TYPES,
  type StageState,
  type StageStatus,
  type StageType,
  type TargetStatus,
} from '../../../../src/domain/status/index.js'

/** Stages in pipeline order with the given statuses; missing entries have no row. */
function stages(...statuses: Array<StageStatus | undefined>): StageState[] {
  return statuses.flatMap((status, i) => (status === undefined ? [] : [{ type: STAGE_TYPES[i] as StageType, status }]))
}
const ALL_DONE = stages('COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED')
const targets = (...statuses: TargetStatus[]) => statuses.map((status) => ({ status }))
const derive = (s: StageState[], t: Array<{ status: TargetStatus }> = []) =>
  deriveRecordingStatus({ base: 'INITIALIZED', stages: s, targets: t })

describe('deriveRecordingStatus: one test per rule of the table', () => {
  it('rule 1: SKIPPED and EXPIRED are terminal and ignore stages and targets', () => {
    expect(deriveRecordingStatus({ base: 'SKIPPED', stages: stages('IN_PROGRESS'), targets: [] })).toEqual({ status: 'SKIPPED', failed: false })
    expect(deriveRecordingStatus({ base: 'EXPIRED', stages: ALL_DONE, targets: targets('FAILED') })).toEqual({ status: 'EXPIRED', failed: false })
  })

  it('rule 2: a stage in progress gives its runtime status', () => {
    expect(derive(stages('IN_PROGRESS'))).toEqual({ status: 'DOWNLOADING', failed: false })
    expect(derive(stages('COMPLETED', 'IN_PROGRESS', 'PENDING'))).toEqual({ status: 'PROCESSING', failed: false })
    expect(derive(stages('COMPLETED', 'COMPLETED', 'IN_PROGRESS'))).toEqual({ status: 'TRANSCRIBING', failed: false })
  })

  it('rule 2: topics and subtitles in progress count as TRANSCRIBING', () => {
    expect(derive(stages('COMPLETED', 'SKIPPED', 'COMPLETED', 'IN_PROGRESS', 'PENDING')).status).toBe('TRANSCRIBING')
    expect(derive(stages('COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'IN_PROGRESS')).status).toBe('TRANSCRIBING')
  })

  it('rule 2: work in progress wins over an earlier failure (a retry clears the flag)', () => {
    expect(derive(stages('COMPLETED', 'FAILED', 'IN_PROGRESS'))).toEqual({ status: 'TRANSCRIBING', failed: false })
    expect(derive(ALL_DONE.map((s) => (s.type === 'PROCESS' ? { ...s, status: 'IN_PROGRESS' as const } : s)), targets('UPLOADING')).status).toBe(
      'PROCESSING',
    )
  })

  it('rule 3: a target uploading gives UPLOADING, even beside failed or uploaded targets', () => {
    expect(derive(ALL_DONE, targets('UPLOADING'))).toEqual({ status: 'UPLOADING', failed: false })
    expect(derive(ALL_DONE, targets('UPLOADED', 'FAILED', 'UPLOADING'))).toEqual({ status: 'UPLOADING', failed: false })
  })

  it('rule 4: a failed stage sets failed and rolls back to the last stable status', () => {
    expect(derive(stages('FAILED'))).toEqual({ status: 'INITIALIZED', failed: true, failedStage: 'DOWNLOAD' })
    expect(derive(stages('COMPLETED', 'FAILED', 'PENDING'))).toEqual({ status: 'DOWNLOADED', failed: true, failedStage: 'PROCESS' })
    expect(derive(stages('COMPLETED', 'COMPLETED', 'FAILED'))).toEqual({ status: 'PROCESSED', failed: true, failedStage: 'TRANSCRIBE' })
    expect(derive(stages('COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'FAILED'))).toEqual({
      status: 'PROCESSED',
      failed: true,
      failedStage: 'GENERATE_SUBTITLES',
    })
  })

  it('rule 4: reports the earliest failed stage', () => {
    expect(derive(stages('COMPLETED', 'COMPLETED', 'COMPLETED', 'FAILED', 'FAILED')).failedStage).toBe('EXTRACT_TOPICS')
  })

  it('rule 4: a failed stage wins over a failed target', () => {
    expect(derive(stages('COMPLETED', 'COMPLETED', 'FAILED', 'COMPLETED', 'COMPLETED'), targets('FAILED')).failedStage).toBe('TRANSCRIBE')
  })

  it('rule 5: pending stages leave the status at the last stable value', () => {
    expect(derive([])).toEqual({ status: 'INITIALIZED', failed: false })
    expect(derive(stages('PENDING', 'PENDING'))).toEqual({ status: 'INITIALIZED', failed: false })
    expect(derive(stages('COMPLETED', 'PENDING'))).toEqual({ status: 'DOWNLOADED', failed: false })
    expect(derive(stages('COMPLETED', 'COMPLETED', 'PENDING'))).toEqual({ status: 'PROCESSED', failed: false })
  })

  it('rule 5: a stage without a row has not run, so the status stops before it', () => {
    expect(derive(stages('COMPLETED'))).toEqual({ status: 'DOWNLOADED', failed: false })
    expect(derive(stages('COMPLETED', undefined, 'COMPLETED', 'COMPLETED', 'COMPLETED'))).toEqual({ status: 'DOWNLOADED', failed: false })
  })

  it('rule 5: TRANSCRIBED needs all three transcription stages done', () => {
    expect(derive(stages('COMPLETED', 'COMPLETED', 'COMPLETED', 'PENDING', 'PENDING')).status).toBe('PROCESSED')
    expect(derive(stages('COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'PENDING')).status).toBe('PROCESSED')
  })

  it('rule 5: a stage forced to run again sends the status back before it', () => {
    expect(derive(stages('COMPLETED', 'PENDING', 'COMPLETED', 'COMPLETED', 'COMPLETED'), targets('UPLOADED'))).toEqual({
      status: 'DOWNLOADED',
      failed: false,
    })
  })

  it('rule 6: a failed target sets failed with UPLOAD, staying UPLOADED when another target made it', () => {
    expect(derive(ALL_DONE, targets('UPLOADED', 'FAILED'))).toEqual({ status: 'UPLOADED', failed: true, failedStage: 'UPLOAD' })
    expect(derive(ALL_DONE, targets('FAILED', 'NOT_UPLOADED'))).toEqual({ status: 'TRANSCRIBED', failed: true, failedStage: 'UPLOAD' })
  })

  it('rule 7: all stages done and no targets is READY', () => {
    expect(derive(ALL_DONE)).toEqual({ status: 'READY', failed: false })
  })

  it('rule 7: skipped stages count as done', () => {
    expect(derive(stages('COMPLETED', 'SKIPPED', 'SKIPPED', 'SKIPPED', 'SKIPPED'))).toEqual({ status: 'READY', failed: false })
    expect(derive(stages('SKIPPED', 'SKIPPED', 'SKIPPED', 'SKIPPED', 'SKIPPED'))).toEqual({ status: 'READY', failed: false })
  })

  it('rule 8: every target uploaded is READY', () => {
    expect(derive(ALL_DONE, targets('UPLOADED'))).toEqual({ status: 'READY', failed: false })
    expect(derive(ALL_DONE, targets('UPLOADED', 'UPLOADED', 'UPLOADED'))).toEqual({ status: 'READY', failed: false })
  })

  it('rule 9: some targets uploaded is UPLOADED', () => {
    expect(derive(ALL_DONE, targets('UPLOADED', 'NOT_UPLOADED'))).toEqual({ status: 'UPLOADED', failed: false })
  })

  it('rule 10: targets waiting to be uploaded leave the recording TRANSCRIBED', () => {
    expect(derive(ALL_DONE, targets('NOT_UPLOADED', 'NOT_UPLOADED'))).toEqual({ status: 'TRANSCRIBED', failed: false })
  })

  it('does not depend on the order of the stage rows', () => {
    const shuffled = [...stages('COMPLETED', 'FAILED', 'PENDING', 'PENDING', 'PENDING')].reverse()
    expect(derive(shuffled)).toEqual({ status: 'DOWNLOADED', failed: true, failedStage: 'PROCESS' })
  })

  it('refuses two rows for one stage and unknown values instead of guessing', () => {
    const dup = [...stages('COMPLETED'), { type: 'DOWNLOAD' as const, status: 'PENDING' as const }]
    expect(() => derive(dup)).toThrow(RecflowError)
    expect(() => derive([{ type: 'UPLOAD' as StageType, status: 'COMPLETED' }])).toThrow(/unknown stage type UPLOAD/)
    expect(() => derive([{ type: 'DOWNLOAD', status: 'DONE' as StageStatus }])).toThrow(/unknown stage status DONE/)
    expect(() => derive(ALL_DONE, targets('LIVE' as TargetStatus))).toThrow(/unknown target status LIVE/)
  })
})

describe('nextStageToRun', () => {
  it('returns the first stage that is not completed or skipped', () => {
    expect(nextStageToRun(stages('COMPLETED', 'SKIPPED', 'PENDING', 'PENDING', 'PENDING'), STAGE_TYPES)).toBe('TRANSCRIBE')
  })

  it('resumes a stage left in progress or failed', () => {
    expect(nextStageToRun(stages('COMPLETED', 'IN_PROGRESS'), STAGE_TYPES)).toBe('PROCESS')
    expect(nextStageToRun(stages('COMPLETED', 'COMPLETED', 'FAILED'), STAGE_TYPES)).toBe('TRANSCRIBE')
  })

  it('treats a stage of the plan without a row as still to run', () => {
    expect(nextStageToRun([], STAGE_TYPES)).toBe('DOWNLOAD')
    expect(nextStageToRun(stages('COMPLETED'), ['DOWNLOAD', 'TRANSCRIBE'])).toBe('TRANSCRIBE')
  })

  it('follows the given order and ignores stages outside it', () => {
    expect(nextStageToRun(stages('COMPLETED', 'PENDING', 'PENDING'), ['DOWNLOAD', 'TRANSCRIBE'])).toBe('TRANSCRIBE')
  })

  it('returns null when every planned stage is done', () => {
    expect(nextStageToRun(stages('COMPLETED', 'SKIPPED', 'COMPLETED', 'COMPLETED', 'SKIPPED'), STAGE_TYPES)).toBeNull()
    expect(nextStageToRun(stages('COMPLETED'), ['DOWNLOAD'])).toBeNull()
  })

  it('uses the pipeline order by default', () => {
    expect(nextStageToRun(stages('COMPLETED', 'COMPLETED', 'COMPLETED', 'PENDING'))).toBe('EXTRACT_TOPICS')
  })
})
