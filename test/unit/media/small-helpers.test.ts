import { describe, expect, it } from 'vitest'
import { containerForPath } from '../../../src/media/containers.js'
import { complementIntervals, normalizeIntervals, totalLength } from '../../../src/media/intervals.js'
import { formatSeconds } from '../../../src/media/time-format.js'

describe('formatSeconds', () => {
  it('prints plain decimals without trailing zeros or exponents', () => {
    expect(formatSeconds(14)).toBe('14')
    expect(formatSeconds(14.001)).toBe('14.001')
    expect(formatSeconds(95.08099999999999)).toBe('95.081')
    expect(formatSeconds(1e-7)).toBe('0')
    expect(formatSeconds(-0)).toBe('0')
    expect(formatSeconds(-40)).toBe('-40')
    expect(formatSeconds(123456789.5)).toBe('123456789.5')
  })
  it('refuses non-finite numbers', () => {
    expect(() => formatSeconds(Number.POSITIVE_INFINITY)).toThrow(RangeError)
  })
})

describe('intervals', () => {
  it('normalizes: clamps, sorts, drops empty pieces and merges overlaps', () => {
    expect(normalizeIntervals([{ start: 8, end: 12 }, { start: -1, end: 2 }, { start: 5, end: 5 }, { start: 1, end: 3 }, { start: 11, end: 20 }], 15)).toEqual([
      { start: 0, end: 3 },
      { start: 8, end: 15 },
    ])
  })
  it('complements within the duration', () => {
    expect(complementIntervals([{ start: 0, end: 3 }, { start: 8, end: 10 }], 12)).toEqual([{ start: 3, end: 8 }, { start: 10, end: 12 }])
    expect(complementIntervals([], 5)).toEqual([{ start: 0, end: 5 }])
    expect(totalLength([{ start: 3, end: 8 }, { start: 10, end: 12 }])).toBe(7)
  })
})

describe('containerForPath', () => {
  it('chooses the muxer from the final extension, case-insensitively', () => {
    expect(containerForPath('/a/b/rec.MP4')).toMatchObject({ muxer: 'mp4', faststart: true })
    expect(containerForPath('audio.m4a')).toMatchObject({ muxer: 'ipod', faststart: true })
    expect(containerForPath('x.mkv')).toMatchObject({ muxer: 'matroska', faststart: false })
  })
  it('rejects an unknown extension with the list of known ones', () => {
    expect(() => containerForPath('notes.txt')).toThrow(/extension "txt"/)
  })
})
