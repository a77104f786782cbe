import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiOperations, enumValue, fillPath, pathParamsOf, sendValid, type ApiOperation } from '../support/api-operations.js'
import { useTestDaemon, type TestUser } from '../support/daemon.js'
import { fuzzCases, fuzzSelection } from '../support/fuzz-cases.js'
import { keepAliveClient, type RawReply } from '../support/keep-alive-client.js'
import { seededRandom } from '../support/seeded-random.js'
import { kindOfPath, OBJECT_PARAMS, seedTenant, type TenantObjects } from '../support/tenant-objects.js'

// Generic over /openapi.json: every route on the server is checked, including routes added after this file.
const daemon = useTestDaemon({ server: { authRateLimit: { max: 100_000 } } })

// The fuzz pass costs ~4 ms of CPU a request (client and server): a fixed total keeps it near 1.5 s however many
// routes there are (up to 12 cases per operation, never fewer than 4: 93 operations get 4 each). fuzzSelection
// sends each route's kinds of malformed input that no route before it was sent first, so every kind is still sent
// (asserted below) and every route gets its share.
const FUZZ_CASES_TOTAL = 360
const casesPerOperation = (operations: number) => Math.max(4, Math.min(12, Math.floor(FUZZ_CASES_TOTAL / operations)))
const SEED = 0x5eed12

let ops: ApiOperation[] = []
let owner: TestUser
let ownerObjects: TenantObjects
let prober: TestUser

let client: ReturnType<typeof keepAliveClient>

beforeAll(async () => {
  ops = await apiOperations(daemon)
  client = keepAliveClient(daemon.url)
  // The owner (tenant B) has one object of each kind; the prober (tenant A) is an admin, so the fuzz reaches the
  // admin routes' validation too and only tenant scoping can answer 404.
  owner = await daemon.user('tenant-b@example.org', { plan: 'plus' })
  prober = await daemon.user('tenant-a@example.org', { role: 'admin', plan: 'plus' })
  ownerObjects = await seedTenant(daemon, owner, ops, 'bravo')
})

afterAll(() => client?.close())

/** Values for a path's parameters: object ids from `objects` (by the path's kind), enums their first value. */
function pathValues(op: ApiOperation, objects: TenantObjects, userId: number): Record<string, string> {
  const values: Record<string, string> = {}
  for (const name of pathParamsOf(op.path)) {
    const kind = kindOfPath(op.path)
    if (OBJECT_PARAMS.includes(name)) {
      if (kind === undefined) throw new Error(`${op.label}: map its path prefix to an object kind in test/support/tenant-objects.ts (ID_PREFIXES)`)
      values[name] = String(kind === 'admin-user' ? userId : objects[kind])
    } else {
      const param = op.params.find((p) => p.in === 'path' && p.name === name)
      values[name] = enumValue(param?.schema) ?? 'x'
    }
  }
  return values
}

/** The client errors the API answers with (REST-API.md and the shared error codes); anything else is a mistake. */
const CLIENT_ERRORS = new Set([400, 401, 403, 404, 409, 413, 414, 415, 422, 429])

/** A failure line when a reply is not a problem+json body of its own status; undefined when it is. */
function problemFailure(reply: RawReply): string | undefined {
  if (reply.status < 500 && !CLIENT_ERRORS.has(reply.status)) return `${reply.status} is not a status the API uses`
  if (!reply.contentType.startsWith('application/problem+json')) return `${reply.status} with content-type ${reply.contentType || 'none'}`
  const body = JSON.parse(reply.text) as { status?: unknown; code?: unknown; detail?: unknown }
  if (body.status !== reply.status || typeof body.code !== 'string' || typeof body.detail !== 'string') return `${reply.status} with problem ${reply.text.slice(0, 200)}`
  return undefined
}

const rawOf = async (res: Response): Promise<RawReply> => ({ status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() })

describe('route checks over every /openapi.json operation', () => {
  it('the document lists the API, and the public marker comes from the routes (health and login public, sources not)', () => {
    expect(ops.length).toBeGreaterThan(40)
    const byLabel = new Map(ops.map((op) => [op.label, op]))
    expect(byLabel.get('GET /health')?.public).toBe(true)
    expect(byLabel.get('POST /api/v1/auth/login')?.public).toBe(true)
    expect(byLabel.get('GET /api/v1/sources')?.public).toBe(false)
    expect(byLabel.get('POST /api/v1/auth/logout-all')?.public).toBe(false)
    // A z.record querystring comes out of the OpenAPI transform as parameters named after JSON Schema keywords.
    const keywordParams = ops.flatMap((op) => op.params.filter((p) => typeof p.schema !== 'object' || ['propertyNames', 'additionalProperties'].includes(p.name)).map((p) => `${op.label} ${p.name}`))
    expect(keywordParams).toEqual([])
  })

  it('every private operation is 401 problem+json without a token; a public one never asks for a token', async () => {
    const failures: string[] = []
    for (const op of ops) {
      const res = await client.request(op.method, fillPath(op.path, pathValues(op, ownerObjects, owner.id)), {})
      const body = res.contentType.startsWith('application/problem+json') ? (JSON.parse(res.text) as { code?: string; detail?: string }) : undefined
      if (op.public) {
        if (res.status >= 500 && !(op.notImplemented && res.status === 501)) failures.push(`${op.label}: public, answered ${res.status}`)
        if (body?.detail?.includes('bearer access token')) failures.push(`${op.label}: marked public (security: []) but asks for a token`)
      } else if (res.status !== 401 || body?.code !== 'auth') {
        failures.push(`${op.label}: ${res.status} ${body?.code ?? 'not problem+json'} without a token`)
      }
    }
    expect(failures).toEqual([])
  })

  it("another tenant's real id is 404 on every operation that takes one (admin-only user routes: 403 for a non-admin)", async () => {
    const stranger = await daemon.user('tenant-c@example.org')
    const failures: string[] = []
    const checked = new Set<string>()
    const idOps = ops.filter((op) => pathParamsOf(op.path).some((p) => OBJECT_PARAMS.includes(p)) && !op.notImplemented)
    // Deletes last: a delete that wrongly succeeded would hide the other routes' answers.
    idOps.sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'))
    for (const op of idOps) {
      const kind = kindOfPath(op.path)
      const url = fillPath(op.path, pathValues(op, ownerObjects, owner.id))
      const res = await rawOf(await sendValid(daemon, op, url, stranger.token))
      const expected = kind === 'admin-user' ? 403 : 404
      if (res.status !== expected) failures.push(`${op.label}: ${res.status} for another tenant's ${kind} (want ${expected}) ${res.text.slice(0, 200)}`)
      else {
        const bad = problemFailure(res)
        if (bad) failures.push(`${op.label}: ${bad}`)
      }
      checked.add(kind ?? '?')
    }
    expect(failures).toEqual([])
    expect([...checked].sort()).toEqual(['admin-user', 'credential', 'job', 'preset', 'recording', 'source', 'task', 'template', 'thumbnail'])
    // The owner still has every object.
    for (const [kind, id] of Object.entries(ownerObjects)) {
      const get = ops.find((op) => op.method === 'GET' && kindOfPath(op.path) === kind && /\/\{(id|name)\}$/.test(op.path) && !op.notImplemented)
      if (get) expect({ kind, status: (await daemon.fetch(fillPath(get.path, { id: String(id), name: String(id) }), { token: owner.token })).status }).toEqual({ kind, status: 200 })
    }
  })

  it('fuzz: malformed bodies, query strings and path parameters are never a 5xx, and every 4xx is problem+json', async () => {
    const mine = await seedTenant(daemon, prober, ops, 'alpha')
    const rand = seededRandom(SEED)
    const failures: string[] = []
    let requests = 0
    const ordered = [...ops].sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'))
    const selection = fuzzSelection(casesPerOperation(ops.length))
    for (const [turn, op] of ordered.entries()) {
      for (const c of selection.choose(fuzzCases(op, pathValues(op, mine, prober.id), rand), turn)) {
        const headers: Record<string, string> = { authorization: `Bearer ${prober.token}` }
        if (c.contentType !== undefined) headers['content-type'] = c.contentType
        const t0 = performance.now()
        const res = await client.request(c.method, c.url, headers, c.body)
        ;(globalThis as any).__k ??= {}
        ;((globalThis as any).__k[c.kind] ??= [0, 0])[0]++
        ;(globalThis as any).__k[c.kind][1] += performance.now() - t0
        requests++
        const where = `${op.label} [${c.what}] -> ${res.status}`
        if (res.status >= 500 && !(op.notImplemented && res.status === 501)) failures.push(`${where}: ${res.text.slice(0, 200)}`)
        else if (res.status >= 400) {
          const bad = problemFailure(res)
          if (bad) failures.push(`${where}: ${bad}`)
        }
      }
    }
    console.log('REQ', requests, ops.length, JSON.stringify((globalThis as any).__k))
    expect(failures).toEqual([])
    expect(requests).toBeGreaterThan(ops.length * 3)
    // Every kind of malformed input reached some route: bodies, content types, multipart, query and path junk.
    expect(selection.unsent()).toEqual([])
    expect(selection.sentKinds()).toEqual(expect.arrayContaining(['nested junk', 'invalid JSON', 'a junk query value', 'a junk path parameter', 'extra fields and __proto__']))
  })
})
