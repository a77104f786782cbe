import type { AutomationJob, UserScope } from '../../db/index.js'

/**
 * The sources a job syncs: its own, then the ones its templates name in matching_rules.source_ids (a template
 * that no longer exists names none). Empty when neither names any: the run then syncs every active source and
 * keeps only the recordings its templates matched.
 */
export async function jobSourceIds(scope: UserScope, job: Pick<AutomationJob, 'source_ids' | 'template_ids'>): Promise<number[]> {
  const ids = new Set<number>(job.source_ids as number[])
  for (const templateId of job.template_ids as number[]) {
    const template = await scope.templates.get(templateId)
    const named = (template?.matching_rules as { source_ids?: unknown } | null | undefined)?.source_ids
    if (Array.isArray(named)) for (const id of named) if (typeof id === 'number') ids.add(id)
  }
  return [...ids]
}

/** Whether a recording a run synced belongs to the job: matched, and to one of its templates when it names any. */
export function belongsToJob(job: Pick<AutomationJob, 'template_ids'>, recording: { template_id: number | null; is_mapped: boolean }): boolean {
  if (!recording.is_mapped || recording.template_id === null) return false
  const templates = job.template_ids as number[]
  return templates.length === 0 || templates.includes(recording.template_id)
}
