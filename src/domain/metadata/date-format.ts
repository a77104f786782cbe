import { validationError } from '../errors.js'
import { zonedFields } from '../time/zoned.js'

export const DATE_TOKENS = ['YYYY', 'YY', 'MM', 'M', 'DD', 'D', 'HH', 'H', 'mm', 'ss'] as const
export type DateToken = (typeof DATE_TOKENS)[number]
export type DateFormatPart = { kind: 'token'; token: DateToken } | { kind: 'literal'; text: string }

const TOKEN_SET: ReadonlySet<string> = new Set(DATE_TOKENS)

/**
 * Parses 'DD.MM.YYYY HH:mm [Uhr]'. A run of one ASCII letter must be a whole token, so 'hh' or 'MMM' are errors
 * rather than silently printing letters; other characters (punctuation, digits, non-Latin letters) and text in
 * [brackets] are literal.
 */
export function parseDateFormat(format: string): DateFormatPart[] {
  const parts: DateFormatPart[] = []
  const literal = (text: string) => {
    const last = parts[parts.length - 1]
    if (last?.kind === 'literal') last.text += text
    else parts.push({ kind: 'literal', text })
  }
  let i = 0
  while (i < format.length) {
    const ch = format[i] as string
    if (ch === '[') {
      const end = format.indexOf(']', i + 1)
      if (end < 0) throw badFormat(format, `unclosed '[' at position ${i + 1}`)
      literal(format.slice(i + 1, end))
      i = end + 1
    } else if (/[A-Za-z]/.test(ch)) {
      let j = i
      while (format[j] === ch) j++
      const run = format.slice(i, j)
      if (!TOKEN_SET.has(run)) throw badFormat(format, `unknown token "${run}"`)
      parts.push({ kind: 'token', token: run as DateToken })
      i = j
    } else {
      literal(ch)
      i++
    }
  }
  return parts
}

function badFormat(format: string, reason: string) {
  return validationError(
    `bad date format "${format}": ${reason}`,
    `known tokens: ${DATE_TOKENS.join(', ')}; put other letters in [brackets], e.g. 'DD.MM.YYYY [at] HH:mm'`,
  )
}

export function formatDate(date: Date, format: string | readonly DateFormatPart[], timeZone: string): string {
  const parts = typeof format === 'string' ? parseDateFormat(format) : format
  const z = zonedFields(date, timeZone)
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  const tokenValue: Record<DateToken, string> = {
    YYYY: pad(z.year, 4),
    YY: pad(z.year % 100),
    MM: pad(z.month),
    M: String(z.month),
    DD: pad(z.day),
    D: String(z.day),
    HH: pad(z.hour),
    H: String(z.hour),
    mm: pad(z.minute),
    ss: pad(z.second),
  }
  return parts.map((p) => (p.kind === 'token' ? tokenValue[p.token] : p.text)).join('')
}

const NAIVE_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/

/**
 * Reads an ISO instant. A date-time without an offset is taken as UTC (stored timestamps are UTC); JavaScript
 * would otherwise read it in the machine's local zone and render different dates on different machines.
 */
export function parseInstant(iso: string): Date {
  const text = iso.trim()
  const date = new Date(NAIVE_DATE_TIME.test(text) ? `${text.replace(' ', 'T')}Z` : text)
  if (Number.isNaN(date.getTime())) {
    throw validationError(`invalid start_time "${iso}": expected an ISO 8601 timestamp`)
  }
  return date
}
