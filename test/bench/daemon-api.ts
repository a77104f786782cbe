/**
 * The daemon's list throughput (issue 12): `GET /api/v1/recordings?limit=50` against a home holding 100,000
 * recordings of 10 users, 50 connections (autocannon), each request signed by one of the 10 users in turn. The
 * daemon runs as users run it (`node bin/run.js daemon start --api-only`, its own process, so its peak RSS is its
 * own); the baseline is a bare fastify process answering a fixed 50-item page of the same JSON shape from memory,
 * measured in the same run. Rounds are paired, the order flips every round; figures are medians. Limits: ≥ 3,000
 * requests/s and p99 ≤ 25 ms for the daemon, daemon RSS ≤ 250 MB.
 *
 *   npm run bench                                  (RECFLOW_BENCH_SKIP=daemon-api leaves it out)
 *   npm run build && node dist/test/bench/daemon-api.js     (this one alone)
 *
 * The seeded home is made once in RECFLOW_BENCH_DIR (default $TMPDIR/recflow-bench/daemon-100k) and reused;
 * RECFLOW_BENCH_ROUNDS sets the rounds (default 3), RECFLOW_BENCH_SECONDS the length of each run (default 10).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { createApp } from '../../src/app.js'
import { forUser, systemScope } from '../../src/db/index.js'
import { loadRuntimeEnv } from '../../src/platform/config.js'
import { silentLogger } from '../../src/platform/logger.js'
import { BENCH_DIR, benchEnv as envFor, daemonArgs as daemonArgsFor, peakRssMiB, ROUNDS, startServer, stopServer as stop } from './daemon-support.js'
import { median, writeBenchmarkSection } from './report.js'

const SECONDS = Number(process.env.RECFLOW_BENCH_SECONDS ?? 10)
const USERS = 10
const PER_USER = 10_000

/** 10 users with 10,000 recordings each (made once, then reused). */
async function seededHome(): Promise<string> {
  const home = path.join(BENCH_DIR, 'daemon-100k')
  if (fs.existsSync(path.join(home, '.seeded'))) return home
  fs.rmSync(home, { recursive: true, force: true })
  fs.mkdirSync(home, { recursive: true })
  console.error(`daemon-api bench: seeding ${USERS * PER_USER} recordings in ${home} (once)…`)
  const app = await createApp(loadRuntimeEnv(envFor(home)), { logger: silentLogger })
  try {
    const system = systemScope(app.database.db)
    for (let u = 0; u < USERS; u++) {
      const user = await system.users.create({ email: `bench${u}@example.com`, plan: 'pro' })
      const scope = forUser(app.database.db, user.id)
      for (let batch = 0; batch < PER_USER / 1000; batch++) {
        await scope.transaction(async (tx) => {
          for (let i = 0; i < 1000; i++) {
            const n = batch * 1000 + i
            await tx.recordings.create({
              display_name: `Lecture ${n} of user ${u}: ${['Algebra', 'Physics', 'History', 'Biology'][n % 4]}`,
              start_time: new Date(Date.UTC(2026, 0, 1) + n * 3600_000),
              duration: 3600 + (n % 600),
              status: n % 7 === 0 ? 'SKIPPED' : 'READY',
              is_mapped: n % 7 !== 0,
              size_bytes: 500_000_000 + n,
            })
          }
        })
      }
    }
  } finally {
    await app.close()
  }
  fs.writeFileSync(path.join(home, '.seeded'), '')
  return home
}

async function tokensFor(home: string): Promise<string[]> {
  const app = await createApp(loadRuntimeEnv(envFor(home)), { logger: silentLogger })
  try {
    const tokens = await app.service('accessTokens')
    const system = systemScope(app.database.db)
    const out: string[] = []
    for (let u = 0; u < USERS; u++) {
      const user = await system.users.findByEmail(`bench${u}@example.com`)
      if (!user) throw new Error(`bench user ${u} is missing: remove ${home} and run again`)
      out.push((await tokens.issue({ id: user.id, role: user.role })).access_token)
    }
    return out
  } finally {
    await app.close()
  }
}

interface Load {
  rps: number
  p99: number
  p50: number
  non2xx: number
  errors: number
}

async function load(url: string, pathname: string, tokens: string[]): Promise<Load> {
  let n = 0
  const result = await autocannon({
    url,
    connections: 50,
    duration: SECONDS,
    requests: [
      {
        method: 'GET',
        path: pathname,
        setupRequest: (req) => ({ ...req, headers: { ...(req.headers ?? {}), authorization: `Bearer ${tokens[n++ % tokens.length]}` } }),
      },
    ],
  })
  return { rps: result.requests.average, p99: result.latency.p99, p50: result.latency.p50, non2xx: result.non2xx, errors: result.errors }
}

/** The baseline: fastify answering a fixed page of 50 recordings of the same shape, from memory. */
const BASELINE = `
const Fastify = (await import('fastify')).default
const page = JSON.parse(process.env.BENCH_PAGE)
const body = JSON.stringify(page)
const app = Fastify()
app.get('/api/v1/recordings', async (req, reply) => reply.type('application/json').send(body))
await app.listen({ host: '127.0.0.1', port: Number(process.env.BENCH_PORT) })
`

export async function benchDaemonApi(): Promise<void> {
  const home = await seededHome()
  const tokens = await tokensFor(home)
  const daemonPort = 18_000 + (process.pid % 1000)
  const basePort = daemonPort + 1
  const pathname = '/api/v1/recordings?limit=50'
  const daemonArgs = daemonArgsFor(daemonPort)
  // One page from the daemon gives the baseline its body (same bytes on the wire).
  const first = await startServer(daemonArgs, envFor(home), daemonPort, '/health')
  const sample = await fetch(`${first.url}${pathname}`, { headers: { authorization: `Bearer ${tokens[0]}` } })
  const pageText = await sample.text()
  await stop(first)
  if (sample.status !== 200) throw new Error(`GET ${pathname} answered ${sample.status}: ${pageText.slice(0, 300)}`)
  const items = (JSON.parse(pageText) as { items: unknown[] }).items.length

  const daemon: Load[] = []
  const base: Load[] = []
  let rss = 0
  for (let round = 0; round < ROUNDS; round++) {
    const sides = round % 2 === 0 ? (['daemon', 'base'] as const) : (['base', 'daemon'] as const)
    for (const side of sides) {
      if (side === 'daemon') {
        const s = await startServer(daemonArgs, envFor(home), daemonPort, '/health')
        await load(s.url, pathname, tokens) // warm-up run (JIT, page cache), not counted
        daemon.push(await load(s.url, pathname, tokens))
        rss = Math.max(rss, peakRssMiB(s.child.pid))
        await stop(s)
      } else {
        const env = { ...process.env, BENCH_PAGE: pageText, BENCH_PORT: String(basePort) }
        const s = await startServer(['--input-type=module', '-e', BASELINE], env, basePort, pathname)
        await load(s.url, pathname, tokens)
        base.push(await load(s.url, pathname, tokens))
        await stop(s)
      }
    }
    console.error(`daemon-api round ${round + 1}: daemon ${daemon.at(-1)!.rps.toFixed(0)} req/s p99 ${daemon.at(-1)!.p99} ms; bare ${base.at(-1)!.rps.toFixed(0)} req/s`)
  }
  const ratios = daemon.map((d, i) => d.rps / base[i]!.rps)
  const dRps = median(daemon.map((d) => d.rps))
  const dP99 = median(daemon.map((d) => d.p99))
  const failures = daemon.reduce((s, d) => s + d.non2xx + d.errors, 0)
  const load1 = os.loadavg()[0]!.toFixed(1)
  const table = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'} (load average ${load1} at the end), ${ROUNDS} paired rounds of ${SECONDS} s, 50 connections, ${USERS} users × ${PER_USER} recordings, pages of ${items}.`,
    '',
    '| measure | value | verdict |',
    '|---|---|---|',
    `| daemon \`GET /api/v1/recordings?limit=50\`, requests/s, median | ${dRps.toFixed(0)} | limit ≥ 3,000: ${dRps >= 3000 ? 'ok' : '**not met**'} |`,
    `| daemon latency p99, median of rounds (p50) | ${dP99} ms (${median(daemon.map((d) => d.p50))} ms) | limit ≤ 25 ms: ${dP99 <= 25 ? 'ok' : '**not met**'} |`,
    `| bare fastify, same page from memory, requests/s, median (p99) | ${median(base.map((b) => b.rps)).toFixed(0)} (${median(base.map((b) => b.p99))} ms) | baseline |`,
    `| daemon / bare throughput, median of per-pair ratios (min–max) | ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) | |`,
    `| daemon peak RSS (VmHWM, max of rounds) | ${rss.toFixed(0)} MiB | limit ≤ 250 MB: ${rss * 1.048576 <= 250 ? 'ok' : '**not met**'} |`,
    `| non-2xx answers or errors during the daemon runs | ${failures} | must be 0 |`,
  ].join('\n')
  console.log(table)
  writeBenchmarkSection('daemon-api', table)
}

if (import.meta.url === `file://${process.argv[1]}`) await benchDaemonApi()
