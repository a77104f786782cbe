import { describe, expect, it } from 'vitest'
import { chooseCut, piecesFromCuts, planSplit } from '../../../../src/domain/transcript/index.js'

describe('planSplit', () => {
  it('leaves a short recording in one piece', () => {
    expect(planSplit({ durationS: 240, maxPieceS: Infinity, concurrency: 4 })).toEqual({ pieceCount: 1, windows: [] })
  })

  it('splits a 3-hour recording into at least 4 pieces for a pool of 4 even without an upload limit', () => {
    const plan = planSplit({ durationS: 3 * 3600, maxPieceS: Infinity, concurrency: 4 })
    expect(plan.pieceCount).toBe(4)
    expect(plan.windows.map((w) => w.ideal)).toEqual([2700, 5400, 8100])
    // A few seconds over 3 hours changes nothing.
    expect(planSplit({ durationS: 3 * 3600 + 5, maxPieceS: Infinity, concurrency: 4 }).pieceCount).toBe(4)
    for (const w of plan.windows) expect(w.end - w.start).toBeLessThanOrEqual(120)
  })

  it('does not split for parallelism with a pool of one, only into pieces of at most 50 minutes', () => {
    expect(planSplit({ durationS: 50 * 60, maxPieceS: Infinity, concurrency: 1 }).pieceCount).toBe(1)
    expect(planSplit({ durationS: 3 * 3600 + 30, maxPieceS: Infinity, concurrency: 1 }).pieceCount).toBe(4)
    expect(planSplit({ durationS: 200 * 60 + 1, maxPieceS: Infinity, concurrency: 1 }).pieceCount).toBe(5)
  })

  it('splits a medium recording only into pieces of at least five minutes', () => {
    expect(planSplit({ durationS: 12 * 60, maxPieceS: Infinity, concurrency: 4 }).pieceCount).toBe(2)
  })

  it('obeys the upload limit, in whole rounds of the pool', () => {
    // Pieces of at most 2000 s, planned at 90 %: 10 h needs 20 -> seven rounds of 3.
    expect(planSplit({ durationS: 36_000, maxPieceS: 2000, concurrency: 3 }).pieceCount).toBe(21)
    expect(planSplit({ durationS: 36_000, maxPieceS: 2000, concurrency: 1 }).pieceCount).toBe(20)
    expect(planSplit({ durationS: 36_000, maxPieceS: 1200, concurrency: 1 }).pieceCount).toBe(34)
    expect(planSplit({ durationS: 36_000, maxPieceS: Infinity, concurrency: 1 }).pieceCount).toBe(12)
  })

  it('keeps every possible piece under the size limit wherever the cuts land in their windows', () => {
    for (const [durationS, maxPieceS, concurrency] of [[36_000, 8000, 4], [5000, 700, 3], [20_000, 2000, 16]] as const) {
      const plan = planSplit({ durationS, maxPieceS, concurrency })
      const bounds = [{ start: 0, end: 0 }, ...plan.windows, { start: durationS, end: durationS }]
      for (let i = 1; i < bounds.length; i++) expect(bounds[i]!.end - bounds[i - 1]!.start).toBeLessThan(maxPieceS)
    }
  })
})

describe('chooseCut', () => {
  const window = { ideal: 100, start: 90, end: 110 }

  it('cuts in the middle of the longest silence in the window', () => {
    expect(chooseCut(window, [{ start: 92, end: 92.5 }, { start: 104, end: 105 }])).toEqual({ at: 104.5, inSilence: true })
  })

  it('prefers the silence nearest the even point among long ones', () => {
    expect(chooseCut(window, [{ start: 91, end: 94 }, { start: 100.5, end: 103 }])).toEqual({ at: 101.75, inSilence: true })
  })

  it('uses only the part of a silence inside the window', () => {
    expect(chooseCut(window, [{ start: 50, end: 95 }])).toEqual({ at: 92.5, inSilence: true })
  })

  it('ignores silences too short to trust and cuts hard at the even point without any', () => {
    expect(chooseCut(window, [{ start: 99, end: 99.2 }])).toEqual({ at: 100, inSilence: false })
    expect(chooseCut(window, [])).toEqual({ at: 100, inSilence: false })
  })
})

describe('piecesFromCuts', () => {
  it('makes contiguous pieces that cover the whole duration exactly', () => {
    const pieces = piecesFromCuts(300, [100.25, 200.5])
    expect(pieces).toEqual([
      { offsetS: 0, durationS: 100.25 },
      { offsetS: 100.25, durationS: 100.25 },
      { offsetS: 200.5, durationS: 99.5 },
    ])
  })
})
