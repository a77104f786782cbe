import { describe, expect, it } from 'vitest'
import { formatClock, formatDuration } from '../../../../src/domain/metadata/duration.js'

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [59.9, '0:59'],
    [61, '1:01'],
    [3599, '59:59'],
    [3600, '1:00:00'],
    [3725, '1:02:05'],
    [36000 + 61, '10:01:01'],
  ])('renders %s s as %s', (s, out) => {
    expect(formatDuration(s)).toBe(out)
  })

  it('renders nothing for a negative or unknown length', () => {
    expect(formatDuration(-1)).toBe('')
    expect(formatDuration(Number.NaN)).toBe('')
  })
})

describe('formatClock', () => {
  it('always renders HH:MM:SS', () => {
    expect(formatClock(754)).toBe('00:12:34')
    expect(formatClock(3600 * 12 + 1)).toBe('12:00:01')
    expect(formatClock(-3)).toBe('00:00:00')
  })
})
