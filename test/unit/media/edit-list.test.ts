import { describe, expect, it } from 'vitest'
import { editListSchema, identityEditList, mapInterval, mapTime, processedDuration, unmapTime, type EditList } from '../../../src/media/edit-list.js'

const edit: EditList = { source_duration: 120, keep: [{ start: 10, end: 60 }, { start: 80, end: 100 }] }

describe('mapTime', () => {
  it('shifts times in the first kept interval by the cut before it', () => {
    expect(mapTime(edit, 10)).toBe(0)
    expect(mapTime(edit, 35.5)).toBe(25.5)
  })
  it('shifts times in later intervals by every cut before them', () => {
    expect(mapTime(edit, 80)).toBe(50)
    expect(mapTime(edit, 100)).toBe(70)
  })
  it('returns null for a moment that was cut or lies outside the source', () => {
    expect(mapTime(edit, 5)).toBeNull()
    expect(mapTime(edit, 70)).toBeNull()
    expect(mapTime(edit, 110)).toBeNull()
    expect(mapTime(edit, -1)).toBeNull()
  })
  it('is the identity for an identity edit list', () => {
    expect(mapTime(identityEditList(30), 12.34)).toBe(12.34)
  })
})

describe('unmapTime', () => {
  it('inverts mapTime inside kept intervals', () => {
    for (const t of [10, 33.3, 59.9, 80, 99.5]) expect(unmapTime(edit, mapTime(edit, t) as number)).toBeCloseTo(t, 9)
  })
  it('maps a join to where playback continues, and the very end to the last kept instant', () => {
    expect(unmapTime(edit, 50)).toBe(80)
    expect(unmapTime(edit, 70)).toBe(100)
  })
  it('returns null outside the processed duration', () => {
    expect(unmapTime(edit, 70.01)).toBeNull()
    expect(unmapTime(edit, -0.5)).toBeNull()
  })
})

describe('mapInterval', () => {
  it('clips an interval to what survived, split across a cut when needed', () => {
    expect(mapInterval(edit, { start: 55, end: 85 })).toEqual([{ start: 45, end: 50 }, { start: 50, end: 55 }])
    expect(mapInterval(edit, { start: 62, end: 70 })).toEqual([])
  })
})

describe('processedDuration and editListSchema', () => {
  it('sums the kept intervals', () => {
    expect(processedDuration(edit)).toBe(70)
  })
  it('accepts a sorted list and rejects overlapping, inverted or out-of-range intervals', () => {
    expect(editListSchema.safeParse(edit).success).toBe(true)
    expect(editListSchema.safeParse({ source_duration: 10, keep: [{ start: 0, end: 5 }, { start: 4, end: 6 }] }).success).toBe(false)
    expect(editListSchema.safeParse({ source_duration: 10, keep: [{ start: 5, end: 5 }] }).success).toBe(false)
    expect(editListSchema.safeParse({ source_duration: 10, keep: [{ start: 5, end: 11 }] }).success).toBe(false)
  })
})
