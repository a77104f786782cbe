import type { TickReport } from '../../services/automation/scheduler-tick.js'

/** One line per tick, stamped (the tick's output is appended to a log by cron). */
export function describeTick(r: TickReport): string {
  if (!r.ticked) {
    const holder = r.holderPid === null ? 'another process' : `pid ${r.holderPid}`
    return `${new Date().toISOString()} another scheduler tick is running (${holder}${r.since ? `, since ${r.since}` : ''}); this one exits`
  }
  const queued = r.scan.jobs.filter((j) => j.outcome === 'queued').map((j) => `${j.name} (job ${j.jobId}) for ${j.scheduledFor}`)
  return `${r.at} tick: ${r.queued} job run(s) queued${queued.length > 0 ? `: ${queued.join(', ')}` : ''}; ${r.ran} task(s) ran, ${r.failed} failed`
}
