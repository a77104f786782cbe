/**
 * `npm run bench`: measures recflow against baselines taken in the same run, on the same files (machines here
 * are noisy, so the figures are medians and ratios). Writes the results into docs/BENCHMARKS.md.
 *
 * Media: a 60-minute 720p H.264/AAC lecture from ../shared/media/make-lecture.sh (generated once, cached in
 * RECFLOW_BENCH_DIR, default $TMPDIR/recflow-bench), plus a 10-minute one to show memory does not grow with size.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { locateMediaTools } from '../../src/media/binaries.js'
import { runStartupBench } from './startup.js'

// npm runs scripts from the package root; the bench runs compiled (dist/), as users do.
const ROOT = process.cwd()
const BENCH_DIR = process.env.RECFLOW_BENCH_DIR ?? path.join(os.tmpdir(), 'recflow-bench')
const ROUNDS = Number(process.env.RECFLOW_BENCH_ROUNDS ?? 3)
const MAKE_LECTURE = path.resolve(ROOT, '../shared/media/make-lecture.sh')

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
const timed = (cmd: string, args: string[]) => {
  const t0 = performance.now()
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr?.slice(-2000)}`)
  return { seconds: (performance.now() - t0) / 1000, stdout: r.stdout }
}

function lecture(minutes: number): string {
  const dir = path.join(BENCH_DIR, `lecture-${minutes}`)
  const file = path.join(dir, 'lecture.mp4')
  if (!fs.existsSync(file)) {
    console.error(`generating a ${minutes}-minute 720p lecture in ${dir} (once)…`)
    timed('bash', [MAKE_LECTURE, dir, String(minutes), '1280x720'])
  }
  return file
}

interface RecflowRun {
  processS: number
  pipelineS: number
  maxRssMB: number
  keepStart: number
  keepEnd: number
}
function recflowOnce(file: string): RecflowRun {
  const r = timed(process.execPath, [path.join(ROOT, 'dist/test/bench/process-once.js'), file])
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as RecflowRun
}

// Start-up first (about two minutes; alone: `node dist/test/bench/startup.js`), then the media work.
await runStartupBench()

const tools = await locateMediaTools({ pathEnv: process.env.PATH ?? '' })
const ffmpeg = tools.ffmpeg.path
const big = lecture(60)
const small = lecture(10)
const out = path.join(BENCH_DIR, 'baseline-copy.mp4')

const detect: number[] = []
const copy: number[] = []
const processS: number[] = []
const pipelineS: number[] = []
const rss60: number[] = []
const rss10: number[] = []
for (let round = 0; round < ROUNDS; round++) {
  const run = recflowOnce(big)
  processS.push(run.processS)
  pipelineS.push(run.pipelineS)
  rss60.push(run.maxRssMB)
  detect.push(timed(ffmpeg, ['-hide_banner', '-nostats', '-i', big, '-vn', '-af', 'silencedetect=n=-40dB:d=2', '-f', 'null', '-']).seconds)
  const d = (run.keepEnd - run.keepStart).toFixed(3)
  copy.push(timed(ffmpeg, ['-hide_banner', '-nostats', '-y', '-ss', run.keepStart.toFixed(3), '-i', big, '-t', d, '-c', 'copy', '-map', '0', out]).seconds)
  rss10.push(recflowOnce(small).maxRssMB)
  console.error(`round ${round + 1}/${ROUNDS}: recflow process ${run.processS.toFixed(2)} s, detect ${detect.at(-1)!.toFixed(2)} s, copy ${copy.at(-1)!.toFixed(2)} s`)
}
fs.rmSync(out, { force: true })

// Queue, database and progress overhead: the whole `recflow run` path vs the same media work called directly.
const overhead = (mode: 'recflow' | 'direct', file: string) =>
  (JSON.parse(timed(process.execPath, [path.join(ROOT, 'dist/test/bench/overhead-once.js'), mode, file]).stdout.trim().split('\n').pop()!) as { seconds: number }).seconds
const viaQueue: number[] = []
const direct: number[] = []
for (let round = 0; round < ROUNDS; round++) {
  direct.push(overhead('direct', big))
  viaQueue.push(overhead('recflow', big))
  console.error(`overhead round ${round + 1}/${ROUNDS}: direct ${direct.at(-1)!.toFixed(2)} s, recflow run ${viaQueue.at(-1)!.toFixed(2)} s`)
}
const overheadShare = (median(viaQueue) - median(direct)) / median(viaQueue)

const baseline = median(detect) + median(copy)
const ratio = median(processS) / baseline
const rows = [
  ['bare silencedetect (-vn), median', `${median(detect).toFixed(2)} s`, ''],
  ['bare stream copy of the kept span, median', `${median(copy).toFixed(2)} s`, ''],
  ['recflow PROCESS stage (probe + detect + keyframes + edges trim + poster), median', `${median(processS).toFixed(2)} s`, `**${ratio.toFixed(2)} ×** the two bare passes (limit 1.2 ×)`],
  ['recflow whole pipeline run incl. database, status and progress, median', `${median(pipelineS).toFixed(2)} s`, `${(((median(pipelineS) - median(processS)) / median(pipelineS)) * 100).toFixed(1)} % outside the PROCESS stage`],
  ['same media work called directly (same overlaps), 60-minute file, median', `${median(direct).toFixed(2)} s`, ''],
  ['`recflow run` of that file (durable task, worker, stage rows, status, throttled progress, publish), median', `${median(viaQueue).toFixed(2)} s`, `**${(overheadShare * 100).toFixed(1)} %** queue, database and progress overhead (limit 5 %)`],
  ['peak RSS of the recflow process, 60-minute file (max of runs)', `${Math.max(...rss60).toFixed(0)} MB`, 'limit 120 MB'],
  ['peak RSS of the recflow process, 10-minute file (max of runs)', `${Math.max(...rss10).toFixed(0)} MB`, 'same as 60 min: memory does not grow with the file'],
]
const table = ['| measure | value | verdict |', '|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')
const header = `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${ROUNDS} rounds, ffmpeg ${tools.ffmpeg.version} (${tools.ffmpeg.source}), file ${path.basename(path.dirname(big))} (${(fs.statSync(big).size / 1e6).toFixed(0)} MB).`
console.log(header + '\n\n' + table)

const doc = path.join(ROOT, 'docs/BENCHMARKS.md')
const begin = '<!-- bench:trim:begin -->'
const end = '<!-- bench:trim:end -->'
const current = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : ''
if (current.includes(begin) && current.includes(end)) {
  const next = current.slice(0, current.indexOf(begin) + begin.length) + '\n' + header + '\n\n' + table + '\n' + current.slice(current.indexOf(end))
  fs.writeFileSync(doc, next)
  console.error(`updated ${path.relative(ROOT, doc)}`)
}

// First sync of a big folder (1,000 and 10,000 files): test/bench/first-sync.ts, also runnable alone.
const { benchFirstSync } = await import('./first-sync.js')
await benchFirstSync()
