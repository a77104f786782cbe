/**
 * Server-Sent Events at scale (issue 12): 200 subscribers of one task's `GET /api/v1/tasks/{id}/events`, against
 * the same stream with one subscriber, measured in the same run. The daemon runs as users run it
 * (`recflow daemon start --api-only`, its own process); this process plays the worker: it claims the task, appends
 * EVENTS progress events (one every INTERVAL ms, the rate of a busy pipeline) and finishes it. Per side: every
 * subscriber must receive every event once, in order, then `end`; the latency from an event's insert to its arrival
 * at each subscriber (p50, p99 over all deliveries), the daemon's CPU per second of streaming and its peak RSS.
 * Rounds are paired and the order flips every round; figures are medians of rounds.
 *
 *   npm run bench                                         (RECFLOW_BENCH_SKIP=daemon-sse leaves it out)
 *   npm run build && node dist/test/bench/daemon-sse.js   (this one alone)
 */
import http from 'node:http'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { createApp } from '../../src/app.js'
import { forUser, systemScope } from '../../src/db/index.js'
import { newLeaseOwner } from '../../src/jobs/lease-owner.js'
import { loadRuntimeEnv } from '../../src/platform/config.js'
import { silentLogger } from '../../src/platform/logger.js'
import { BENCH_DIR, benchEnv, cpuMs, daemonArgs, peakRssMiB, ROUNDS, startServer, stopServer } from './daemon-support.js'
import { median, percentile, writeBenchmarkSection } from './report.js'

const SUBSCRIBERS = Number(process.env.RECFLOW_BENCH_SSE_SUBSCRIBERS ?? 200)
const EVENTS = 40
const INTERVAL_MS = 100

interface Subscriber {
  /** Event id -> performance.now() at arrival. */
  arrivals: Map<number, number>
  order: number[]
  ended: Promise<boolean>
  close(): void
}

/** One SSE client on its own socket; `ended` resolves true on the `end` event, false if the stream breaks. */
function subscribe(url: string, token: string, opened: () => void): Subscriber {
  const arrivals = new Map<number, number>()
  const order: number[] = []
  let request: http.ClientRequest | undefined
  const ended = new Promise<boolean>((resolve) => {
    request = http.get(url, { agent: false, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        resolve(false)
        res.resume()
        return
      }
      opened()
      let buffer = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        const now = performance.now()
        buffer += chunk
        let cut: number
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, cut)
          buffer = buffer.slice(cut + 2)
          const id = /^id: (\d+)$/m.exec(frame)
          const event = /^event: (\w+)$/m.exec(frame)?.[1]
          if (event === 'progress' && id) {
            arrivals.set(Number(id[1]), now)
            order.push(Number(id[1]))
          } else if (event === 'end') resolve(true)
        }
      })
      res.on('close', () => resolve(false))
    })
    request.on('error', () => resolve(false))
  })
  return { arrivals, order, ended, close: () => request?.destroy() }
}

interface Side {
  subscribers: number
  p50: number
  p99: number
  cpuMsPerS: number
  rssMiB: number
  complete: boolean
}

async function streamOnce(home: string, port: number, subscribers: number): Promise<Side> {
  const app = await createApp(loadRuntimeEnv(benchEnv(home)), { logger: silentLogger })
  const server = await startServer(daemonArgs(port), benchEnv(home), port, '/health')
  try {
    const system = systemScope(app.database.db)
    const user = (await system.users.findByEmail('sse@example.com')) ?? (await system.users.create({ email: 'sse@example.com', plan: 'pro' }))
    const token = (await (await app.service('accessTokens')).issue({ id: user.id, role: user.role })).access_token
    const scope = forUser(app.database.db, user.id)
    const { task } = await scope.tasks.create({ type: 'sync', payload: {}, max_attempts: 1 })
    const owner = newLeaseOwner()
    const claimed = await system.tasks.claimNext({ owner, leaseMs: 600_000, ids: [task.id] })
    if (claimed === undefined) throw new Error(`could not claim task ${task.id}`)

    let open = 0
    const clients = Array.from({ length: subscribers }, () => subscribe(`${server.url}/api/v1/tasks/${task.id}/events`, token, () => open++))
    for (let i = 0; i < 600 && open < subscribers; i++) await new Promise((r) => setTimeout(r, 10))
    if (open < subscribers) throw new Error(`only ${open} of ${subscribers} subscribers connected`)
    // Each stream's first poll has run before the first event: latency is then about delivery, not connection.
    await new Promise((r) => setTimeout(r, 500))

    const inserted = new Map<number, number>()
    const cpu0 = cpuMs(server.child.pid)
    const t0 = performance.now()
    for (let i = 1; i <= EVENTS; i++) {
      const event = await scope.taskEvents.append(task.id, { kind: 'progress', progress: (100 * i) / EVENTS, stage: 'bench', message: `step ${i} of ${EVENTS}`, at: new Date() })
      inserted.set(event.id, performance.now())
      await new Promise((r) => setTimeout(r, INTERVAL_MS))
    }
    await system.tasks.finish(task.id, owner, { state: 'succeeded', result: { bench: true } })
    const endedAll = await Promise.race([Promise.all(clients.map((c) => c.ended)), new Promise<boolean[]>((r) => setTimeout(() => r([]), 30_000))])
    const seconds = (performance.now() - t0) / 1000
    const cpu = cpuMs(server.child.pid) - cpu0
    const rssMiB = peakRssMiB(server.child.pid)
    for (const c of clients) c.close()

    const ids = [...inserted.keys()]
    const latencies: number[] = []
    let complete = endedAll.length === subscribers && endedAll.every(Boolean)
    for (const c of clients) {
      if (c.order.join() !== ids.join()) complete = false
      for (const [id, at] of inserted) {
        const arrived = c.arrivals.get(id)
        if (arrived !== undefined) latencies.push(arrived - at)
      }
    }
    return { subscribers, p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpuMsPerS: cpu / seconds, rssMiB, complete }
  } finally {
    await stopServer(server)
    await app.close()
  }
}

export async function benchDaemonSse(): Promise<void> {
  const home = path.join(BENCH_DIR, 'daemon-sse')
  fs.rmSync(home, { recursive: true, force: true })
  fs.mkdirSync(home, { recursive: true })
  const port = 19_000 + (process.pid % 1000)
  const many: Side[] = []
  const one: Side[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [SUBSCRIBERS, 1] : [1, SUBSCRIBERS]
    for (const n of order) (n === 1 ? one : many).push(await streamOnce(home, port, n))
    const m = many.at(-1)!
    console.error(`daemon-sse round ${round + 1}: ${SUBSCRIBERS} subscribers p99 ${m.p99.toFixed(0)} ms, ${m.cpuMsPerS.toFixed(0)} ms CPU/s, complete ${m.complete}; 1 subscriber p99 ${one.at(-1)!.p99.toFixed(0)} ms`)
  }
  const f = (xs: Side[], k: keyof Side) => median(xs.map((x) => Number(x[k])))
  const cpuRatios = many.map((m, i) => m.cpuMsPerS / Math.max(1, one[i]!.cpuMsPerS))
  const table = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'} (load average ${os.loadavg()[0]!.toFixed(1)} at the end), ${ROUNDS} paired rounds; one task, ${EVENTS} progress events ${INTERVAL_MS} ms apart, then its end.`,
    '',
    `| measure | ${SUBSCRIBERS} subscribers | 1 subscriber (baseline) |`,
    '|---|---|---|',
    `| every subscriber got every event once, in order, and \`end\` (all rounds) | ${many.every((m) => m.complete) ? 'yes' : '**no**'} | ${one.every((m) => m.complete) ? 'yes' : '**no**'} |`,
    `| latency insert -> arrival, p50 (median of rounds) | ${f(many, 'p50').toFixed(0)} ms | ${f(one, 'p50').toFixed(0)} ms |`,
    `| latency p99 (median of rounds) | ${f(many, 'p99').toFixed(0)} ms | ${f(one, 'p99').toFixed(0)} ms |`,
    `| daemon CPU while streaming, ms per second (median) | ${f(many, 'cpuMsPerS').toFixed(0)} | ${f(one, 'cpuMsPerS').toFixed(0)} |`,
    `| CPU ratio to the baseline, median of per-pair ratios | ${median(cpuRatios).toFixed(1)} × | 1 × |`,
    `| daemon peak RSS (VmHWM, max of rounds) | ${Math.max(...many.map((m) => m.rssMiB)).toFixed(0)} MiB | ${Math.max(...one.map((m) => m.rssMiB)).toFixed(0)} MiB |`,
  ].join('\n')
  console.log(table)
  writeBenchmarkSection('daemon-sse', table)
}

if (import.meta.url === `file://${process.argv[1]}`) await benchDaemonSse()
