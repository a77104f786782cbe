/**
 * `npm run bench`: times whole commands from outside, as a user runs them, against the bare ffmpeg passes that
 * nothing can avoid, on the same file in the same run. The two sides alternate pair by pair (which one goes first
 * flips every round), and the figure is the median of the per-pair ratios: on a noisy, shared machine a slow
 * moment then costs both sides of one pair, not one side of the whole comparison. Writes the results into
 * docs/BENCHMARKS.md.
 *
 *   recflow side   `node bin/run.js recordings process ID` (stdout piped, as in a script), fresh (no output
 *                  yet) and re-trim (the previous output exists and is replaced)
 *   bare side      `ffmpeg -i IN -vn -af silencedetect=n=-40dB:d=2 -f null -`, then
 *                  `ffmpeg -ss S -i IN -t D -c copy -map 0 OUT` with recflow's own cut (S, D); fresh writes a
 *                  new OUT, re-trim writes over the previous one (-y)
 *
 * Wall time, CPU time (user + system of the command and every process it waited for, from /usr/bin/time) and
 * the peak RSS of the recflow process itself (VmHWM polled from /proc while it runs).
 *
 * Media: a 60-minute 720p H.264/AAC lecture from ../shared/media/make-lecture.sh, generated once and cached in
 * RECFLOW_BENCH_DIR (default $TMPDIR/recflow-bench). RECFLOW_BENCH_FILE uses another file instead;
 * RECFLOW_BENCH_ROUNDS sets the number of rounds (default 5). Start-up runs first and the first-sync bench last;
 * RECFLOW_BENCH_SKIP=startup,first-sync,transcribe,zoom-sync,youtube-upload,daemon-api,daemon-sse leaves them out (the trim part alone); the transcription
 * bench (test/bench/transcribe.ts) runs between the trim and the first-sync benches, the Zoom sync bench
 * (test/bench/zoom-sync.ts) after the first-sync one, the YouTube upload bench (test/bench/youtube-upload.ts) last.
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { locateMediaTools } from '../../src/media/binaries.js'
import { runStartupBench } from './startup.js'
import { median, writeBenchmarkSection } from './report.js'

// npm runs scripts from the package root; the bench runs the compiled CLI (dist/), as users do.
const ROOT = process.cwd()
const BENCH_DIR = process.env.RECFLOW_BENCH_DIR ?? path.join(os.tmpdir(), 'recflow-bench')
const ROUNDS = Number(process.env.RECFLOW_BENCH_ROUNDS ?? 5)
const MAKE_LECTURE = path.resolve(ROOT, '../shared/media/make-lecture.sh')
const TIME = '/usr/bin/time'


function lecture(minutes: number): string {
  const dir = path.join(BENCH_DIR, `lecture-${minutes}`)
  const file = path.join(dir, 'lecture.mp4')
  if (!fs.existsSync(file)) {
    console.error(`generating a ${minutes}-minute 720p lecture in ${dir} (once)…`)
    const r = spawnSync('bash', [MAKE_LECTURE, `${dir}.part`, String(minutes), '1280x720'], { stdio: ['ignore', 'ignore', 'inherit'] })
    if (r.status !== 0) throw new Error('make-lecture.sh failed')
    fs.renameSync(`${dir}.part`, dir)
  }
  return file
}

interface Measured {
  wallS: number
  cpuS: number
  /** Peak RSS of the command's own process (not its children), MiB. */
  peakRssMiB: number
  stdout: string
}

/** Runs a command under /usr/bin/time; polls the command's own VmHWM while it runs. */
async function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Measured> {
  const timeFile = path.join(BENCH_DIR, `time-${process.pid}.txt`)
  const t0 = performance.now()
  const child = spawn(TIME, ['-f', '%U %S', '-o', timeFile, cmd, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
  let peakKiB = 0
  const poll = setInterval(() => {
    try {
      const kids = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)
      for (const pid of kids.filter(Boolean)) {
        const hwm = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
        if (hwm) peakKiB = Math.max(peakKiB, Number(hwm[1]))
      }
    } catch {
      // The process ended between two polls.
    }
  }, 25)
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearInterval(poll)
  const wallS = (performance.now() - t0) / 1000
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr}`)
  const [user, sys] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number)
  fs.rmSync(timeFile, { force: true })
  return { wallS, cpuS: user! + sys!, peakRssMiB: peakKiB / 1024, stdout }
}

// Start-up first (about two minutes; alone: `node dist/test/bench/startup.js`), then the media work.
const SKIP = (process.env.RECFLOW_BENCH_SKIP ?? '').split(',')
if (!SKIP.includes('startup')) await runStartupBench()

const tools = await locateMediaTools({ pathEnv: process.env.PATH ?? '' })
const ffmpeg = tools.ffmpeg.path
const file = process.env.RECFLOW_BENCH_FILE ?? lecture(60)
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-bench-home-'))
const env = { ...process.env, RECFLOW_HOME: home, RECFLOW_SECRET_STORE: 'file', CI: 'true' }
// bin/run.js itself, as `npx recflow` runs it (its shebang carries the heap flags).
const cli = (args: string[]) => measure(path.join(ROOT, 'bin/run.js'), args, env)
const bareOut = path.join(BENCH_DIR, `bare-copy-${process.pid}.mp4`)

try {
  const added = JSON.parse((await cli(['recordings', 'add', file, '--json'])).stdout) as { data: { recording: { id: number } } }
  const id = String(added.data.recording.id)
  const recDir = path.join(home, 'data', 'media', 'user_1', `rec_${id}`)
  // A first run (not counted) warms the page cache and gives recflow's own cut for the bare copy.
  await cli(['recordings', 'process', id])
  const shown = JSON.parse((await cli(['recordings', 'show', id, '--json'])).stdout) as {
    data: { stages: Array<{ stage_type: string; stage_meta: { keep: Array<{ start: number; end: number }> } | null }> }
  }
  const keep = shown.data.stages.find((s) => s.stage_type === 'PROCESS')!.stage_meta!.keep[0]!
  const bare = async (): Promise<Measured> => {
    const detect = await measure(ffmpeg, ['-hide_banner', '-nostats', '-i', file, '-vn', '-af', 'silencedetect=n=-40dB:d=2', '-f', 'null', '-'])
    const copy = await measure(ffmpeg, ['-hide_banner', '-v', 'error', '-y', '-ss', keep.start.toFixed(3), '-i', file, '-t', (keep.end - keep.start).toFixed(3), '-c', 'copy', '-map', '0', bareOut])
    return { wallS: detect.wallS + copy.wallS, cpuS: detect.cpuS + copy.cpuS, peakRssMiB: 0, stdout: '' }
  }
  const recflow = () => cli(['recordings', 'process', id])

  type Pair = { bare: Measured; recflow: Measured }
  const fresh: Pair[] = []
  const retrim: Pair[] = []
  const pair = async (recflowFirst: boolean): Promise<Pair> => {
    if (recflowFirst) {
      const r = await recflow()
      return { recflow: r, bare: await bare() }
    }
    const b = await bare()
    return { bare: b, recflow: await recflow() }
  }
  for (let round = 0; round < ROUNDS; round++) {
    const recflowFirst = round % 2 === 1
    fs.rmSync(recDir, { recursive: true, force: true })
    fs.rmSync(bareOut, { force: true })
    fresh.push(await pair(recflowFirst))
    // Both outputs exist now: the second pair replaces them.
    retrim.push(await pair(recflowFirst))
    const f = fresh.at(-1)!
    const r = retrim.at(-1)!
    console.error(
      `round ${round + 1}/${ROUNDS}: fresh recflow ${f.recflow.wallS.toFixed(2)} s / bare ${f.bare.wallS.toFixed(2)} s, ` +
        `re-trim recflow ${r.recflow.wallS.toFixed(2)} s / bare ${r.bare.wallS.toFixed(2)} s ` +
        `(CPU fresh ${f.recflow.cpuS.toFixed(2)} / ${f.bare.cpuS.toFixed(2)} s, re-trim ${r.recflow.cpuS.toFixed(2)} / ${r.bare.cpuS.toFixed(2)} s)`,
    )
  }

  const ratio = (pairs: Pair[], key: 'wallS' | 'cpuS') => median(pairs.map((p) => p.recflow[key] / p.bare[key]))
  const row = (label: string, pairs: Pair[]) => [
    label,
    `${median(pairs.map((p) => p.recflow.wallS)).toFixed(2)} s / ${median(pairs.map((p) => p.bare.wallS)).toFixed(2)} s`,
    `**${ratio(pairs, 'wallS').toFixed(2)} ×** (limit 1.3 ×)`,
    `${median(pairs.map((p) => p.recflow.cpuS)).toFixed(2)} s / ${median(pairs.map((p) => p.bare.cpuS)).toFixed(2)} s = ${ratio(pairs, 'cpuS').toFixed(2)} ×`,
  ]
  const peak = Math.max(...[...fresh, ...retrim].map((p) => p.recflow.peakRssMiB))
  const rows = [
    row('`recordings process` fresh (no output yet) vs the two bare passes writing a new file', fresh),
    row('`recordings process` re-trim (replaces its previous output) vs the bare passes writing over theirs', retrim),
  ]
  const table = [
    '| measure | wall, median (recflow / bare) | median of per-pair wall ratios | CPU user+sys, median (recflow / bare) = median ratio |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    `| peak RSS of the recflow process (VmHWM, max of ${ROUNDS * 2} runs) | ${peak.toFixed(0)} MiB | limit 120 MiB | |`,
  ].join('\n')
  const header =
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'} ` +
    `(load average ${os.loadavg()[0]!.toFixed(1)} at the end), ${ROUNDS} rounds of paired runs (order alternating), ` +
    `ffmpeg ${tools.ffmpeg.version} (${tools.ffmpeg.source}), file ${path.basename(path.dirname(file))}/${path.basename(file)} ` +
    `(${(fs.statSync(file).size / 1e6).toFixed(0)} MB), cut ${keep.start.toFixed(1)}–${keep.end.toFixed(1)} s.`
  console.log(header + '\n\n' + table)

  writeBenchmarkSection('trim', `${header}\n\n${table}`)
} finally {
  fs.rmSync(home, { recursive: true, force: true })
  fs.rmSync(bareOut, { force: true })
}

// Then transcription of a 3-hour recording against the ASR fake (alone: `node dist/test/bench/transcribe.js`).
if (!SKIP.includes('transcribe')) {
  const { benchTranscribe } = await import('./transcribe.js')
  await benchTranscribe()
}

// Last, the first sync of 1,000 and 10,000 files (alone: `node dist/test/bench/first-sync.js`).
if (!SKIP.includes('first-sync')) {
  const { benchFirstSync } = await import('./first-sync.js')
  await benchFirstSync()
}

// Then a Zoom source of 10,000 meetings against the Zoom fake (alone: `node dist/test/bench/zoom-sync.js`).
if (!SKIP.includes('zoom-sync')) {
  const { benchZoomSync } = await import('./zoom-sync.js')
  await benchZoomSync()
}
if (!SKIP.includes('daemon-api')) {
  const { benchDaemonApi } = await import('./daemon-api.js')
  await benchDaemonApi()
}
// Then 200 SSE subscribers of one task against one (alone: `node dist/test/bench/daemon-sse.js`).
if (!SKIP.includes('daemon-sse')) {
  const { benchDaemonSse } = await import('./daemon-sse.js')
  await benchDaemonSse()
}
// Then the YouTube upload of a 2 GiB file against a plain loopback copy (alone: `node dist/test/bench/youtube-upload.js`).
if (!SKIP.includes('youtube-upload')) {
  const { benchYoutubeUpload } = await import('./youtube-upload.js')
  await benchYoutubeUpload()
}
