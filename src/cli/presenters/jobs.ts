import type { AutomationJobRun } from '../../db/index.js'
import type { ForegroundJobRun, JobDetails, JobView } from '../../services/automation/jobs-service.js'
import type { JobDryRun, JobRunSummary } from '../../services/automation/job-summary.js'
import { runLines } from './run.js'
import { details, table } from './table.js'

/** Text views of automation jobs and their runs (the JSON views are the objects themselves). */
const minute = (iso: string | null | undefined) => (iso ? iso.slice(0, 16).replace('T', ' ') : null)

export const jobsTable = (filters: string, items: JobView[]) =>
  table(
    items,
    [
      { header: 'id', value: (j) => j.id },
      { header: 'name', value: (j) => j.name, max: 30 },
      { header: 'schedule', value: (j) => j.description, max: 50 },
      { header: 'sources', value: (j) => j.source_ids },
      { header: 'templates', value: (j) => j.template_ids },
      { header: 'upload', value: (j) => j.upload },
      { header: 'active', value: (j) => j.is_active },
      { header: 'next run (UTC)', value: (j) => minute(j.next_run_at) },
    ],
    filters ? `No jobs match ${filters}.` : 'No automation jobs yet. Add one: recflow jobs add nightly --source 1 --at 02:00',
  )

const jobEntries = (j: JobView): Array<[string, unknown]> => [
  ['id', j.id],
  ['name', j.name],
  ['schedule', j.description],
  ['timezone', (j.schedule as { timezone?: string }).timezone],
  ['sources', (j.source_ids as number[]).length > 0 ? j.source_ids : "(the templates' sources)"],
  ['templates', (j.template_ids as number[]).length > 0 ? j.template_ids : '(any template)'],
  ['upload', j.upload],
  ['max parallel', j.max_parallel],
  ['active', j.is_active],
  ['next run', j.next_run_at],
  ['last run', j.last_run_at],
]

export const jobDetails = (j: JobDetails) => [
  details(jobEntries(j)),
  ...(j.next_runs.length > 0
    ? ['', 'Next runs:', ...j.next_runs.map((r) => `  ${r.local}  =  ${r.utc}`)]
    : ['', 'No next runs: the job is disabled (recflow jobs enable ID).']),
]

export const jobChanged = (verb: string) => (j: JobView) => [`${verb} job ${j.id} "${j.name}".`, details(jobEntries(j))]

const runResult = (r: AutomationJobRun) => (r.result ?? {}) as Partial<JobRunSummary>

export const jobRunsTable = (job: JobView, items: AutomationJobRun[]) =>
  table(
    items,
    [
      { header: 'run', value: (r) => r.id },
      { header: 'status', value: (r) => r.status },
      { header: 'scheduled (UTC)', value: (r) => minute(runResult(r).scheduledFor) ?? 'by hand' },
      { header: 'started (UTC)', value: (r) => minute(r.started_at) },
      { header: 'finished', value: (r) => minute(r.finished_at) },
      { header: 'synced', value: (r) => runResult(r).synced },
      { header: 'matched', value: (r) => runResult(r).matched },
      { header: 'queued', value: (r) => runResult(r).queued },
      { header: 'failed', value: (r) => runResult(r).failed },
      { header: 'errors', value: (r) => (runResult(r).errors ?? []).map((e) => e.message), max: 60 },
    ],
    `Job ${job.id} "${job.name}" has not run yet. Run it now: recflow jobs run ${job.id}`,
  )

const counts = (s: JobRunSummary) =>
  `synced ${s.synced} new or changed recording(s), matched ${s.matched}, queued ${s.queued}${s.failed > 0 ? `, ${s.failed} failed` : ''}`

/** A dry run: the sources, then each new recording with what would become of it, then the estimate. */
export function dryRunLines(d: JobDryRun): string[] {
  const { plan } = d
  const lines = [`Job ${d.jobId} "${d.jobName}": dry run, nothing written.`]
  for (const s of plan.sources) lines.push(`source ${s.sourceId} "${s.name}" (${s.platform}): ${s.found} file(s)${s.note ? ` (${s.note})` : ''}`)
  if (plan.recordings.length === 0) lines.push('Nothing new: a run now would queue nothing.')
  for (const r of plan.recordings) {
    const what = r.processed ? `process with template "${r.templateName}"` : r.templateName ? `matched "${r.templateName}", not one of the job's templates: skip` : 'no template matches: skip'
    const publish = r.processed ? (r.publishTo.length > 0 ? `; publish to ${r.publishTo.map((p) => `${p.name} (${p.platform})`).join(', ')}` : d.upload ? '; no preset to publish to' : '; uploads off') : ''
    lines.push(`  new: ${r.file} "${r.displayName}": ${what}${publish}`)
  }
  const e = plan.estimate
  const cost = e.transcriptionCostUsd === null ? 'cost unknown' : `about $${e.transcriptionCostUsd.toFixed(4)}`
  const gaps = [
    e.unknownDurations > 0 ? `${e.unknownDurations} of unreadable length` : '',
    e.unpriced > 0 ? `${e.unpriced} with no known price for the transcription model` : '',
  ].filter(Boolean)
  lines.push(
    `Would sync ${d.synced}, match ${d.matched}, process ${plan.recordings.filter((r) => r.processed).length}.`,
    `Estimate: ${e.transcriptionMinutes} min to transcribe, ${cost}${gaps.length > 0 ? ` (not counted: ${gaps.join('; ')})` : ''}; YouTube quota ${e.youtubeQuotaUnits} units.`,
  )
  return lines
}

/** `jobs run ID`: the run's counts, then each processed recording as `recflow run` shows it. */
export function foregroundRunLines(r: ForegroundJobRun): string[] {
  const s = r.summary
  if (s.dryRun) return dryRunLines(s as JobDryRun)
  const lines = [`Job ${s.jobId} "${s.jobName}" run ${s.runId}: ${s.status}; ${counts(s)}.`]
  for (const e of s.errors) lines.push(`  error: ${e.message}`)
  if (r.run) lines.push(...runLines(r.run).filter((l) => !l.startsWith('synced ')))
  return lines
}
