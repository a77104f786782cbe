import { describe, expect, it } from 'vitest'
import { parseDuration } from '../../../../src/domain/time/duration.js'

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['500ms', 500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['45', 45_000],
    ['1.5s', 1_500],
    ['0s', 0],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text, '--grace')).toBe(ms)
  })

  it.each(['', '-1s', '10 minutes', '1d', 's', '1e3s'])('refuses %j as a usage error naming the flag', (text) => {
    expect(() => parseDuration(text, '--grace')).toThrow(expect.objectContaining({ code: 'usage', message: expect.stringContaining('--grace must be a duration') }))
  })
})
