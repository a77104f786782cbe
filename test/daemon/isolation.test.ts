import { describe, expect, it } from 'vitest'
import { apiOperations, enumValue, fillPath, pathParamsOf, sendValid, type ApiOperation } from '../support/api-operations.js'
import { useTestDaemon, type TestUser } from '../support/daemon.js'
import { kindOfCollection, kindOfPath, OBJECT_PARAMS, seedTenant, type ObjectKind, type TenantObjects } from '../support/tenant-objects.js'

// The two-tenant isolation suite over HTTP, generic over /openapi.json: every collection and every {id} route on
// the server, including routes added after this file.
const daemon = useTestDaemon()

const objectKindOf = (op: ApiOperation): ObjectKind | undefined => {
  const kind = kindOfPath(op.path)
  return kind === 'admin-user' ? undefined : kind
}

/** The path of `op` for `objects` (its object parameter) with other parameters at their first enum value. */
function urlFor(op: ApiOperation, objects: TenantObjects): string {
  const kind = objectKindOf(op)
  const values: Record<string, string> = {}
  for (const name of pathParamsOf(op.path)) {
    values[name] = OBJECT_PARAMS.includes(name) && kind ? String(objects[kind]) : (enumValue(op.params.find((p) => p.name === name)?.schema) ?? 'x')
  }
  return fillPath(op.path, values)
}

/** Fields that say when a reply was made, not what it holds. */
const CLOCK_FIELDS = /"(checked_at|seconds_left)":("[^"]*"|[-\d.]+|null)/g

/** What a GET answers, as text without its clock fields (an event stream is cut off after its headers: only its status counts). */
async function read(url: string, user: TestUser): Promise<{ status: number; text: string }> {
  const res = await daemon.fetch(url, { token: user.token })
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
    await res.body?.cancel()
    return { status: res.status, text: '' }
  }
  return { status: res.status, text: (await res.text()).replace(CLOCK_FIELDS, '"$1":"(clock)"') }
}

/** The ids (or, for thumbnails, names) of a page's items. */
const idsIn = (text: string): Array<number | string> => {
  const body = JSON.parse(text) as { items?: Array<{ id?: unknown; name?: unknown }> }
  return (body.items ?? []).map((item) => (typeof item.id === 'number' ? item.id : item.name)).filter((id): id is number | string => id !== undefined)
}

describe('two tenants over HTTP', () => {
  it("B lists every collection without A's objects, gets/patches/deletes each of A's ids as 404, and A's objects are unchanged", async () => {
    const ops = (await apiOperations(daemon)).filter((op) => !op.public && !op.notImplemented)
    const alice = await daemon.user('iso-alice@example.org', { plan: 'plus' })
    const bob = await daemon.user('iso-bob@example.org', { plan: 'plus' })
    const aliceObjects = await seedTenant(daemon, alice, ops, 'alicemarker')
    const bobObjects = await seedTenant(daemon, bob, ops, 'bobmarker')

    // Collections: the pages (a reply with items) that take no path parameter; the admin ones list everyone's by design.
    const collections = ops.filter((op) => op.method === 'GET' && pathParamsOf(op.path).length === 0 && op.reply?.properties?.items && !op.path.startsWith('/api/v1/admin/'))
    const objectGets = ops.filter((op) => op.method === 'GET' && objectKindOf(op) && pathParamsOf(op.path).some((p) => OBJECT_PARAMS.includes(p)))
    const snapshot = async () => {
      const seen: Record<string, { status: number; text: string }> = {}
      for (const op of [...collections, ...objectGets]) seen[op.label] = await read(urlFor(op, aliceObjects), alice)
      return seen
    }
    const before = await snapshot()

    // Every collection: Bob sees his own objects and none of Alice's (by id and by the marker in her names).
    const listed = new Set<string>()
    for (const op of collections) {
      const kind = kindOfCollection(op.path)
      const mine = await read(op.path, bob)
      expect({ op: op.label, status: mine.status }).toEqual({ op: op.label, status: 200 })
      expect(mine.text, op.label).not.toContain('alicemarker')
      if (kind && kind !== 'admin-user') {
        expect(idsIn(mine.text), op.label).not.toContain(aliceObjects[kind])
        expect(idsIn(mine.text), op.label).toContain(bobObjects[kind])
        expect(idsIn(before[op.label]?.text ?? '{}'), op.label).toContain(aliceObjects[kind])
        listed.add(kind)
      }
    }
    expect([...listed].sort()).toEqual(['credential', 'job', 'preset', 'recording', 'source', 'task', 'template', 'thumbnail'])

    // Every read, change and delete of one of Alice's ids: 404 for Bob, deletes last.
    const probes = ops
      .filter((op) => ['GET', 'PATCH', 'PUT', 'DELETE'].includes(op.method) && objectKindOf(op) && pathParamsOf(op.path).some((p) => OBJECT_PARAMS.includes(p)))
      .sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'))
    const failures: string[] = []
    for (const op of probes) {
      const res = await sendValid(daemon, op, urlFor(op, aliceObjects), bob.token)
      const text = res.headers.get('content-type')?.startsWith('text/event-stream') ? (await res.body?.cancel(), '') : await res.text()
      if (res.status !== 404 || !res.headers.get('content-type')?.startsWith('application/problem+json')) failures.push(`${op.label}: ${res.status} ${text.slice(0, 200)}`)
      if (text.includes('alicemarker')) failures.push(`${op.label}: the 404 names Alice's object`)
    }
    expect(failures).toEqual([])
    expect(probes.length).toBeGreaterThanOrEqual(10)

    expect(await snapshot()).toEqual(before)
  })
})
