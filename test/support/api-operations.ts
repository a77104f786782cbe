import type { TestDaemon } from './daemon.js'

/** A JSON Schema as @fastify/swagger writes it from the routes' zod schemas (only what the checks read). */
export interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  items?: JsonSchema
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  enum?: unknown[]
  const?: unknown
  minimum?: number
  exclusiveMinimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  minItems?: number
  format?: string
  default?: unknown
}

export interface ApiParameter {
  in: 'path' | 'query' | 'header'
  name: string
  required?: boolean
  schema: JsonSchema
}

/** One operation of /openapi.json: what the route checks iterate over, so a new route is checked without a list. */
export interface ApiOperation {
  method: string
  /** The OpenAPI path: `/api/v1/sources/{id}`. */
  path: string
  /** Marked `security: []` (the server marks every route whose config.auth is 'public'). */
  public: boolean
  /** A 501 placeholder (tag 'not implemented'). */
  notImplemented: boolean
  params: ApiParameter[]
  /** The request body's media types (empty when the route declares none) and its JSON schema. */
  bodyTypes: string[]
  body?: JsonSchema
  /** The 200/201 reply's schema. */
  reply?: JsonSchema
  label: string
}

interface OpenApiOperation {
  security?: unknown[]
  tags?: string[]
  parameters?: ApiParameter[]
  requestBody?: { content: Record<string, { schema?: JsonSchema }> }
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete']

/** Every operation the daemon publishes in /openapi.json (Swagger UI's own routes are not in it). */
export async function apiOperations(daemon: TestDaemon): Promise<ApiOperation[]> {
  const res = await daemon.fetch('/openapi.json')
  if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`)
  const doc = (await res.json()) as { paths: Record<string, Record<string, OpenApiOperation>> }
  const ops: ApiOperation[] = []
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue
      const content = op.requestBody?.content ?? {}
      const replyContent = op.responses?.['200']?.content ?? op.responses?.['201']?.content
      ops.push({
        method: method.toUpperCase(),
        path,
        public: Array.isArray(op.security) && op.security.length === 0,
        notImplemented: (op.tags ?? []).includes('not implemented'),
        params: op.parameters ?? [],
        bodyTypes: Object.keys(content),
        body: content['application/json']?.schema,
        reply: replyContent?.['application/json']?.schema,
        label: `${method.toUpperCase()} ${path}`,
      })
    }
  }
  return ops
}

/** The path with its `{param}`s replaced (values are URL-encoded unless `raw`). */
export function fillPath(path: string, values: Record<string, string>, raw = false): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = values[name]
    if (value === undefined) throw new Error(`no value for {${name}} of ${path}`)
    return raw ? value : encodeURIComponent(value)
  })
}

export const pathParamsOf = (path: string): string[] => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string)

/** A schema's first enum value (for a `{platform}` or `{kind}` path parameter), else undefined. */
export function enumValue(schema: JsonSchema | undefined): string | undefined {
  const first = schema?.enum?.[0] ?? schema?.anyOf?.find((s) => s.enum)?.enum?.[0]
  return first === undefined ? undefined : String(first)
}

/**
 * A value the schema accepts: the smallest (required properties only, empty arrays) or, with `full`, every
 * property and one item per array (for bodies whose rules JSON Schema cannot say, e.g. "give a or b").
 */
export function sampleOf(schema: JsonSchema | undefined, full = false, depth = 0): unknown {
  if (!schema || depth > 8) return {}
  if (schema.const !== undefined) return schema.const
  if (schema.enum) return schema.enum[0]
  if (schema.default !== undefined) return schema.default
  const branch = schema.anyOf ?? schema.oneOf
  if (branch) return sampleOf(branch.find((s) => s.type !== 'null') ?? branch[0], full, depth + 1)
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => sampleOf(s, full, depth + 1)))
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type
  switch (type) {
    case 'string':
      return 'a'.repeat(Math.max(1, schema.minLength ?? 1))
    case 'integer':
    case 'number':
      return Math.max(1, Math.ceil(schema.minimum ?? (schema.exclusiveMinimum ?? 0) + 1))
    case 'boolean':
      return false
    case 'null':
      return null
    case 'array':
      return Array.from({ length: Math.max(schema.minItems ?? 0, full ? 1 : 0) }, () => sampleOf(schema.items, full, depth + 1))
    default: {
      const names = full ? Object.keys(schema.properties ?? {}) : (schema.required ?? [])
      return Object.fromEntries(names.map((name) => [name, sampleOf(schema.properties?.[name], full, depth + 1)]))
    }
  }
}

/** Valid bodies the schema does not describe (its values are checked by the service); keep this short. */
const KNOWN_BODIES: Record<string, unknown[]> = {
  // formats: z.array(z.string()) in the route, srt/vtt checked by the run settings.
  'POST /api/v1/recordings/{id}/subtitles': [{ formats: ['srt'] }],
}

/**
 * `op` with a body its schema accepts: the smallest one, then (if that was refused as malformed) every field, for
 * rules JSON Schema cannot express ("give a or b"). An answer other than 400/422 ends it.
 */
export async function sendValid(daemon: TestDaemon, op: ApiOperation, url: string, token: string): Promise<Response> {
  const bodies = op.method === 'GET' || op.bodyTypes.length === 0 ? [undefined] : [sampleOf(op.body), sampleOf(op.body, true), ...(KNOWN_BODIES[op.label] ?? [])]
  let res: Response | undefined
  for (const body of bodies) {
    await res?.body?.cancel()
    res = await daemon.fetch(url, { method: op.method, token, ...(body === undefined ? {} : { body }) })
    if (res.status !== 400 && res.status !== 422) break
  }
  return res as Response
}
