import type { DaemonInfo, DaemonMode } from '../../services/daemon/daemon-files.js'
import type { DaemonStatus } from '../../services/daemon/daemon-runtime.js'
import type { StopOutcome } from '../../services/daemon/daemon-stop.js'

const RUNS: Record<DaemonMode, string> = { full: 'API, worker and scheduler', api: 'API only', worker: 'worker and scheduler only' }

/** 3725 -> "1h 2m 5s". */
export function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86_400)
  const h = Math.floor((seconds % 86_400) / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  const parts = [d && `${d}d`, h && `${h}h`, m && `${m}m`, `${s}s`].filter(Boolean)
  return parts.slice(0, 3).join(' ')
}

/** The line a start prints once the daemon is ready. */
export function describeReady(info: DaemonInfo, detached: boolean): string {
  const where = info.url ? ` at ${info.url}` : ''
  const how = detached ? 'stop it with `recflow daemon stop`' : 'Ctrl-C or `recflow daemon stop` stops it'
  return 'recflow daemon running (pid ' + String(info.pid) + '; ' + RUNS[info.mode] + ')' + where + '; ' + how
}

export function describeStatus(s: DaemonStatus): string[] {
  const lines: string[] = []
  const live = s.daemons.filter((d) => d.alive)
  if (live.length === 0) lines.push('No daemon is running (start one with `recflow daemon start`).')
  for (const d of live) {
    const where = d.info?.url ? ` at ${d.info.url}` : ''
    const up = d.uptimeS === null ? ', starting' : `, up ${formatUptime(d.uptimeS)}`
    lines.push(`Daemon running (pid ${d.pid}; ${RUNS[d.mode]})${where}${up}`)
  }
  for (const d of s.daemons.filter((x) => !x.alive)) lines.push(`A stale pid file of a daemon that is gone (pid ${d.pid ?? 'unknown'}): the next start replaces it.`)
  const order = ['pending', 'running', 'succeeded', 'failed', 'cancelled']
  const states = [...order.filter((k) => k in s.tasks), ...Object.keys(s.tasks).filter((k) => !order.includes(k))]
  lines.push(`Tasks: ${states.length === 0 ? 'none' : states.map((k) => `${s.tasks[k]} ${k}`).join(', ')}`)
  return lines
}

export function describeStop(outcomes: StopOutcome[]): string[] {
  if (outcomes.length === 0) return ['No daemon is running.']
  return outcomes.map((o) =>
    o.outcome === 'stale'
      ? `The daemon (pid ${o.pid ?? 'unknown'}) was not running; its stale pid file was removed.`
      : o.outcome === 'killed'
        ? `Killed the daemon (pid ${o.pid}); its running tasks are back in the queue.`
        : `Stopped the daemon (pid ${o.pid}) in ${(o.waitedMs / 1000).toFixed(1)} s.`,
  )
}
