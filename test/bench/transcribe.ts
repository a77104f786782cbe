/**
 * Transcription of a 3-hour recording against the Fireworks fake in its synthetic mode (no ffmpeg on the fake's
 * side, every request answered after a fixed latency): `recflow recordings run ID --force TRANSCRIBE` with
 * `transcription.concurrency` 4 (parallel) against the same command with concurrency 1 (serial), whole commands
 * timed from outside, pairs alternating which side goes first; the figure is the median of the per-pair ratios.
 * Both sides send the same pieces (at most 50 minutes each, cut in silences): 4 for 3 hours. The stage row gives
 * the pieces, the bytes sent and the requests' own wall time (first request sent to last answer).
 *
 *   npm run bench                                   (all benchmarks; this one runs after the trim bench)
 *   npx tsc -p tsconfig.json && node dist/test/bench/transcribe.js    (this one alone)
 *
 * Media: a 10-minute lecture from ../shared/media/make-lecture.sh (audio only, real speech and pauses), copied 18
 * times into one 3-hour M4A without re-encoding; cached in RECFLOW_BENCH_DIR (default $TMPDIR/recflow-bench).
 * RECFLOW_BENCH_ASR_LATENCY_MS sets the fake's latency (default 90000: a 45-minute piece at 30 × real time);
 * RECFLOW_BENCH_ROUNDS the number of rounds (default 3).
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { FIREWORKS_TEST_KEY, startFireworksFake } from '../fakes/fireworks.js'
import { median, writeBenchmarkSection } from './report.js'

const ROOT = process.cwd()
const RUN = path.join(ROOT, 'bin', 'run.js')
const BENCH_DIR = path.join(process.env.RECFLOW_BENCH_DIR ?? path.join(os.tmpdir(), 'recflow-bench'), 'transcribe')
const ROUNDS = Number(process.env.RECFLOW_BENCH_ROUNDS ?? 3)
const LATENCY_MS = Number(process.env.RECFLOW_BENCH_ASR_LATENCY_MS ?? 90_000)
const MAKE_LECTURE = path.resolve(ROOT, '../shared/media/make-lecture.sh')


/** 18 copies of a 10-minute generated lecture's audio in one M4A (stream copy); made once. */
function threeHours(): string {
  const out = path.join(BENCH_DIR, 'lecture-180.m4a')
  if (fs.existsSync(out)) return out
  fs.mkdirSync(BENCH_DIR, { recursive: true })
  const ten = path.join(BENCH_DIR, 'lecture-10')
  if (!fs.existsSync(path.join(ten, 'lecture.m4a'))) {
    console.error(`generating a 10-minute lecture in ${ten} (once)…`)
    fs.rmSync(`${ten}.part`, { recursive: true, force: true })
    const r = spawnSync('bash', [MAKE_LECTURE, `${ten}.part`, '10', '160x90'], { stdio: ['ignore', 'ignore', 'inherit'] })
    if (r.status !== 0) throw new Error('make-lecture.sh failed')
    fs.renameSync(`${ten}.part`, ten)
  }
  const list = path.join(BENCH_DIR, 'concat.txt')
  fs.writeFileSync(list, Array.from({ length: 18 }, () => `file '${path.join(ten, 'lecture.m4a')}'`).join('\n') + '\n')
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', `${out}.part.m4a`], { stdio: 'inherit' })
  if (r.status !== 0) throw new Error('concatenating the lecture failed')
  fs.renameSync(`${out}.part.m4a`, out)
  return out
}

interface Timed {
  wallS: number
  stdout: string
}

function cli(env: NodeJS.ProcessEnv, args: string[]): Promise<Timed> {
  const t0 = performance.now()
  const child = spawn(RUN, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
  return new Promise((resolve, reject) =>
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`recflow ${args.join(' ')} exited ${code}: ${stderr}`))
      else resolve({ wallS: (performance.now() - t0) / 1000, stdout })
    }),
  )
}

interface StageFigures {
  pieces: number
  audio_bytes_sent: number
  audio_seconds_billed: number
  requests_wall_s: number
}

export async function benchTranscribe(): Promise<void> {
  const file = threeHours()
  const fake = await startFireworksFake({ synthetic: { latencyMs: LATENCY_MS } })
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-bench-asr-'))
  const env = { PATH: process.env.PATH ?? '', HOME: home, RECFLOW_HOME: home, RECFLOW_SECRET_STORE: 'file', CI: 'true', RECFLOW_FIREWORKS_AUDIO_URL: fake.url }
  const run = (...args: string[]) => cli(env, args)
  try {
    await run('credentials', 'add', 'fireworks', '--api-key', FIREWORKS_TEST_KEY)
    for (const [key, value] of [['transcription.provider', 'fireworks'], ['processing.enabled', 'false'], ['topics.enabled', 'false'], ['subtitles.enabled', 'false']]) {
      await run('config', 'set', key!, value!)
    }
    const added = JSON.parse((await run('recordings', 'add', file, '--json')).stdout) as { data: { recording: { id: number } } }
    const id = String(added.data.recording.id)
    const figures = async (): Promise<StageFigures> => {
      const shown = JSON.parse((await run('recordings', 'show', id, '--json')).stdout) as { data: { stages: Array<{ stage_type: string; stage_meta: StageFigures }> } }
      return shown.data.stages.find((s) => s.stage_type === 'TRANSCRIBE')!.stage_meta
    }
    const side = async (concurrency: number) => {
      await run('config', 'set', 'transcription.concurrency', String(concurrency))
      const timed = await run('recordings', 'run', id, '--force', 'TRANSCRIBE')
      return { wallS: timed.wallS, ...(await figures()) }
    }
    // A first run (not counted) warms the page cache.
    console.error(`transcribe bench: warm-up run (fake latency ${LATENCY_MS / 1000} s per request)…`)
    await run('recordings', 'run', id)
    type Side = Awaited<ReturnType<typeof side>>
    const pairs: Array<{ serial: Side; parallel: Side }> = []
    for (let round = 0; round < ROUNDS; round++) {
      const parallelFirst = round % 2 === 0
      const a = await side(parallelFirst ? 4 : 1)
      const b = await side(parallelFirst ? 1 : 4)
      const pair = parallelFirst ? { parallel: a, serial: b } : { serial: a, parallel: b }
      pairs.push(pair)
      console.error(
        `round ${round + 1}/${ROUNDS}: parallel ${pair.parallel.wallS.toFixed(1)} s (requests ${pair.parallel.requests_wall_s.toFixed(1)} s), ` +
          `serial ${pair.serial.wallS.toFixed(1)} s (requests ${pair.serial.requests_wall_s.toFixed(1)} s), ${pair.parallel.pieces} pieces`,
      )
    }
    const last = pairs.at(-1)!.parallel
    const hours = last.audio_seconds_billed / 3600
    const mbPerHour = last.audio_bytes_sent / 1e6 / hours
    const wallRatio = median(pairs.map((p) => p.parallel.wallS / p.serial.wallS))
    const requestRatio = median(pairs.map((p) => p.parallel.requests_wall_s / p.serial.requests_wall_s))
    const m = (key: 'wallS' | 'requests_wall_s', which: 'parallel' | 'serial') => median(pairs.map((p) => p[which][key])).toFixed(1)
    const table = [
      '| measure | parallel (concurrency 4) | serial (concurrency 1) | median of per-pair ratios |',
      '|---|---|---|---|',
      `| whole command \`recordings run ID --force TRANSCRIBE\`, wall, median | ${m('wallS', 'parallel')} s | ${m('wallS', 'serial')} s | **${wallRatio.toFixed(2)}** (limit 0.33) |`,
      `| requests (first sent to last answered, from the stage row), median | ${m('requests_wall_s', 'parallel')} s | ${m('requests_wall_s', 'serial')} s | ${requestRatio.toFixed(2)} |`,
      `| pieces sent | ${last.pieces} | ${pairs.at(-1)!.serial.pieces} | |`,
      `| audio sent | ${(last.audio_bytes_sent / 1e6).toFixed(1)} MB for ${hours.toFixed(2)} h = **${mbPerHour.toFixed(2)} MB per hour** (limit 12) | | |`,
    ].join('\n')
    const header =
      `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'} ` +
      `(load average ${os.loadavg()[0]!.toFixed(1)} at the end), ${ROUNDS} rounds of paired runs (order alternating), ` +
      `fake latency ${LATENCY_MS / 1000} s per request, file ${path.basename(file)} (${(fs.statSync(file).size / 1e6).toFixed(0)} MB, ${hours.toFixed(2)} h).`
    console.log(header + '\n\n' + table)
    writeBenchmarkSection('transcribe', `${header}\n\n${table}`)
  } finally {
    await fake.close()
    fs.rmSync(home, { recursive: true, force: true })
  }
}

// Run alone: node dist/test/bench/transcribe.js
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(ROOT, 'dist/test/bench/transcribe.js')) await benchTranscribe()
