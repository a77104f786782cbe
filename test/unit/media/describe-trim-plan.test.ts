import { describe, expect, it } from 'vitest'
import { clock, describeTrimPlan } from '../../../src/media/describe-trim-plan.js'
import { planEdgesTrim, planPausesTrim } from '../../../src/media/trim-plan.js'

describe('describeTrimPlan', () => {
  it('lists kept and cut ranges in original time with the share that is cut', () => {
    const plan = planPausesTrim({
      durationS: 120, silences: [{ start: 0, end: 18 }, { start: 61, end: 86 }, { start: 104, end: 120 }],
      paddingBefore: 5, paddingAfter: 5, minPause: 3, margin: 0.5, maxCutRatio: 0.5,
    })
    expect(describeTrimPlan(plan)).toEqual([
      'pauses trim: keep 1:12.000 of 2:00.000, cut 48.0 s (40.0%)',
      '  keep 0:13.000 - 1:01.500  (48.5 s)',
      '  keep 1:25.500 - 1:49.000  (23.5 s)',
      '  cut  0:00.000 - 0:13.000  (13.0 s)',
      '  cut  1:01.500 - 1:25.500  (24.0 s)',
      '  cut  1:49.000 - 2:00.000  (11.0 s)',
    ])
  })

  it('says when there is nothing to cut', () => {
    expect(describeTrimPlan(planEdgesTrim({ durationS: 30, silences: [], paddingBefore: 1, paddingAfter: 1 }))).toEqual([
      'edges trim: nothing to cut, keeping all 0:30.000',
    ])
  })
})

describe('clock', () => {
  it('formats minutes and hours', () => {
    expect(clock(3723.25)).toBe('1:02:03.250')
    expect(clock(95.1)).toBe('1:35.100')
    expect(clock(0)).toBe('0:00.000')
  })
})
