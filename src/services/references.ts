import type { Template, UserScope } from '../db/index.js'
import { RecflowError } from '../domain/errors.js'
import { getAtPath, setAtPath, unsetAtPath } from '../domain/config/paths.js'
import { listAll } from './paging.js'

/*
 * Who uses a preset or a source, so removing one never leaves a template or a recording pointing at nothing
 * unnoticed (issue 7 item 6): removal is refused with this list unless forced, and a forced removal takes the id
 * out of the templates' lists in the same transaction.
 */

export interface ReferenceUser {
  kind: 'template' | 'recording' | 'config' | 'preset' | 'source' | 'job'
  id?: number
  name: string
  /** Where the reference sits, e.g. `output_config.preset_ids`. */
  field: string
}

type Json = Record<string, unknown> | null | undefined

const idsIn = (doc: unknown, ...keys: string[]): number[] => {
  const at = getAtPath(doc, keys.join('.'))
  return Array.isArray(at) ? at.filter((x): x is number => typeof x === 'number') : []
}

/** A copy of `doc` with `id` taken out of the list at `keys` (the document is returned as is when it holds none). */
function withoutId(doc: Json, keys: string[], id: number): Json {
  if (!idsIn(doc, ...keys).includes(id)) return doc
  const path = keys.join('.')
  return setAtPath(doc, path, (getAtPath(doc, path) as unknown[]).filter((x) => x !== id))
}

const TEMPLATE_PRESET_FIELDS: string[][] = [
  ['output_config', 'preset_ids'],
  ['processing_config', 'upload', 'preset_ids'],
]
const TEMPLATE_SOURCE_FIELDS: string[][] = [['matching_rules', 'source_ids']]

/** How many recordings are listed by name before "and N more". */
const LISTED = 5

const allTemplates = (scope: UserScope) => listAll((page) => scope.templates.list({ includeDrafts: true }, page))

function templateUsers(templates: Template[], fields: string[][], id: number): ReferenceUser[] {
  const out: ReferenceUser[] = []
  for (const t of templates) {
    for (const keys of fields) {
      if (idsIn(t[keys[0] as keyof Template], ...keys.slice(1)).includes(id)) {
        out.push({ kind: 'template', id: t.id, name: t.name, field: keys.join('.') })
      }
    }
  }
  return out
}

export async function presetUsers(scope: UserScope, presetId: number): Promise<ReferenceUser[]> {
  const users = templateUsers(await allTemplates(scope), TEMPLATE_PRESET_FIELDS, presetId)
  const recordings = await listAll((page) => scope.recordings.list({ includeDeleted: true }, page))
  for (const r of recordings) {
    if (idsIn(r.processing_config_override, 'upload', 'preset_ids').includes(presetId)) {
      users.push({ kind: 'recording', id: r.id, name: r.display_name, field: 'processing_config_override.upload.preset_ids' })
    }
  }
  const config = (await scope.configs.get())?.config
  if (idsIn(config, 'upload', 'preset_ids').includes(presetId)) users.push({ kind: 'config', name: 'your config', field: 'upload.preset_ids' })
  return users
}

export async function sourceUsers(scope: UserScope, sourceId: number): Promise<ReferenceUser[]> {
  const users = templateUsers(await allTemplates(scope), TEMPLATE_SOURCE_FIELDS, sourceId)
  const recordings = await listAll((page) => scope.recordings.list({ source_id: sourceId, includeDeleted: true }, page))
  for (const r of recordings) users.push({ kind: 'recording', id: r.id, name: r.display_name, field: 'input_source_id' })
  // An automation job naming a removed source would fail every scheduled run ("source N not found").
  users.push(...(await jobsNaming(scope, 'source_ids', sourceId)))
  return users
}

type JobIdsField = 'source_ids' | 'template_ids'

/** The automation jobs whose `field` names `id`. */
async function jobsNaming(scope: UserScope, field: JobIdsField, id: number): Promise<ReferenceUser[]> {
  const jobs = await listAll((page) => scope.automationJobs.list({}, page))
  return jobs.filter((j) => (j[field] as number[]).includes(id)).map((j) => ({ kind: 'job' as const, id: j.id, name: j.name, field }))
}

/**
 * Takes `id` out of `field` of the jobs among `users`. A job that `widens` once without it (it would run on more
 * than before) is disabled instead of left running.
 */
async function detachFromJobs(
  tx: UserScope,
  field: JobIdsField,
  id: number,
  users: ReferenceUser[],
  widens: (job: { source_ids: number[]; template_ids: number[] }) => boolean,
): Promise<Detached[]> {
  const detached: Detached[] = []
  for (const jobId of new Set(users.filter((u) => u.kind === 'job').map((u) => u.id!))) {
    const j = (await tx.automationJobs.get(jobId))!
    const ids = { source_ids: j.source_ids as number[], template_ids: j.template_ids as number[] }
    ids[field] = ids[field].filter((x) => x !== id)
    const madeInactive = j.is_active && widens(ids)
    await tx.automationJobs.update(jobId, madeInactive ? { [field]: ids[field], is_active: false, next_run_at: null } : { [field]: ids[field] })
    detached.push(madeInactive ? { kind: 'job', id: jobId, name: j.name, madeInactive } : { kind: 'job', id: jobId, name: j.name })
  }
  return detached
}

/** "template 3 "Math" (output_config.preset_ids), recording 12 "Lecture 5", … and 40 more recordings". */
export function describeUsers(users: ReferenceUser[]): string {
  const recordings = users.filter((u) => u.kind === 'recording')
  const named = [
    ...users.filter((u) => u.kind === 'preset' || u.kind === 'source').map((u) => `${u.kind} ${u.id} "${u.name}"`),
    ...users.filter((u) => u.kind === 'template').map((u) => `template ${u.id} "${u.name}" (${u.field})`),
    ...users.filter((u) => u.kind === 'job').map((u) => `job ${u.id} "${u.name}"`),
    ...recordings.slice(0, LISTED).map((u) => `recording ${u.id} "${u.name}"`),
    ...users.filter((u) => u.kind === 'config').map((u) => `${u.name} (${u.field})`),
  ]
  const more = recordings.length - LISTED
  return named.join(', ') + (more > 0 ? `, and ${more} more recording${more === 1 ? '' : 's'}` : '')
}

export function refuseInUse(what: 'preset' | 'source' | 'template' | 'credential', id: number, users: ReferenceUser[], command: string): never {
  const holders = (['template', 'job'] as const).filter((kind) => users.some((u) => u.kind === kind)).map((kind) => `${kind}s`)
  const from = what === 'credential' ? 'detach it from them' : `take it out of ${holders.length > 0 ? `those ${holders.join(' and ')}` : 'them'}`
  throw new RecflowError('conflict', `${what} ${id} is still used by ${describeUsers(users)}`, {
    hint: `change those first, or run \`recflow ${command} ${id} --force\` to remove it and ${from}`,
    details: { users },
  })
}

/** A template or an automation job a forced removal changed. */
export interface Detached {
  /** Set for an automation job; a template otherwise. */
  kind?: 'job'
  id: number
  name: string
  /** True when the template lost its last source and was made a draft, so it does not start matching every source. */
  madeDraft?: boolean
  /** True when the job lost its last source (and names no template), or its last template, and was disabled. */
  madeInactive?: boolean
}

/** Takes a preset id out of every template, recording override and the user config that name it (inside a transaction). */
export async function detachPreset(tx: UserScope, presetId: number, users: ReferenceUser[]): Promise<Detached[]> {
  const detached: Detached[] = []
  for (const id of new Set(users.filter((u) => u.kind === 'template').map((u) => u.id!))) {
    const t = (await tx.templates.get(id))!
    const output_config = withoutId(t.output_config as Json, ['preset_ids'], presetId)
    const processing_config = withoutId(t.processing_config as Json, ['upload', 'preset_ids'], presetId)
    await tx.templates.update(id, { output_config, processing_config })
    detached.push({ id, name: t.name })
  }
  for (const id of new Set(users.filter((u) => u.kind === 'recording').map((u) => u.id!))) {
    const r = (await tx.recordings.get(id))!
    await tx.recordings.update(id, { processing_config_override: withoutId(r.processing_config_override as Json, ['upload', 'preset_ids'], presetId) })
  }
  if (users.some((u) => u.kind === 'config')) {
    const config = (await tx.configs.get())!.config as Json
    await tx.configs.set(withoutId(config, ['upload', 'preset_ids'], presetId))
  }
  return detached
}

/**
 * Takes a source id out of every template's matching_rules.source_ids and every automation job's source_ids. A
 * template whose only source it was becomes a draft, a job left with no source nor template is disabled: an empty
 * source list would otherwise widen either to every source.
 */
export async function detachSource(tx: UserScope, sourceId: number, users: ReferenceUser[]): Promise<Detached[]> {
  const detached: Detached[] = []
  for (const id of new Set(users.filter((u) => u.kind === 'template').map((u) => u.id!))) {
    const t = (await tx.templates.get(id))!
    const matching_rules = withoutId(t.matching_rules as Json, ['source_ids'], sourceId)
    const madeDraft = idsIn(matching_rules, 'source_ids').length === 0 && !t.is_draft
    await tx.templates.update(id, madeDraft ? { matching_rules, is_draft: true } : { matching_rules })
    detached.push(madeDraft ? { id, name: t.name, madeDraft } : { id, name: t.name })
  }
  // A job naming neither sources nor templates would sync every active source: it is disabled instead.
  detached.push(...(await detachFromJobs(tx, 'source_ids', sourceId, users, (j) => j.source_ids.length === 0 && j.template_ids.length === 0)))
  return detached
}

/** The automation jobs that name a template: each run keeps only that template's recordings. */
export const jobsUsingTemplate = (scope: UserScope, templateId: number): Promise<ReferenceUser[]> => jobsNaming(scope, 'template_ids', templateId)

/**
 * Takes a template id out of the jobs that name it. A job whose last template it was is disabled: with no template
 * left it would process every matched recording of its sources, not only that template's.
 */
export const detachTemplate = (tx: UserScope, templateId: number, users: ReferenceUser[]): Promise<Detached[]> =>
  detachFromJobs(tx, 'template_ids', templateId, users, (j) => j.template_ids.length === 0)

/** Preset ids a template names that no longer exist (a preset removed before removal was checked, or forced). */
export async function danglingPresetIds(scope: UserScope, template: Pick<Template, 'output_config' | 'processing_config'>): Promise<number[]> {
  const ids = new Set(TEMPLATE_PRESET_FIELDS.flatMap((keys) => idsIn(template[keys[0] as 'output_config'], ...keys.slice(1))))
  const out: number[] = []
  for (const id of ids) if ((await scope.presets.get(id)) === undefined) out.push(id)
  return out
}

/** Source ids a template's matching rules name that no longer exist. */
export async function danglingSourceIds(scope: UserScope, template: Pick<Template, 'matching_rules'>): Promise<number[]> {
  const out: number[] = []
  for (const id of new Set(idsIn(template.matching_rules, 'source_ids'))) if ((await scope.sources.get(id)) === undefined) out.push(id)
  return out
}

/** Where a processing config names an API-key credential (user config, template processing_config, overrides). */
const CREDENTIAL_CONFIG_PATHS = ['transcription.credential_id', 'topics.credential_id']

const namesCredential = (doc: unknown, path: string, id: number) => getAtPath(doc, path) === id

/**
 * Who uses a credential: presets and sources by their credential_id column, and the user config, templates'
 * processing_config and recordings' overrides by transcription.credential_id / topics.credential_id.
 */
export async function credentialUsers(scope: UserScope, credentialId: number): Promise<ReferenceUser[]> {
  const users: ReferenceUser[] = []
  for (const p of await listAll((page) => scope.presets.list({}, page))) {
    if (p.credential_id === credentialId) users.push({ kind: 'preset', id: p.id, name: p.name, field: 'credential_id' })
  }
  for (const s of await listAll((page) => scope.sources.list({}, page))) {
    if (s.credential_id === credentialId) users.push({ kind: 'source', id: s.id, name: s.name, field: 'credential_id' })
  }
  for (const t of await allTemplates(scope)) {
    for (const path of CREDENTIAL_CONFIG_PATHS) {
      if (namesCredential(t.processing_config, path, credentialId)) users.push({ kind: 'template', id: t.id, name: t.name, field: `processing_config.${path}` })
    }
  }
  for (const r of await listAll((page) => scope.recordings.list({ includeDeleted: true }, page))) {
    for (const path of CREDENTIAL_CONFIG_PATHS) {
      if (namesCredential(r.processing_config_override, path, credentialId)) {
        users.push({ kind: 'recording', id: r.id, name: r.display_name, field: `processing_config_override.${path}` })
      }
    }
  }
  const config = (await scope.configs.get())?.config
  for (const path of CREDENTIAL_CONFIG_PATHS) {
    if (namesCredential(config, path, credentialId)) users.push({ kind: 'config', name: 'your config', field: path })
  }
  return users
}

/** A copy of `doc` without the credential paths that name `id` (they then inherit: null = the only one of its kind). */
function withoutCredential(doc: Json, id: number): Json {
  let out = doc
  for (const path of CREDENTIAL_CONFIG_PATHS) if (namesCredential(out, path, id)) out = unsetAtPath(out, path)
  return out
}

/** Takes a credential out of everything credentialUsers found (inside the removal's transaction). */
export async function detachCredential(tx: UserScope, credentialId: number, users: ReferenceUser[]): Promise<ReferenceUser[]> {
  const ids = (kind: ReferenceUser['kind']) => new Set(users.filter((u) => u.kind === kind).map((u) => u.id!))
  for (const id of ids('preset')) await tx.presets.update(id, { credential_id: null })
  for (const id of ids('source')) await tx.sources.update(id, { credential_id: null })
  for (const id of ids('template')) {
    const t = (await tx.templates.get(id))!
    await tx.templates.update(id, { processing_config: withoutCredential(t.processing_config as Json, credentialId) })
  }
  for (const id of ids('recording')) {
    const r = (await tx.recordings.get(id))!
    await tx.recordings.update(id, { processing_config_override: withoutCredential(r.processing_config_override as Json, credentialId) })
  }
  if (users.some((u) => u.kind === 'config')) {
    await tx.configs.set(withoutCredential((await tx.configs.get())!.config as Json, credentialId))
  }
  return users
}
