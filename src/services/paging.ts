import type { Page, PageRequest } from '../db/index.js'

export interface ListOptions {
  limit?: number
  cursor?: string | null
}

/** Walks every page of a keyset-paginated list (for the few places that need all rows, e.g. a match preview). */
export async function listAll<T>(fetch: (page: PageRequest) => Promise<Page<T>>, pageSize = 100): Promise<T[]> {
  const out: T[] = []
  let cursor: string | null = null
  do {
    const page: Page<T> = await fetch({ limit: pageSize, cursor })
    out.push(...page.items)
    cursor = page.nextCursor
  } while (cursor !== null)
  return out
}
