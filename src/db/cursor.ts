import { RecflowError } from '../domain/errors.js'

/*
 * Keyset pagination. A cursor is the base64url JSON of the last returned row's sort key; it is opaque to callers
 * and validated on the way back in, so a forged or foreign cursor is a usage error, never a query on raw input.
 */

export interface PageRequest {
  /** 1-100, default 50. */
  readonly limit?: number
  readonly cursor?: string | null
}

export interface Page<T> {
  readonly items: T[]
  /** Pass back to get the next page; null on the last page. */
  readonly nextCursor: string | null
}

export const DEFAULT_PAGE_SIZE = 50
export const MAX_PAGE_SIZE = 100

export function pageLimit(page: PageRequest | undefined): number {
  const limit = page?.limit ?? DEFAULT_PAGE_SIZE
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new RecflowError('usage', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${limit}`)
  }
  return limit
}

export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url')
}

/** Decodes a cursor whose fields must have exactly the given types. */
export function decodeCursor<K extends Record<string, 'string' | 'number'>>(
  cursor: string,
  shape: K,
): { [P in keyof K]: K[P] extends 'string' ? string : number } {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw invalidCursor()
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidCursor()
  const record = value as Record<string, unknown>
  if (Object.keys(record).length !== Object.keys(shape).length) throw invalidCursor()
  for (const [key, type] of Object.entries(shape)) {
    const field = record[key]
    if (typeof field !== type) throw invalidCursor()
    if (type === 'number' && !Number.isSafeInteger(field)) throw invalidCursor()
  }
  return record as { [P in keyof K]: K[P] extends 'string' ? string : number }
}

const invalidCursor = () =>
  new RecflowError('usage', 'invalid page cursor', { hint: 'pass the nextCursor of the previous page unchanged' })

/** Splits a `limit + 1` fetch into a page and the cursor of its last item. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => Record<string, string | number>): Page<T> {
  const items = rows.slice(0, limit)
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null }
}
