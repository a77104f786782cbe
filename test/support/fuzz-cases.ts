import { enumValue, fillPath, sampleOf, type ApiOperation, type JsonSchema } from './api-operations.js'

export interface FuzzCase {
  /** The kind of malformed input, the same for every operation ('a huge string', 'a junk query value', ...). */
  kind: string
  what: string
  /** Path and query string, ready for fetch. */
  url: string
  method: string
  body?: string
  contentType?: string
}

const UNICODE = ['\u0000', '😀💥', '\u202eevil', 'e\u0301', 'Ω≈ç√', '\ud800', '\uffff', '𝔘𝔫𝔦', '%00', '../../etc/passwd']
const JUNK_SCALARS: unknown[] = [-1, 0, 1.5, -0.0001, 1e308, 2 ** 64, Number.MAX_SAFE_INTEGER + 2, true, false, null, '', 'abc', '1e999', [], {}, [1, 'a', null]]
const JUNK_QUERY = ['abc', '-1', '0', '1.5', '1e400', '18446744073709551616', '', 'true', 'null', '[]', '%FF', '%00', '%F0%9F%92%A9', encodeURIComponent('\u202e')]
const BAD_PATH_VALUES = ['0', '-1', '1.5', '9007199254740993', 'abc', '%00', '%E2%80%AE', '%FF', '..%2F..', 'x'.repeat(150), 'x'.repeat(300)]

const pick = <T>(rand: () => number, from: readonly T[]): T => from[Math.floor(rand() * from.length)] as T

/** Nested arrays and objects, `depth` deep. */
function nested(depth: number): unknown {
  let value: unknown = 'bottom'
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { deeper: value }
  return value
}

/** Every property path of a sample object's top level (the fields a mutation can hit). */
const fieldsOf = (schema: JsonSchema | undefined): string[] => {
  const props = schema?.properties ?? schema?.anyOf?.find((s) => s.properties)?.properties
  return props ? Object.keys(props) : []
}

function withField(base: unknown, field: string, value: unknown): unknown {
  const obj = base !== null && typeof base === 'object' && !Array.isArray(base) ? { ...(base as object) } : {}
  return { ...obj, [field]: value }
}

/**
 * The malformed requests for `op` (fixed by `rand`): wrong types, huge strings, nested junk, unicode,
 * bad numbers, missing and extra fields, non-object and invalid JSON, wrong content types, junk query values and
 * junk path parameters. `pathValues` fills the path with valid values (the caller's own objects) otherwise.
 */
export function fuzzCases(op: ApiOperation, pathValues: Record<string, string>, rand: () => number): FuzzCase[] {
  const url = fillPath(op.path, pathValues)
  const query = op.params.filter((p) => p.in === 'query')
  const pathParams = op.params.filter((p) => p.in === 'path')
  const withBody = op.method !== 'GET'
  const sample = sampleOf(op.body)
  const fields = fieldsOf(op.body)
  const field = () => (fields.length > 0 ? pick(rand, fields) : 'unexpected')
  const json = (what: string, value: unknown): FuzzCase => ({ kind: what, what, url, method: op.method, body: JSON.stringify(value), contentType: 'application/json' })
  const raw = (what: string, body: string, contentType: string): FuzzCase => ({ kind: what, what, url, method: op.method, body, contentType })
  const q = (kind: string, what: string, pairs: Array<[string, string]>): FuzzCase => ({
    kind,
    what,
    url: `${url}?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&')}`,
    method: op.method,
  })

  const cases: FuzzCase[] = []
  if (withBody) {
    cases.push(
      json('a minimal valid body', sample),
      json('a field of the wrong type', withField(sample, field(), pick(rand, JUNK_SCALARS))),
      json('a huge string', withField(sample, field(), 'x'.repeat(100_000 + Math.floor(rand() * 50_000)))),
      json('nested junk', withField(sample, field(), nested(64 + Math.floor(rand() * 64)))),
      json('unicode', withField(sample, field(), pick(rand, UNICODE).repeat(1 + Math.floor(rand() * 50)))),
      json('a bad number', withField(sample, field(), pick(rand, [-1, 0, 1.5, 1e308, -1e308, 2 ** 64, -(2 ** 63), 0.1]))),
      json('every field missing', {}),
      raw('extra fields and __proto__', JSON.stringify(withField(sample, 'zz_extra', 1)).replace(/^\{/, '{"__proto__":{"role":"admin","isAdmin":true},"constructor":{"prototype":{"x":1}},'), 'application/json'),
      json('not an object', pick(rand, [[], null, 'text', 42, true, [sample]])),
      raw('invalid JSON', pick(rand, ['{"a":', '{', 'nul', '{"a":1}}', '\u0000', '{"a":"\\ud800"', "{'a':1}"]), 'application/json'),
      raw('an empty JSON body', '', 'application/json'),
      raw('the wrong content type', pick(rand, [JSON.stringify(sample), 'a=1&b=2', '<x/>']), pick(rand, ['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])),
    )
    if (op.bodyTypes.some((t) => t.startsWith('multipart/'))) {
      const part = `--b0undary\r\nContent-Disposition: form-data; name="file"; filename="../../${pick(rand, ['x.mp4', 'x.png', 'evil\u0000.sh'])}"\r\nContent-Type: video/mp4\r\n\r\nnot media\r\n--b0undary--\r\n`
      cases.push(raw('multipart junk', part, 'multipart/form-data; boundary=b0undary'), raw('a truncated multipart body', part.slice(0, 60), 'multipart/form-data; boundary=b0undary'))
    }
  }
  for (const param of query) {
    cases.push(q('a junk query value', `query ${param.name} junk`, [[param.name, pick(rand, JUNK_QUERY)]]))
  }
  if (query.length > 0) {
    const param = pick(rand, query)
    cases.push(
      q('a huge query value', `query ${param.name} huge`, [[param.name, 'x'.repeat(4000)]]),
      q('a repeated query parameter', `query ${param.name} repeated`, [[param.name, '1'], [param.name, '2']]),
      q('every query value junk', 'every query value junk', query.map((p) => [p.name, pick(rand, JUNK_QUERY)])),
    )
  }
  cases.push(q('an unknown query parameter', 'an unknown query parameter', [['zz_unknown', pick(rand, JUNK_QUERY)]]))
  for (const param of pathParams) {
    const bad = enumValue(param.schema) !== undefined ? pick(rand, ['nope', '%2e%2e', '%00', 'YOUTUBE']) : pick(rand, BAD_PATH_VALUES)
    cases.push({ kind: 'a junk path parameter', what: `path {${param.name}} = ${bad.slice(0, 20)}`, url: fillPath(op.path, { ...pathValues, [param.name]: bad }, true), method: op.method })
  }
  return cases
}

/**
 * Chooses which of each operation's cases are sent when there is a budget of `max` per operation: first the
 * kinds of malformed input no earlier operation was sent, then the others in turn (rotated by the operation's
 * `turn`, so consecutive operations get different ones). Every route gets up to `max` cases and, across the API,
 * every kind is sent at least once; `unsent()` lists the kinds that were made but never chosen (none, unless an
 * operation has more new kinds than `max`).
 */
export function fuzzSelection(max: number) {
  const sent = new Set<string>()
  const made = new Set<string>()
  return {
    choose(cases: FuzzCase[], turn: number): FuzzCase[] {
      for (const c of cases) made.add(c.kind)
      const fresh = cases.filter((c) => !sent.has(c.kind))
      const rest = cases.filter((c) => sent.has(c.kind))
      const start = rest.length === 0 ? 0 : (turn * max) % rest.length
      const chosen = [...fresh, ...rest.slice(start), ...rest.slice(0, start)].slice(0, max)
      for (const c of chosen) sent.add(c.kind)
      return chosen
    },
    unsent: () => [...made].filter((k) => !sent.has(k)).sort(),
    sentKinds: () => [...sent].sort(),
  }
}
