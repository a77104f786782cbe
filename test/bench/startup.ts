/**
 * Start-up benchmark: whole commands timed from outside, each paired with a bare `node -e 0` run right before or
 * after it (the order alternates by round), so the figure is the median of per-pair ratios on a noisy machine.
 * Run alone with `node dist/test/bench/startup.js` (build first); `npm run bench` runs it before the media part.
 * Rounds: RECFLOW_BENCH_STARTUP_ROUNDS (default 15). Writes the "Start-up" section of docs/BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createApp } from '../../src/app.js'
import { forUser } from '../../src/db/index.js'
import { loadRuntimeEnv } from '../../src/platform/config.js'
import { silentLogger } from '../../src/platform/logger.js'
import { median, writeBenchmarkSection } from './report.js'

const ROOT = process.cwd()
const BENCH_DIR = process.env.RECFLOW_BENCH_DIR ?? path.join(os.tmpdir(), 'recflow-bench')
const RECORDINGS = 10_000

interface Subject {
  label: string
  args: string[]
  limit: number
}
const SUBJECTS: Subject[] = [
  { label: '`recflow --version`', args: ['--version'], limit: 2.5 },
  { label: '`recflow --help`', args: ['--help'], limit: 2.5 },
  { label: '`recflow recordings list --json` (10,000 recordings)', args: ['recordings', 'list', '--json'], limit: 4 },
  { label: '`recflow templates list`', args: ['templates', 'list'], limit: 4 },
  { label: '`recflow config get processing.padding_before`', args: ['config', 'get', 'processing.padding_before'], limit: 4 },
]


/** A home with RECORDINGS recordings, three templates and one source, made once and reused (a marker file says it is whole). */
export async function seedStartupHome(home: string): Promise<void> {
  const marker = path.join(home, `.seeded-${RECORDINGS}`)
  if (fs.existsSync(marker)) return
  fs.rmSync(home, { recursive: true, force: true })
  const app = await createApp(loadRuntimeEnv({ RECFLOW_HOME: home, PATH: process.env.PATH ?? '', RECFLOW_SECRET_STORE: 'file' }), { logger: silentLogger })
  try {
    const scope = forUser(app.database.db, app.localUser.id)
    const source = await scope.sources.create({ name: 'lectures', platform: 'local', config: { path: path.join(home, 'inbox') } })
    const templates: Array<{ id: number; name: string }> = []
    for (const name of ['Algebra', 'Geometry', 'Physics']) {
      templates.push(await scope.templates.create({ name, matching_rules: { keywords: [name] } }))
    }
    const start = Date.parse('2026-01-05T09:00:00Z')
    const BATCH = 1000
    for (let from = 0; from < RECORDINGS; from += BATCH) {
      await scope.transaction(async (tx) => {
        for (let i = from; i < Math.min(RECORDINGS, from + BATCH); i++) {
          const template = templates[i % templates.length]!
          await tx.recordings.create({
            input_source_id: source.id,
            source_key: `week ${Math.floor(i / 20)}/${template.name} ${i}.mp4`,
            display_name: `${template.name} ${i}`,
            start_time: new Date(start + i * 3_600_000),
            duration: 3600 + (i % 600),
            size_bytes: 500_000_000 + i,
            template_id: template.id,
            is_mapped: true,
            original_file: path.join(home, 'inbox', `week ${Math.floor(i / 20)}`, `${template.name} ${i}.mp4`),
          })
        }
      })
    }
  } finally {
    await app.close()
  }
  fs.writeFileSync(marker, new Date().toISOString())
}

function timeNode(args: string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 })
  const ms = performance.now() - t0
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(-2000)}`)
  return ms
}

export interface StartupFigure {
  label: string
  limit: number
  ratio: number
  ms: number
  baselineMs: number
}

export async function runStartupBench(opts: { rounds?: number; writeDoc?: boolean } = {}): Promise<StartupFigure[]> {
  const rounds = opts.rounds ?? Number(process.env.RECFLOW_BENCH_STARTUP_ROUNDS ?? 15)
  const home = path.join(BENCH_DIR, `startup-home-${RECORDINGS}`)
  console.error(`seeding ${RECORDINGS} recordings in ${home} (once)…`)
  await seedStartupHome(home)
  const env: NodeJS.ProcessEnv = { ...process.env, RECFLOW_HOME: home, RECFLOW_SECRET_STORE: 'file', CI: 'true' }
  delete env.RECFLOW_DB
  const bin = path.join(ROOT, 'bin/run.js')
  // One untimed run of each warms the file cache (and checks every command works) before the paired rounds.
  for (const s of SUBJECTS) timeNode([bin, ...s.args], env)
  timeNode(['-e', '0'], env)

  const ratios = SUBJECTS.map(() => [] as number[])
  const times = SUBJECTS.map(() => [] as number[])
  const baselines: number[] = []
  for (let round = 0; round < rounds; round++) {
    SUBJECTS.forEach((s, i) => {
      const baseFirst = (round + i) % 2 === 0
      const base1 = baseFirst ? timeNode(['-e', '0'], env) : 0
      const subject = timeNode([bin, ...s.args], env)
      const base = baseFirst ? base1 : timeNode(['-e', '0'], env)
      baselines.push(base)
      ratios[i]!.push(subject / base)
      times[i]!.push(subject)
    })
    console.error(`start-up round ${round + 1}/${rounds}: ${SUBJECTS.map((s, i) => `${s.args[0]} ${ratios[i]!.at(-1)!.toFixed(2)}×`).join(', ')}`)
  }
  const figures = SUBJECTS.map((s, i) => ({ label: s.label, limit: s.limit, ratio: median(ratios[i]!), ms: median(times[i]!), baselineMs: median(baselines) }))

  const header = `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${rounds} rounds (each command paired with a \`node -e 0\` run, order alternating); bare \`node -e 0\` median ${median(baselines).toFixed(0)} ms; load average at the end ${os.loadavg()[0]!.toFixed(1)}.`
  const rows = figures.map((f) => `| ${f.label} | ${f.ms.toFixed(0)} ms | **${f.ratio.toFixed(2)} ×** | ${f.limit} × | ${f.ratio <= f.limit ? 'ok' : 'over'} |`)
  const table = ['| command | median time | median of per-pair ratios to `node -e 0` | limit | verdict |', '|---|---|---|---|---|', ...rows].join('\n')
  console.log(header + '\n\n' + table)

  if (opts.writeDoc !== false) {
    writeBenchmarkSection('startup', `${header}\n\n${table}`)
  }
  return figures
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await runStartupBench()
}
