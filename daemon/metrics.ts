import type { QueueCounts } from '../src/services/health.js'

/** Latency buckets in seconds: the p99 target is 25 ms, so the low end is fine-grained. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

interface Histogram {
  counts: number[]
  sum: number
  count: number
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
const labels = (pairs: Record<string, string>) =>
  `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',')}}`

/**
 * The daemon's request metrics, kept per server instance (no module state). Routes are recorded by their
 * pattern (`/api/v1/recordings/:id`), never the raw URL, so ids do not explode the label set.
 */
export function requestMetrics() {
  const requests = new Map<string, number>()
  const latency = new Map<string, Histogram>()
  return {
    observe(method: string, route: string, status: number, seconds: number): void {
      const key = `${method}\u0000${route}\u0000${status}`
      requests.set(key, (requests.get(key) ?? 0) + 1)
      const lkey = `${method}\u0000${route}`
      let h = latency.get(lkey)
      if (!h) latency.set(lkey, (h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }))
      for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) h.counts[i]!++
      h.sum += seconds
      h.count++
    },
    /** Prometheus text exposition format 0.0.4. */
    render(queue: QueueCounts): string {
      const out: string[] = []
      out.push('# HELP recflow_http_requests_total HTTP requests by route and status.', '# TYPE recflow_http_requests_total counter')
      for (const [key, n] of requests) {
        const [method, route, status] = key.split('\u0000') as [string, string, string]
        out.push(`recflow_http_requests_total${labels({ method, route, status })} ${n}`)
      }
      out.push('# HELP recflow_http_request_duration_seconds HTTP request latency by route.', '# TYPE recflow_http_request_duration_seconds histogram')
      for (const [key, h] of latency) {
        const [method, route] = key.split('\u0000') as [string, string]
        BUCKETS.forEach((le, i) => out.push(`recflow_http_request_duration_seconds_bucket${labels({ method, route, le: String(le) })} ${h.counts[i]}`))
        out.push(`recflow_http_request_duration_seconds_bucket${labels({ method, route, le: '+Inf' })} ${h.count}`)
        out.push(`recflow_http_request_duration_seconds_sum${labels({ method, route })} ${h.sum}`)
        out.push(`recflow_http_request_duration_seconds_count${labels({ method, route })} ${h.count}`)
      }
      out.push('# HELP recflow_tasks Tasks in the queue by state.', '# TYPE recflow_tasks gauge')
      for (const state of ['pending', 'running', 'succeeded', 'failed', 'cancelled'])
        out.push(`recflow_tasks${labels({ state })} ${queue.tasksByState[state] ?? 0}`)
      out.push('# HELP recflow_queue_oldest_wait_seconds How long the oldest runnable pending task has waited.', '# TYPE recflow_queue_oldest_wait_seconds gauge')
      out.push(`recflow_queue_oldest_wait_seconds ${queue.oldestPendingWaitS}`)
      out.push('# HELP recflow_queue_wait_seconds_mean Mean wait from queued to started, tasks started in the last hour.', '# TYPE recflow_queue_wait_seconds_mean gauge')
      out.push(`recflow_queue_wait_seconds_mean ${queue.meanQueueWaitS ?? 0}`)
      return `${out.join('\n')}\n`
    },
  }
}

export type RequestMetrics = ReturnType<typeof requestMetrics>
