import type { PipelineResult } from '../../services/pipeline/index.js'
import type { RunResult } from '../../services/run.js'
import { syncOutcome } from './sync.js'

/** Text for `recflow run` and `recflow recordings run|process`: one block per recording, then what to do next. */
export function pipelineLines(r: PipelineResult): string[] {
  const lines = [`recording ${r.recordingId} "${r.displayName}": ${r.dryRun ? 'plan (dry run, nothing written)' : r.status}${r.failed ? ' (failed)' : ''}`]
  for (const s of r.stages) {
    if (s.outcome === 'resumed') continue
    lines.push(`  ${s.stage.toLowerCase().padEnd(18)} ${s.outcome}${s.message ? `: ${s.message}` : ''}`)
  }
  for (const t of r.targets) {
    lines.push(`  ${`upload ${t.platform}`.padEnd(18)} ${t.status.toLowerCase()}${t.location ? `: ${t.location}` : ''}${t.reason ? `: ${t.reason}` : ''}`)
  }
  return lines
}

export function runLines(r: RunResult): string[] {
  const lines: string[] = []
  for (const s of r.sync?.sources ?? []) {
    if (s.status === 'error') lines.push(`${s.name}: not synced: ${s.error?.message ?? 'unknown error'}`, ...(s.error?.hint ? [`  hint: ${s.error.hint}`] : []))
    else lines.push(`${s.status} ${s.name}: ${s.found} found, ${s.created} new, ${s.changed} changed, ${s.vanished} vanished${s.message ? ` (${s.message})` : ''}`)
  }
  // A source that failed is counted as failed, never as synced (the others went on).
  const synced = r.sync ? syncOutcome(r.sync) : undefined
  if (synced && synced.failed.length > 0) lines.push(synced.line)
  if (r.recordings.length === 0) lines.push('Nothing to process: no recording is waiting. Add recordings with `recflow sync` or `recflow recordings add FILE`.')
  for (const o of r.recordings) {
    if (o.result) lines.push(...pipelineLines(o.result))
    else lines.push(`recording ${o.recordingId} "${o.displayName}": ${o.state}${o.error ? `: ${o.error.message}` : ''}`, ...(o.error?.hint ? [`  hint: ${o.error.hint}`] : []))
  }
  const failed = r.recordings.filter((o) => o.state === 'failed').length
  const cancelled = r.recordings.filter((o) => o.state === 'cancelled').length
  if (failed > 0 || cancelled > 0) lines.push('')
  if (failed > 0) lines.push(`${failed} recording(s) failed; see \`recflow recordings show ID\`, fix the cause and run \`recflow recordings run ID\`.`)
  if (cancelled > 0) lines.push(`${cancelled} recording(s) cancelled; run the same command again to resume them from their first unfinished stage.`)
  return lines
}
