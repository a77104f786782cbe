import type { TrimPlan } from './trim-plan.js'

/** Human-readable lines for `--dry-run` and logs: what would be kept and cut, in original time. */
export function describeTrimPlan(plan: TrimPlan): string[] {
  const total = plan.editList.source_duration
  if (plan.nothingToCut) return [`${plan.mode} trim: nothing to cut, keeping all ${clock(total)}`]
  const pct = ((plan.cutS / total) * 100).toFixed(1)
  return [
    `${plan.mode} trim: keep ${clock(plan.keptS)} of ${clock(total)}, cut ${plan.cutS.toFixed(1)} s (${pct}%)`,
    ...plan.editList.keep.map((k) => `  keep ${clock(k.start)} - ${clock(k.end)}  (${(k.end - k.start).toFixed(1)} s)`),
    ...plan.cuts.map((c) => `  cut  ${clock(c.start)} - ${clock(c.end)}  (${(c.end - c.start).toFixed(1)} s)`),
  ]
}

/** 3723.25 -> "1:02:03.250", 95.1 -> "1:35.100". */
export function clock(seconds: number): string {
  const ms = Math.round(seconds * 1000)
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor((ms % 3_600_000) / 60_000)
  const s = (ms % 60_000) / 1000
  const ss = s.toFixed(3).padStart(6, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}
