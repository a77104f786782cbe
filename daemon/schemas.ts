import { z } from 'zod'

/** `{id}` path parameters: a positive integer; anything else is a 400 before a service is called. */
export const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) })

/** REST-API.md lists: `limit` 1-100 (default 20), `cursor` opaque (the previous page's next_cursor). */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(512).optional(),
})

/** A query-string boolean: `true`/`false`/`1`/`0` (z.coerce.boolean would take "false" as true). */
export const queryFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')

/** `{items, next_cursor}` of `item`. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next_cursor: z.string().nullable() })

/** What a list service returns, as the API's page shape. */
export const toApiPage = <T>(page: { items: T[]; nextCursor: string | null }) => ({ items: page.items, next_cursor: page.nextCursor })

/** The problem+json body (RFC 9457) every error answers with. */
export const problemSchema = z
  .object({ type: z.string(), title: z.string(), status: z.number().int(), detail: z.string(), code: z.string(), hint: z.string().optional() })
  .catchall(z.unknown())

/** Error replies a route may give, for the OpenAPI document. */
export const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, problemSchema])) as Record<number, typeof problemSchema>

/** `202` of a long operation. */
export const taskAccepted = z.object({
  task_id: z.number().int(),
  status: z.literal('queued'),
  links: z.object({ self: z.string() }),
})
export const accepted = (taskId: number) => ({ task_id: taskId, status: 'queued' as const, links: { self: `/api/v1/tasks/${taskId}` } })

/** Deepest nesting a JSON body may have (config documents are a few levels deep). */
export const MAX_JSON_DEPTH = 32

/** Whether `value` nests objects and arrays at most `max` levels deep (iterative: a hostile body cannot overflow the stack). */
export function jsonDepthWithin(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]]
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number]
    if (v === null || typeof v !== 'object') continue
    if (depth > max) return false
    for (const child of Object.values(v)) stack.push([child, depth + 1])
  }
  return true
}

/**
 * A JSON object of settings (config columns): any keys, validated by the service's own schema. Its nesting is
 * bounded for every JSON body by the server's parser (MAX_JSON_DEPTH, daemon/server.ts).
 */
export const jsonObject = z.record(z.string(), z.unknown())

/** Timestamps as the services return them (ISO text; Date is serialised to ISO). */
export const isoTime = z.union([z.string(), z.date().transform((d) => d.toISOString())])

/** A JSON column as a service returns it (already validated when it was written). */
export const storedJson = z.unknown()

/** A query list that may be repeated (`?s=a&s=b`) or comma-separated (`?s=a,b`), as one array of strings. */
export const queryList = z
  .union([z.string().max(200), z.array(z.string().max(200)).max(10)])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter((s) => s !== ''))
