/**
 * Zoom sync at scale: `recflow sync` of a Zoom source holding 10,000 meetings over one year (the Zoom fake, 300
 * a page, one-month windows) matched against 500 templates, on a fresh home, then the same sync again with
 * nothing new. Whole commands timed from outside (`/usr/bin/time`: wall seconds and the peak RSS of the CLI),
 * each round paired with `recflow sources list --json` on the same home (start-up and database open, which every
 * command pays). Limits (issue 9): first sync ≤ 15 s wall and ≤ 200 MB peak RSS; no-change sync ≤ 3 s.
 *
 *   npm run bench                                            (all benchmarks; RECFLOW_BENCH_SKIP=zoom-sync leaves it out)
 *   npx tsc -p tsconfig.json && node dist/test/bench/zoom-sync.js [MEETINGS]   (this one alone; default 10000)
 *
 * The fake runs in this process and the CLI is spawned asynchronously (a blocking spawn would stall the fake).
 * Setup that is not measured (the Zoom credential, 500 templates) is written through the app in-process.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createApp } from '../../src/app.js'
import { loadRuntimeEnv } from '../../src/platform/config.js'
import { silentLogger } from '../../src/platform/logger.js'
import { startZoomApiFake, zoomMeeting, ZOOM_TEST_TOKEN, type ZoomMeeting } from '../fakes/zoom-api.js'
import { seedZoomCredential } from '../support/zoom.js'
import { median, writeBenchmarkSection } from './report.js'

const ROOT = process.cwd()
const RUN = path.join(ROOT, 'bin', 'run.js')
const ROUNDS = Number(process.env.RECFLOW_BENCH_ROUNDS ?? 3)
const TEMPLATES = 500
const COURSES = 600 // topics name 600 courses; 500 have a template, so about 5 in 6 meetings match


/** 10,000 meetings spread over 2024 (about 27 a day), each with the usual files (video, audio, transcript, chat). */
export function yearOfMeetings(count: number): ZoomMeeting[] {
  const start = Date.UTC(2024, 0, 1, 8)
  const span = 365 * 86_400_000
  return Array.from({ length: count }, (_, i) =>
    zoomMeeting({
      seed: i + 1,
      topic: `Course ${i % COURSES} lecture ${Math.floor(i / COURSES) + 1}`,
      startTime: new Date(start + Math.floor((i * span) / count)).toISOString(),
      files: ['shared_screen_with_speaker_view', 'active_speaker', 'audio_only', 'audio_transcript', 'chat_file'],
    }),
  )
}

/** The real CLI, spawned without blocking this process (the fake answers it): wall seconds, peak RSS MB, stdout. */
function recflow(home: string, env: Record<string, string>, args: string[]): Promise<{ seconds: number; rssMB: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    // RECFLOW_BENCH_PROF=DIR: the syncs write V8 CPU profiles there (to see where the time goes).
    const prof = process.env.RECFLOW_BENCH_PROF && args[0] === 'sync' ? [process.execPath, '--cpu-prof', '--cpu-prof-dir', process.env.RECFLOW_BENCH_PROF] : []
    const child = spawn('/usr/bin/time', ['-f', '@@time %e %M', ...prof, RUN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: home, RECFLOW_HOME: home, RECFLOW_SECRET_STORE: 'file', CI: 'true', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
    child.on('error', reject)
    child.on('close', (code) => {
      const m = /@@time ([\d.]+) (\d+)/.exec(stderr)
      if (code !== 0 || !m) reject(new Error(`recflow ${args.join(' ')} failed (${code}): ${stderr.slice(-2000)}`))
      else resolve({ seconds: Number(m[1]), rssMB: Number(m[2]) / 1024, stdout })
    })
  })
}

interface Round {
  baselineS: number
  firstS: number
  firstRssMB: number
  againS: number
  againRssMB: number
}

async function round(count: number, apiUrl: string): Promise<Round> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-bench-zoom-'))
  const env = { RECFLOW_ZOOM_API_URL: apiUrl }
  try {
    const app = await createApp(loadRuntimeEnv({ RECFLOW_HOME: home, HOME: home, PATH: process.env.PATH, RECFLOW_SECRET_STORE: 'file' }), { logger: silentLogger })
    let credential: number
    try {
      credential = await seedZoomCredential(app, ZOOM_TEST_TOKEN)
      const templates = await app.service('templates')
      // Rules as people write them: most templates name their course (a keyword), one in five uses a pattern.
      for (let i = 0; i < TEMPLATES; i++) {
        const rules = i % 5 === 0 ? { patterns: [`^Course ${i} lecture \\d+$`] } : { keywords: [`Course ${i} lecture`] }
        await templates.create(app.localUser, { name: `Course ${i}`, matching_rules: rules })
      }
    } finally {
      await app.close()
    }
    await recflow(home, env, ['sources', 'add', 'zoom', 'bench', '--credential', String(credential), '--from', '2024-01-01', '--to', '2024-12-31', '--json'])
    const baseline = await recflow(home, env, ['sources', 'list', '--json'])
    const first = await recflow(home, env, ['sync', '--json'])
    const summary = JSON.parse(first.stdout).data.sources[0]
    if (summary.created !== count) throw new Error(`first sync created ${summary.created}, expected ${count}: ${JSON.stringify(summary).slice(0, 500)}`)
    const again = await recflow(home, env, ['sync', '--json'])
    const second = JSON.parse(again.stdout).data.sources[0]
    if (second.created !== 0 || second.unchanged !== count) throw new Error(`no-change sync: ${JSON.stringify(second).slice(0, 500)}`)
    console.error(`  matched ${summary.matched}, without template ${summary.skipped}`)
    return { baselineS: baseline.seconds, firstS: first.seconds, firstRssMB: first.rssMB, againS: again.seconds, againRssMB: again.rssMB }
  } finally {
    fs.rmSync(home, { recursive: true, force: true })
  }
}

export async function benchZoomSync(count = 10_000): Promise<string> {
  const zoom = await startZoomApiFake()
  zoom.addMeetings('me', yearOfMeetings(count))
  const rounds: Round[] = []
  try {
    for (let i = 0; i < ROUNDS; i++) {
      rounds.push(await round(count, `${zoom.url}/v2`))
      const r = rounds.at(-1)!
      console.error(
        `zoom sync ${count} meetings, round ${i + 1}/${ROUNDS}: ${r.firstS.toFixed(2)} s (${r.firstRssMB.toFixed(0)} MB), ` +
          `again ${r.againS.toFixed(2)} s (${r.againRssMB.toFixed(0)} MB), sources list ${r.baselineS.toFixed(2)} s`,
      )
      zoom.requests.length = 0
    }
  } finally {
    await zoom.close()
  }
  const firstS = median(rounds.map((r) => r.firstS))
  const againS = median(rounds.map((r) => r.againS))
  const peak = Math.max(...rounds.map((r) => Math.max(r.firstRssMB, r.againRssMB)))
  const verdict = (ok: boolean) => (ok ? 'ok' : '**not met**')
  const rows = [
    [`first \`recflow sync\` of ${count} meetings, 500 templates, whole command, median`, `${firstS.toFixed(2)} s`, `limit 15 s: ${verdict(firstS <= 15)}`],
    ['first sync less its paired `sources list` (start-up, database), median of pairs', `${median(rounds.map((r) => r.firstS - r.baselineS)).toFixed(2)} s`, `${median(rounds.map((r) => count / Math.max(0.001, r.firstS - r.baselineS))).toFixed(0)} meetings/s`],
    ['peak RSS of either sync (max of rounds)', `${peak.toFixed(0)} MB`, `limit 200 MB: ${verdict(peak <= 200)}`],
    ['no-change sync, whole command, median', `${againS.toFixed(2)} s`, `limit 3 s: ${verdict(againS <= 3)}; ${median(rounds.map((r) => r.againS / r.baselineS)).toFixed(1)} × its paired \`sources list\``],
  ]
  const table = ['| measure | value | verdict |', '|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')
  const header = `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${ROUNDS} rounds (fresh home each round; load average ${os.loadavg()[0]!.toFixed(1)} at the end).`
  console.log(`${header}\n\n${table}`)
  writeSection(`${header}\n\n${table}`)
  return table
}

const writeSection = (text: string): void => writeBenchmarkSection('zoom-sync', text)

// Run alone: `node dist/test/bench/zoom-sync.js [MEETINGS]`.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  const n = Number(process.argv[2])
  await benchZoomSync(n > 0 ? n : undefined)
}
