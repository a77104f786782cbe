import { describe, expect, it } from 'vitest'
import { compileNamePattern } from '../../../src/domain/resources/index.js'
import {
  chooseStartTime,
  displayNameFromFileName,
  readNamePattern,
  sanitizeDisplayName,
  wallClockToUtc,
} from '../../../src/services/sync/file-naming.js'

// Pure rules that sync and import share; kept beside the sync tests that exercise them end to end.
describe('display names from files', () => {
  it('drops the extension and reads underscores as spaces', () => {
    expect(displayNameFromFileName('Linear_Algebra_03.mp4')).toBe('Linear Algebra 03')
    expect(displayNameFromFileName('week 1.final.m4a')).toBe('week 1.final')
  })

  it('removes control characters and keeps backslashes', () => {
    expect(displayNameFromFileName('evil\nname\\part\t2\u001b[31m.mp4')).toBe('evil name\\part 2 [31m')
    expect(sanitizeDisplayName('  a\r\n\u0000b  ')).toBe('a b')
  })

  it('falls back when the stem cleans to nothing', () => {
    expect(displayNameFromFileName('___.mp4')).toBe('.mp4')
    expect(displayNameFromFileName('.mp4')).toBe('.mp4')
  })

  it('caps very long names', () => {
    expect(displayNameFromFileName(`${'x'.repeat(1000)}.mp4`)).toHaveLength(300)
  })
})

describe('start times from file names', () => {
  const pattern = compileNamePattern('(?P<year>\\d{4})-(?P<month>\\d\\d)-(?P<day>\\d\\d)(_(?P<hour>\\d\\d)(?P<minute>\\d\\d))?_(?P<title>[^.]+)')

  it('reads the date in the user time zone, across DST', () => {
    expect(readNamePattern(pattern, '2024-03-05_0930_Linear_Algebra.mp4', 'Europe/Berlin')).toEqual({
      title: 'Linear Algebra',
      startTime: '2024-03-05T08:30:00.000Z',
    })
    expect(readNamePattern(pattern, '2024-07-05_0930_Linear_Algebra.mp4', 'Europe/Berlin').startTime).toBe('2024-07-05T07:30:00.000Z')
    expect(readNamePattern(pattern, '2024-07-05_0930_x.mp4', 'America/New_York').startTime).toBe('2024-07-05T13:30:00.000Z')
    expect(readNamePattern(pattern, '2024-07-05_x.mp4', 'UTC').startTime).toBe('2024-07-05T00:00:00.000Z')
  })

  it('gives nothing for a name the pattern does not match', () => {
    expect(readNamePattern(pattern, 'holiday.mp4', 'UTC')).toEqual({})
  })

  it('reports an impossible date instead of inventing one', () => {
    const r = readNamePattern(pattern, '2024-13-45_x.mp4', 'UTC')
    expect(r.startTime).toBeUndefined()
    expect(r.problem).toMatch(/2024-13-45 00:00:00 is not a valid date and time/)
  })

  it('resolves DST gaps forward and overlaps to the earlier instant', () => {
    // Berlin skipped 02:00-03:00 on 2024-03-31 and repeated 02:00-03:00 on 2024-10-27.
    expect(wallClockToUtc({ year: 2024, month: 3, day: 31, hour: 2, minute: 30, second: 0 }, 'Europe/Berlin')).toEqual(
      new Date('2024-03-31T01:30:00Z'),
    )
    expect(wallClockToUtc({ year: 2024, month: 10, day: 27, hour: 2, minute: 30, second: 0 }, 'Europe/Berlin')).toEqual(
      new Date('2024-10-27T00:30:00Z'),
    )
  })

  it('prefers the container time, then the name, then the mtime', () => {
    const mtimeMs = Date.parse('2023-01-02T03:04:05.678Z')
    expect(chooseStartTime({ creationTime: '2024-05-01T10:00:00.000Z', fromName: '2024-01-01T00:00:00.000Z', mtimeMs })).toEqual({
      startTime: '2024-05-01T10:00:00.000Z',
      from: 'creation_time',
    })
    expect(chooseStartTime({ fromName: '2024-01-01T00:00:00.000Z', mtimeMs }).from).toBe('name_pattern')
    expect(chooseStartTime({ mtimeMs })).toEqual({ startTime: '2023-01-02T03:04:05.678Z', from: 'mtime' })
  })
})
