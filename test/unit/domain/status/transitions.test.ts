import { describe, expect, it } from 'vitest'
import { RecflowError } from '../../../../src/domain/errors.js'
import {
  assertTransition,
  canTransition,
  PIPELINE_STATUSES,
  RECORDING_STATUSES,
  RUNTIME_STATUSES,
  STABLE_STATUSES,
  stableStatusBefore,
  type RecordingStatus,
} from '../../../../src/domain/status/index.js'

function errorOf(fn: () => unknown): RecflowError {
  try {
    fn()
  } catch (e) {
    if (e instanceof RecflowError) return e
    throw e
  }
  throw new Error('expected a RecflowError')
}

const rank = (s: RecordingStatus) => (PIPELINE_STATUSES as readonly string[]).indexOf(s)
const pairs = RECORDING_STATUSES.flatMap((from) => RECORDING_STATUSES.map((to) => [from, to] as const))

describe('canTransition: one test per row of the table', () => {
  it('refuses a status going to itself', () => {
    for (const s of RECORDING_STATUSES) expect(canTransition(s, s), s).toBe(false)
  })

  it('lets any pipeline status move to any later one (stages may be skipped)', () => {
    for (const [from, to] of pairs) {
      if (rank(from) >= 0 && rank(to) > rank(from)) expect(canTransition(from, to), `${from} -> ${to}`).toBe(true)
    }
    expect(canTransition('INITIALIZED', 'DOWNLOADING')).toBe(true)
    expect(canTransition('DOWNLOADED', 'TRANSCRIBING')).toBe(true)
    expect(canTransition('UPLOADING', 'READY')).toBe(true)
  })

  it('lets a runtime status roll back to an earlier stable status', () => {
    expect(canTransition('PROCESSING', 'DOWNLOADED')).toBe(true)
    expect(canTransition('UPLOADING', 'UPLOADED')).toBe(true)
    expect(canTransition('TRANSCRIBING', 'DOWNLOADED')).toBe(true)
    expect(canTransition('DOWNLOADING', 'INITIALIZED')).toBe(true)
  })

  it('refuses a runtime status going back to an earlier runtime status', () => {
    for (const from of RUNTIME_STATUSES) {
      for (const to of RUNTIME_STATUSES) {
        if (rank(to) < rank(from)) expect(canTransition(from, to), `${from} -> ${to}`).toBe(false)
      }
    }
  })

  it('refuses SKIPPED and EXPIRED while a stage runs', () => {
    for (const from of RUNTIME_STATUSES) {
      expect(canTransition(from, 'SKIPPED')).toBe(false)
      expect(canTransition(from, 'EXPIRED')).toBe(false)
    }
  })

  it('lets a stable status go back to any earlier pipeline status (re-run, reset, new target)', () => {
    expect(canTransition('READY', 'PROCESSING')).toBe(true)
    expect(canTransition('READY', 'UPLOADED')).toBe(true)
    expect(canTransition('TRANSCRIBED', 'INITIALIZED')).toBe(true)
    expect(canTransition('UPLOADED', 'UPLOADING')).toBe(true)
  })

  it('lets a stable status become SKIPPED or EXPIRED', () => {
    for (const from of STABLE_STATUSES) {
      expect(canTransition(from, 'SKIPPED'), from).toBe(true)
      expect(canTransition(from, 'EXPIRED'), from).toBe(true)
    }
  })

  it('lets SKIPPED go only to INITIALIZED or EXPIRED', () => {
    const allowed = RECORDING_STATUSES.filter((to) => canTransition('SKIPPED', to))
    expect(allowed).toEqual(['INITIALIZED', 'EXPIRED'])
  })

  it('lets EXPIRED go only to INITIALIZED', () => {
    expect(RECORDING_STATUSES.filter((to) => canTransition('EXPIRED', to))).toEqual(['INITIALIZED'])
  })

  it('lets PENDING_SOURCE go only to INITIALIZED or SKIPPED, and nothing go to PENDING_SOURCE', () => {
    expect(RECORDING_STATUSES.filter((to) => canTransition('PENDING_SOURCE', to))).toEqual(['INITIALIZED', 'SKIPPED'])
    expect(RECORDING_STATUSES.filter((from) => canTransition(from, 'PENDING_SOURCE'))).toEqual([])
  })

  it('allows exactly the transitions the table lists (a full matrix check)', () => {
    const allowed = pairs.filter(([from, to]) => canTransition(from, to)).length
    // 10 pipeline statuses: 45 forward pairs; 4 runtime statuses roll back to the stable ones before them
    // (1+2+3+4 = 10); 6 stable statuses go back to every earlier pipeline status (0+2+4+6+8+9 = 29) and to
    // SKIPPED and EXPIRED (12); SKIPPED has 2 exits, EXPIRED 1 and PENDING_SOURCE 2.
    expect(allowed).toBe(45 + 10 + 29 + 12 + 2 + 1 + 2)
  })
})

describe('assertTransition', () => {
  it('passes a legal change', () => {
    expect(() => assertTransition('DOWNLOADED', 'PROCESSING')).not.toThrow()
  })

  it('throws a conflict naming both statuses, with a hint while a stage runs', () => {
    const e = errorOf(() => assertTransition('PROCESSING', 'DOWNLOADING'))
    expect(e.code).toBe('conflict')
    expect(e.message).toBe('a recording cannot go from PROCESSING to DOWNLOADING')
    expect(e.hint).toMatch(/cancel/)
    expect(e.details).toEqual({ from: 'PROCESSING', to: 'DOWNLOADING' })
  })

  it('explains why SKIPPED and EXPIRED recordings cannot run', () => {
    expect(errorOf(() => assertTransition('SKIPPED', 'DOWNLOADING')).hint).toMatch(/template/)
    expect(errorOf(() => assertTransition('EXPIRED', 'PROCESSING')).hint).toMatch(/reset/)
  })

  it('says when the recording already has the status', () => {
    expect(errorOf(() => assertTransition('READY', 'READY')).message).toBe('the recording is already READY')
  })
})

describe('stableStatusBefore', () => {
  it.each<[RecordingStatus, RecordingStatus]>([
    ['DOWNLOADING', 'INITIALIZED'],
    ['PROCESSING', 'DOWNLOADED'],
    ['TRANSCRIBING', 'PROCESSED'],
    ['UPLOADING', 'TRANSCRIBED'],
  ])('rolls %s back to %s', (status, stable) => {
    expect(stableStatusBefore(status)).toBe(stable)
    expect(canTransition(status, stable)).toBe(true)
  })

  it('returns a status that is already stable unchanged', () => {
    for (const s of [...STABLE_STATUSES, 'SKIPPED', 'EXPIRED'] as const) expect(stableStatusBefore(s)).toBe(s)
  })
})
