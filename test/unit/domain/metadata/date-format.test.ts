import { describe, expect, it } from 'vitest'
import { formatDate, parseDateFormat, parseInstant } from '../../../../src/domain/metadata/date-format.js'

const at = (iso: string) => new Date(iso)

describe('formatDate', () => {
  it('renders every token in the given timezone', () => {
    const d = at('2024-07-05T07:08:09Z')
    expect(formatDate(d, 'YYYY YY MM M DD D HH H mm ss', 'UTC')).toBe('2024 24 07 7 05 5 07 7 08 09')
    expect(formatDate(d, 'DD.MM.YYYY HH:mm', 'Asia/Tokyo')).toBe('05.07.2024 16:08')
  })

  it('can move the date across midnight by timezone', () => {
    expect(formatDate(at('2024-01-01T23:30:00Z'), 'DD.MM.YYYY', 'Europe/Moscow')).toBe('02.01.2024')
    expect(formatDate(at('2024-01-01T02:00:00Z'), 'DD.MM.YYYY', 'America/New_York')).toBe('31.12.2023')
  })

  it('follows daylight saving time in Europe/Berlin', () => {
    // 2024-03-31: clocks go from 02:00 CET to 03:00 CEST
    expect(formatDate(at('2024-03-31T00:59:00Z'), 'HH:mm', 'Europe/Berlin')).toBe('01:59')
    expect(formatDate(at('2024-03-31T01:00:00Z'), 'HH:mm', 'Europe/Berlin')).toBe('03:00')
    // 2024-10-27: back from 03:00 CEST to 02:00 CET
    expect(formatDate(at('2024-10-27T00:30:00Z'), 'HH:mm', 'Europe/Berlin')).toBe('02:30')
    expect(formatDate(at('2024-10-27T01:30:00Z'), 'HH:mm', 'Europe/Berlin')).toBe('02:30')
  })

  it('renders midnight as 00, not 24', () => {
    expect(formatDate(at('2024-01-01T00:00:00Z'), 'HH:mm', 'UTC')).toBe('00:00')
  })

  it('keeps bracketed text and non-letters literal', () => {
    expect(formatDate(at('2024-07-05T07:08:09Z'), '[Day] D, [at] H:mm [Uhr] — г.', 'UTC')).toBe('Day 5, at 7:08 Uhr — г.')
  })
})

describe('parseDateFormat', () => {
  it.each([['hh:mm', 'hh'], ['MMM', 'MMM'], ['YYY', 'YYY'], ['Do', 'o'], ['DD.MM.YYYYY', 'YYYYY']])(
    'rejects the unknown token in %s',
    (format, token) => {
      expect(() => parseDateFormat(format)).toThrow(`unknown token "${token}"`)
    },
  )

  it('rejects an unclosed bracket', () => {
    expect(() => parseDateFormat('DD [at HH')).toThrow(/unclosed '\['/)
  })

  it('lists the known tokens in the hint', () => {
    try {
      parseDateFormat('hh')
      expect.unreachable()
    } catch (e) {
      expect((e as { hint: string }).hint).toMatch(/YYYY, YY, MM, M, DD, D, HH, H, mm, ss/)
    }
  })
})

describe('parseInstant', () => {
  it('reads a timestamp without an offset as UTC', () => {
    expect(parseInstant('2024-07-05T07:08:09').toISOString()).toBe('2024-07-05T07:08:09.000Z')
    expect(parseInstant('2024-07-05 07:08').toISOString()).toBe('2024-07-05T07:08:00.000Z')
  })

  it('honours an explicit offset', () => {
    expect(parseInstant('2024-07-05T09:08:09+02:00').toISOString()).toBe('2024-07-05T07:08:09.000Z')
  })

  it('rejects garbage', () => {
    expect(() => parseInstant('yesterday')).toThrow(/invalid start_time "yesterday"/)
  })
})

