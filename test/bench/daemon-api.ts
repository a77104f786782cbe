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
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { createApp } from '../../src/app.js'
import { forUser, systemScope } from '../../src/db/index.js'
import { loadRuntimeEnv } from '../../src/platform/config.js'
import { silentLogger } from '../../src/platform/logger.js'

const ROOT = process.cwd()
const BENCH_DIR = process.env.RECFLOW_BENCH_DIR ?? path.join(os.tmpdir(), 'recflow-bench')
const ROUNDS = Number(process.env.RECFLOW_BENCH_ROUNDS ?? 3)
const SECONDS = Number(process.env.RECFLOW_BENCH_SECONDS ?? 10)
const USERS = 10
const PER_USER = 10_000

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

const envFor = (home: string) => ({ ...process.env, RECFLOW_HOME: home, RECFLOW_SECRET_STORE: 'file', RECFLOW_LOG_LEVEL: 'error' })

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

interface Server {
  child: ChildProcess
  url: string
}

/** Starts a server process and waits for its /health (or the baseline's /). */
async function startServer(args: string[], env: NodeJS.ProcessEnv, port: number, probe: string): Promise<Server> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)))
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`)
    try {
      if ((await fetch(`${url}${probe}`)).status < 500) return { child, url }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill('SIGKILL')
  throw new Error(`server did not start: ${stderr}`)
}

async function stop(server: Server): Promise<void> {
  const exited = new Promise((r) => server.child.once('exit', r))
  server.child.kill('SIGTERM')
  await exited
}

function peakRssMiB(pid: number | undefined): number {
  const hwm = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
  return hwm ? Number(hwm[1]) / 1024 : NaN
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
  const daemonArgs = [path.join(ROOT, 'bin/run.js'), 'daemon', 'start', '--api-only', '--port', String(daemonPort), '--log-level', 'error']
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
    `| bare fastify, same page from memory, requests/s, median | ${median(base.map((b) => b.rps)).toFixed(0)} | baseline |`,
    `| daemon / bare throughput, median of per-pair ratios (min–max) | ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) | |`,
    `| daemon peak RSS (VmHWM, max of rounds) | ${rss.toFixed(0)} MiB | limit ≤ 250 MB: ${rss * 1.048576 <= 250 ? 'ok' : '**not met**'} |`,
    `| non-2xx answers or errors during the daemon runs | ${failures} | must be 0 |`,
  ].join('\n')
  console.log(table)
  const doc = path.join(ROOT, 'docs/BENCHMARKS.md')
  const text = fs.readFileSync(doc, 'utf8')
  const begin = '<!-- bench:daemon-api:begin -->'
  const end = '<!-- bench:daemon-api:end -->'
  if (text.includes(begin)) fs.writeFileSync(doc, text.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), `${begin}\n${table}\n${end}`))
}

if (import.meta.url === `file://${process.argv[1]}`) await benchDaemonApi()
