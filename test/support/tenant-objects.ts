import fs from 'node:fs'
import path from 'node:path'
import { forUser } from '../../src/db/index.js'
import type { ApiOperation } from './api-operations.js'
import type { TestDaemon, TestUser } from './daemon.js'

/** The kinds of object a tenant owns that routes address by `{id}` (or `{recording_id}`, `{name}`). */
export type ObjectKind = 'recording' | 'task' | 'source' | 'preset' | 'template' | 'credential' | 'job' | 'thumbnail'

/**
 * Which kind of object a path's id names, by path prefix (the longest match wins). A route whose prefix is
 * not here makes the route checks fail: map it (and seed its kind below) when adding a resource.
 * 'admin-user' paths take any user's id by design (admins only); they are checked for 403 instead.
 */
export const ID_PREFIXES: ReadonlyArray<[string, ObjectKind | 'admin-user']> = [
  ['/api/v1/recordings/', 'recording'],
  ['/api/v1/templates/from-recording/', 'recording'],
  ['/api/v1/tasks/', 'task'],
  ['/api/v1/sources/', 'source'],
  ['/api/v1/presets/', 'preset'],
  ['/api/v1/templates/', 'template'],
  ['/api/v1/credentials/', 'credential'],
  ['/api/v1/automation/jobs/', 'job'],
  ['/api/v1/thumbnails/', 'thumbnail'],
  ['/api/v1/admin/users/', 'admin-user'],
]

/** Path parameters that name a tenant's object; others (`{platform}`, `{kind}`) take their first enum value. */
export const OBJECT_PARAMS = ['id', 'recording_id', 'name']

export function kindOfPath(apiPath: string): ObjectKind | 'admin-user' | undefined {
  let best: [string, ObjectKind | 'admin-user'] | undefined
  for (const entry of ID_PREFIXES) if (apiPath.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry
  return best?.[1]
}

/** The kind a collection path lists (`/api/v1/sources` lists sources), if it is one. */
export const kindOfCollection = (apiPath: string): ObjectKind | 'admin-user' | undefined => ID_PREFIXES.find(([prefix]) => prefix === `${apiPath}/`)?.[1]

/** Each kind's object: an id, or a name for thumbnails. */
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

export type TenantObjects = Record<ObjectKind, number | string>

const json = async (res: Response, what: string): Promise<{ id: number; task_id?: number }> => {
  const body = (await res.json()) as { id: number; task_id?: number }
  if (res.status >= 300) throw new Error(`seeding ${what}: ${res.status} ${JSON.stringify(body)}`)
  return body
}

/**
 * One object of every kind for `user`, made through the API where the route exists (the database where it does
 * not yet: recordings, whose upload needs real media; automation jobs until their routes exist). Names carry `marker`
 * so another tenant's responses can be searched for it.
 */
export async function seedTenant(daemon: TestDaemon, user: TestUser, ops: ApiOperation[], marker: string): Promise<TenantObjects> {
  const has = (label: string) => ops.some((op) => op.label === label)
  const post = (url: string, body: unknown, what: string) => daemon.fetch(url, { method: 'POST', token: user.token, body }).then((r) => json(r, what))
  const scope = forUser(daemon.app.database.db, user.id)
  const folder = path.join(daemon.home, `in-${user.id}`)
  fs.mkdirSync(folder, { recursive: true })

  const source = await post('/api/v1/sources', { name: `${marker} source`, platform: 'local', config: { path: folder } }, 'source')
  const preset = await post('/api/v1/presets', { name: `${marker} preset`, platform: 'local', preset_metadata: { destination: folder, title_template: '{display_name}' } }, 'preset')
  const template = await post('/api/v1/templates', { name: `${marker} template`, matching_rules: { keywords: [marker] }, auto_rematch: false }, 'template')
  const credential = await post('/api/v1/credentials', { platform: 'deepseek', account_name: `${marker} key`, credentials: { api_key: `sk-${marker}-0001` } }, 'credential')
  const recording = await scope.recordings.create({ display_name: `${marker} lecture`, start_time: '2026-12-01T09:00:00Z', input_source_id: source.id })
  const run = await post(`/api/v1/recordings/${recording.id}/run`, {}, 'task')
  const schedule = { type: 'time_of_day', time: '06:00', timezone: 'UTC' } // a plan with automation jobs (plus) is needed
  const job = has('POST /api/v1/automation/jobs')
    ? await post('/api/v1/automation/jobs', { name: `${marker} job`, source_ids: [source.id], schedule }, 'automation job')
    : await scope.automationJobs.create({ name: `${marker} job`, source_ids: [source.id], schedule })
  const form = new FormData()
  form.append('file', new Blob([Buffer.concat([PNG_MAGIC, Buffer.alloc(256, user.id)])], { type: 'image/png' }), `${marker}.png`)
  const thumbnail = (await json(await fetch(`${daemon.url}/api/v1/thumbnails`, { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: form }), 'thumbnail')) as unknown as { name: string }
  return { source: source.id, preset: preset.id, template: template.id, credential: credential.id, recording: recording.id, task: run.task_id as number, job: job.id, thumbnail: thumbnail.name }
}
