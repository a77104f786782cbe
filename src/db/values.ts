import { RecflowError } from '../domain/errors.js'

/*
 * Conversions at the storage boundary: times, 64-bit byte counts, ids.
 *
 * Sizes are stored as 64-bit INTEGER (BIGINT) and read as plain JavaScript numbers, checked on the way in and out.
 * We do not turn on better-sqlite3's `defaultSafeIntegers`: it would make every id and count a bigint for the sake
 * of byte counts, which never come near 2^53 (8 PiB). The check turns the impossible case into a loud error
 * instead of a silently rounded number, and also accepts the strings/bigints a PostgreSQL driver returns.
 */

// An explicit zone is required: a naive local timestamp means a different instant on every machine.
const ZONED_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i

export const nowIso = (): string => new Date().toISOString()

/** Normalizes a Date or a zoned ISO-8601 string to UTC `toISOString()` form. */
export function toIso(value: string | Date, column = 'time'): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw invalidTime(column, String(value))
    return value.toISOString()
  }
  if (typeof value !== 'string' || !ZONED_ISO.test(value)) throw invalidTime(column, String(value))
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) throw invalidTime(column, value)
  return date.toISOString()
}

function invalidTime(column: string, value: string): RecflowError {
  return new RecflowError('validation', `${column} must be an ISO-8601 time with a zone, got "${value}"`, {
    hint: 'use a form like 2024-05-01T09:30:00Z or 2024-05-01T12:30:00+03:00',
  })
}

/** Validates a byte count before it is written. */
export function toBytes(value: number, column = 'size'): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RecflowError('validation', `${column} must be a non-negative integer number of bytes, got ${value}`)
  }
  return value
}

/** Reads a 64-bit integer column; refuses values JavaScript cannot represent exactly. */
export function readBytes(value: unknown, column = 'size'): number {
  const n = typeof value === 'bigint' || typeof value === 'string' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new RecflowError('internal', `${column} holds ${String(value)}, beyond the exactly representable range`)
  }
  return n
}

/** True for something that can be a row id. Anything else cannot match a row, so lookups answer "not found". */
export const isId = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0
