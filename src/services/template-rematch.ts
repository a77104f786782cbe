import type { Recording, Template, UserScope } from '../db/index.js'
import { previewRematch, type MatchingRulesInput, type RematchChange } from '../domain/matching/index.js'
import type { RecordingStatus } from '../domain/status/statuses.js'
import { listAll } from './paging.js'

/*
 * Rematching one template (REST-API.md POST /templates/{id}/rematch and preview-rematch): the selection is the
 * domain's selectForRematch (src/domain/matching/rematch.ts) over the user's unmapped recordings and, unless
 * only_unmapped, those bound to the template, judged against all active templates (oldest first wins). Only
 * recordings that have not started the pipeline are considered (waiting for their source, INITIALIZED or
 * SKIPPED): one that was downloaded, processed or published keeps the template it was made with. Applying a change
 * moves the binding and the status with it (SKIPPED <-> INITIALIZED; PENDING_SOURCE stays) and counts the match
 * on the template it now belongs to. Preview and apply read the same selection; apply does it in one transaction.
 */

/** Statuses whose template binding a rematch may change. */
export const REMATCHABLE_STATUSES = ['PENDING_SOURCE', 'INITIALIZED', 'SKIPPED'] as const satisfies readonly RecordingStatus[]

export interface RematchResult {
  template: { id: number; name: string }
  only_unmapped: boolean
  /** How many recordings the rematch looked at. */
  considered: number
  changes: Array<{ recording_id: number; display_name: string; from_template_id: number | null; to_template_id: number | null; reason: string | null }>
  /** True when the changes were written (rematch), false for a preview. */
  applied: boolean
}

async function selection(scope: UserScope, template: Template, onlyUnmapped: boolean) {
  const status = REMATCHABLE_STATUSES
  const unmapped = await listAll((page) => scope.recordings.list({ mapped: false, status }, page))
  const bound: Recording[] = onlyUnmapped ? [] : await listAll((page) => scope.recordings.list({ template_id: template.id, status }, page))
  const templates = await listAll((page) => scope.templates.list({ activeOnly: true }, page))
  const recordings = [...unmapped, ...bound]
  const preview = previewRematch(
    recordings,
    template.id,
    templates.map((t) => ({ ...t, matching_rules: (t.matching_rules ?? {}) as MatchingRulesInput })),
    { onlyUnmapped },
  )
  return { preview, byId: new Map(recordings.map((r) => [r.id, r])) }
}

const shown = (template: Template, onlyUnmapped: boolean, considered: number, changes: Array<RematchChange & { display_name: string }>, applied: boolean): RematchResult => ({
  template: { id: template.id, name: template.name },
  only_unmapped: onlyUnmapped,
  considered,
  changes: changes.map((c) => ({ recording_id: c.recordingId, display_name: c.display_name, from_template_id: c.from, to_template_id: c.to, reason: c.reason })),
  applied,
})

/** What a rematch of `template` would change, without writing. */
export async function previewTemplateRematch(scope: UserScope, template: Template, onlyUnmapped: boolean): Promise<RematchResult> {
  const { preview } = await selection(scope, template, onlyUnmapped)
  return shown(template, onlyUnmapped, preview.considered, preview.changes, false)
}

/** The same selection, written in one transaction (`tx` is the transaction's scope). */
export async function applyTemplateRematch(tx: UserScope, template: Template, onlyUnmapped: boolean, now: Date): Promise<RematchResult> {
  const { preview, byId } = await selection(tx, template, onlyUnmapped)
  for (const change of preview.changes) {
    const current = byId.get(change.recordingId)!.status
    const status: RecordingStatus =
      change.to !== null ? (current === 'SKIPPED' ? 'INITIALIZED' : current) : current === 'INITIALIZED' ? 'SKIPPED' : current
    await tx.recordings.update(change.recordingId, { template_id: change.to, is_mapped: change.to !== null, status })
    if (change.to !== null) await tx.templates.markUsed(change.to, now)
  }
  return shown(template, onlyUnmapped, preview.considered, preview.changes, true)
}
