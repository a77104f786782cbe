import type { Preset, Recording, Source, Template } from '../../db/index.js'
import { details, table } from './table.js'
import { hallucinationLines } from './transcript.js'

/** Text views of templates, presets, sources and recordings (the JSON views are the objects themselves). */
const rulesSummary = (rules: unknown): string => {
  const r = (rules ?? {}) as Record<string, unknown[] | boolean | undefined>
  const parts: string[] = []
  const list = (label: string, key: string) => {
    const v = r[key]
    // Quoted but not escaped: a pattern shows as the user wrote it (^DS \d+, not ^DS \\d+).
    if (Array.isArray(v) && v.length > 0) parts.push(`${label} ${v.map((x) => (typeof x === 'string' ? `"${x}"` : String(x))).join(' ')}`)
  }
  list('exact', 'exact_matches')
  list('keyword', 'keywords')
  list('pattern', 'patterns')
  list('not', 'exclude_keywords')
  list('not /', 'exclude_patterns')
  list('source', 'source_ids')
  return parts.join('; ') || '(no rules)'
}

export const templatesTable = (filters: string, items: Template[]) =>
  table(
    items,
    [
      { header: 'id', value: (t) => t.id },
      { header: 'name', value: (t) => t.name, max: 40 },
      { header: 'state', value: (t) => (t.is_draft ? 'draft' : t.is_active ? 'active' : 'inactive') },
      { header: 'rules', value: (t) => rulesSummary(t.matching_rules), max: 70 },
      { header: 'used', value: (t) => t.used_count },
    ],
    filters ? `No templates match ${filters}.` : 'No templates yet. Add one: recflow templates add "Math" --keyword Math',
  )

export const templateDetails = (t: Template & { problems?: string[] }) =>
  details([
    ...(t.problems ?? []).map((p): [string, unknown] => ['problem', p]),
    ['id', t.id],
    ['name', t.name],
    ['description', t.description],
    ['state', t.is_draft ? 'draft' : t.is_active ? 'active' : 'inactive'],
    ['matching_rules', t.matching_rules],
    ['processing_config', t.processing_config],
    ['metadata_config', t.metadata_config],
    ['output_config', t.output_config],
    ['used', `${t.used_count} time(s), last ${t.last_used_at ?? 'never'}`],
    ['created', t.created_at],
  ])

export const presetsTable = (filters: string, items: Preset[]) =>
  table(
    items,
    [
      { header: 'id', value: (p) => p.id },
      { header: 'name', value: (p) => p.name, max: 40 },
      { header: 'platform', value: (p) => p.platform },
      { header: 'credential', value: (p) => p.credential_id },
      { header: 'active', value: (p) => p.is_active },
    ],
    filters ? `No presets match ${filters}.` : 'No presets yet. Add one: recflow presets add "Archive" --platform local --destination ~/Lectures',
  )

export const presetDetails = (p: Preset) =>
  details([
    ['id', p.id],
    ['name', p.name],
    ['platform', p.platform],
    ['credential', p.credential_id],
    ['description', p.description],
    ['active', p.is_active],
    ['preset_metadata', p.preset_metadata],
    ['created', p.created_at],
  ])

export const sourcesTable = (filters: string, items: Source[]) =>
  table(
    items,
    [
      { header: 'id', value: (s) => s.id },
      { header: 'name', value: (s) => s.name, max: 40 },
      { header: 'platform', value: (s) => s.platform },
      { header: 'where', value: (s) => (s.config as { path?: string; user_id?: string } | null)?.path ?? (s.config as { user_id?: string } | null)?.user_id, max: 60 },
      { header: 'active', value: (s) => s.is_active },
      { header: 'last sync', value: (s) => s.last_synced_at },
    ],
    filters ? `No sources match ${filters}.` : 'No sources yet. Add a folder: recflow sources add local lectures --path ~/Recordings',
  )

export const sourceDetails = (s: Source) =>
  details([
    ['id', s.id],
    ['name', s.name],
    ['platform', s.platform],
    ['credential', s.credential_id],
    ['active', s.is_active],
    ['config', s.config],
    ['last sync', s.last_synced_at],
    ['created', s.created_at],
  ])

const formatDuration = (s: number | null) => {
  if (s === null) return null
  const t = Math.round(s)
  return `${Math.floor(t / 3600)}:${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`
}

export const recordingsTable = (filters: string, items: Recording[]) =>
  table(
    items,
    [
      { header: 'id', value: (r) => r.id },
      { header: 'start (UTC)', value: (r) => r.start_time.slice(0, 16).replace('T', ' ') },
      { header: 'title', value: (r) => r.display_name, max: 50 },
      { header: 'duration', value: (r) => formatDuration(r.duration) },
      { header: 'status', value: (r) => (r.failed ? `${r.status} (failed)` : r.status) },
      { header: 'template', value: (r) => r.template_id },
    ],
    filters ? `No recordings match ${filters}.` : 'No recordings yet. Add some: recflow sync, or recflow recordings add FILE',
  )

export const recordingDetails = (
  r: Recording & { stages: Array<Record<string, unknown>>; targets: Array<Record<string, unknown>>; zoom_trash?: { result: string; at: string } },
) =>
  [
    details([
      ['id', r.id],
      ['title', r.display_name],
      ['start', r.start_time],
      ['duration', formatDuration(r.duration)],
      ['status', r.status],
      ['failed', r.failed ? `${r.failed_stage ?? ''}: ${r.failed_reason ?? ''}` : false],
      ['template', r.template_id],
      ['source', r.input_source_id],
      ['file', r.original_file],
      ['size', r.size_bytes],
      ...(r.zoom_trash
        ? [['zoom cloud copy', r.zoom_trash.result === 'trashed' ? `moved to Zoom's trash at ${r.zoom_trash.at}` : `already gone from Zoom at ${r.zoom_trash.at}`] as [string, unknown]]
        : []),
    ]),
    '',
    r.stages.length === 0
      ? 'stages: none yet'
      : table(r.stages, [
          { header: 'stage', value: (s) => s.stage_type },
          { header: 'status', value: (s) => s.status },
          { header: 'note', value: (s) => s.failed_reason ?? s.skip_reason },
        ]),
    ...hallucinationLines(r.stages),
    r.targets.length === 0
      ? 'targets: none'
      : table(r.targets, [
          { header: 'target', value: (t) => t.target_type },
          { header: 'preset', value: (t) => t.preset_id },
          { header: 'status', value: (t) => t.status },
          { header: 'where', value: (t) => targetWhere(t), max: 400 },
        ]),
  ].join('\n')

/**
 * Where a target was published (its file, or the video's URL), else why it failed; both when a video exists but a
 * later step failed (a thumbnail, the captions: retry-upload finishes only those).
 */
function targetWhere(t: Record<string, unknown>): unknown {
  const where = t.url ?? (t.target_meta as { path?: string } | null | undefined)?.path ?? t.published_path
  if (t.status === 'FAILED' && t.failed_reason) return where ? `${String(where)} (failed: ${String(t.failed_reason)})` : t.failed_reason
  return where ?? t.failed_reason
}

/** "Removed preset 2." plus one line per template a forced removal changed. */
export const removedText = (
  what: string,
  r: { id: number; detached?: Array<{ kind?: 'job'; id: number; name: string; madeDraft?: boolean; madeInactive?: boolean }> },
) => [
  `Removed ${what} ${r.id}.`,
  ...(r.detached ?? []).map(
    (t) =>
      `Taken out of ${t.kind ?? 'template'} ${t.id} "${t.name}"` +
      `${t.madeDraft ? ' (it had no other source and is now a draft)' : ''}` +
      `${t.madeInactive ? ` (disabled, so that it does not run wider than before; \`recflow jobs edit ${t.id}\`, then \`recflow jobs enable ${t.id}\`)` : ''}.`,
  ),
]
