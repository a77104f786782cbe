/**
 * First sync of a big folder: `recflow sync` of 1,000 and 10,000 small media files on a fresh home, then the
 * same sync again with nothing changed. Whole commands timed from outside (`/usr/bin/time` for the peak RSS),
 * each paired with `recflow sources list --json` on the same home in the same round (start-up and database
 * open, which every command pays), so the rate can be read with and without that fixed cost.
 *
 *   npm run bench                                   (all benchmarks; this one runs last)
 *   npx tsc -p tsconfig.json && node dist/test/bench/first-sync.js [COUNT...]   (this one alone; default 1000 10000)
 *
 * Media: one 1-second 64x36 H.264/AAC MP4 made with ffmpeg, copied COUNT times with distinct names and mtimes into
 * folders of 500 (as recorders do by day), plus four unusable files (text named .mp4, an empty file, a truncated
 * MP4 and an MP4 without sound). Cached in RECFLOW_BENCH_DIR (default $TMPDIR/recflow-bench)/first-sync.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { locateMediaTools } from '../../src/media/binaries.js'
import { median, writeBenchmarkSection } from './report.js'

const ROOT = process.cwd()
const RUN = path.join(ROOT, 'bin', 'run.js')
const BENCH_DIR = path.join(process.env.RECFLOW_BENCH_DIR ?? path.join(os.tmpdir(), 'recflow-bench'), 'first-sync')
const ROUNDS = Number(process.env.RECFLOW_BENCH_ROUNDS ?? 3)
const COUNTS = process.argv.slice(2).map(Number).filter((n) => n > 0)
const UNUSABLE = 4


/** The real CLI on a home, timed by /usr/bin/time: wall seconds, peak RSS in MB, stdout. */
function recflow(home: string, args: string[]): { seconds: number; rssMB: number; stdout: string } {
  const env = { PATH: process.env.PATH ?? '', HOME: home, RECFLOW_HOME: home, RECFLOW_SECRET_STORE: 'file', CI: 'true', NO_COLOR: '1' }
  const r = spawnSync('/usr/bin/time', ['-f', '@@time %e %M', RUN, ...args], { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
  const m = /@@time ([\d.]+) (\d+)/.exec(r.stderr)
  if (r.status !== 0 || !m) throw new Error(`recflow ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`)
  return { seconds: Number(m[1]), rssMB: Number(m[2]) / 1024, stdout: r.stdout }
}

function ffmpeg(tool: string, args: string[]): void {
  const r = spawnSync(tool, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${r.stderr}`)
}

/** A folder of `count` copies of one tiny clip (distinct names and mtimes) plus the unusable files; made once. */
function folderOf(count: number, ffmpegPath: string): string {
  const dir = path.join(BENCH_DIR, `files-${count}`)
  const done = path.join(BENCH_DIR, `files-${count}.done`)
  if (fs.existsSync(done)) return dir
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  const clip = path.join(BENCH_DIR, 'clip.mp4')
  const silent = path.join(BENCH_DIR, 'silent.mp4')
  if (!fs.existsSync(clip)) {
    const video = ['-f', 'lavfi', '-i', 'testsrc2=size=64x36:rate=10:d=1']
    const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p']
    ffmpeg(ffmpegPath, [...video, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=16000:d=1', ...h264, '-c:a', 'aac', '-t', '1', clip])
    ffmpeg(ffmpegPath, [...video, ...h264, '-t', '1', silent])
  }
  console.error(`making ${count} files in ${dir} (once)…`)
  const start = Date.parse('2026-01-05T09:00:00Z')
  for (let i = 0; i < count; i++) {
    const day = path.join(dir, `day-${String(Math.floor(i / 500)).padStart(3, '0')}`)
    if (i % 500 === 0) fs.mkdirSync(day)
    const file = path.join(day, `Lecture_${String(i).padStart(5, '0')}.mp4`)
    fs.copyFileSync(clip, file)
    const t = new Date(start + i * 3_600_000)
    fs.utimesSync(file, t, t)
  }
  const bad = path.join(dir, 'unusable')
  fs.mkdirSync(bad)
  fs.writeFileSync(path.join(bad, 'notes.mp4'), 'meeting notes, not a video\n')
  fs.writeFileSync(path.join(bad, 'empty.mp4'), '')
  fs.writeFileSync(path.join(bad, 'truncated.mp4'), fs.readFileSync(clip).subarray(0, 2000))
  fs.copyFileSync(silent, path.join(bad, 'no sound.mp4'))
  fs.writeFileSync(done, '')
  return dir
}

interface Round {
  baselineS: number
  firstS: number
  firstRssMB: number
  againS: number
  againRssMB: number
}

function round(folder: string, count: number): Round {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'recflow-bench-sync-'))
  try {
    recflow(home, ['sources', 'add', 'local', 'bench', '--path', folder, '--json'])
    const baseline = recflow(home, ['sources', 'list', '--json'])
    const first = recflow(home, ['sync', '--json'])
    const summary = JSON.parse(first.stdout).data.sources[0]
    if (summary.created !== count + UNUSABLE) throw new Error(`first sync created ${summary.created}, expected ${count + UNUSABLE}`)
    const again = recflow(home, ['sync', '--json'])
    const second = JSON.parse(again.stdout).data.sources[0]
    if (second.created !== 0 || second.unchanged !== count + UNUSABLE) throw new Error(`no-change sync: ${JSON.stringify(second)}`)
    return { baselineS: baseline.seconds, firstS: first.seconds, firstRssMB: first.rssMB, againS: again.seconds, againRssMB: again.rssMB }
  } finally {
    fs.rmSync(home, { recursive: true, force: true })
  }
}

export async function benchFirstSync(counts: number[] = [1000, 10000]): Promise<string> {
  const tools = await locateMediaTools({ pathEnv: process.env.PATH ?? '' })
  fs.mkdirSync(BENCH_DIR, { recursive: true })
  const rows: string[][] = []
  for (const count of counts) {
    const folder = folderOf(count, tools.ffmpeg.path)
    const rounds: Round[] = []
    for (let i = 0; i < ROUNDS; i++) {
      rounds.push(round(folder, count))
      const r = rounds.at(-1)!
      console.error(
        `first sync ${count} files, round ${i + 1}/${ROUNDS}: ${r.firstS.toFixed(2)} s (${r.firstRssMB.toFixed(0)} MB), ` +
          `again ${r.againS.toFixed(2)} s, sources list ${r.baselineS.toFixed(2)} s`,
      )
    }
    const files = count + UNUSABLE
    const rate = median(rounds.map((r) => files / r.firstS))
    const netRate = median(rounds.map((r) => files / Math.max(0.001, r.firstS - r.baselineS)))
    const peak = Math.max(...rounds.map((r) => Math.max(r.firstRssMB, r.againRssMB)))
    rows.push(
      [`${count} files: first \`recflow sync\`, whole command, median`, `${median(rounds.map((r) => r.firstS)).toFixed(2)} s`, `**${rate.toFixed(0)} files/s** (limit ≥ 100)`],
      [`${count} files: first sync less its paired \`sources list\` (start-up, database), median of pairs`, '', `${netRate.toFixed(0)} files/s`],
      [`${count} files: peak RSS of either sync (max of rounds)`, `${peak.toFixed(0)} MB`, 'limit 150 MB'],
      [`${count} files: no-change sync, whole command, median`, `${median(rounds.map((r) => r.againS)).toFixed(2)} s`, `limit 2 s; ${median(rounds.map((r) => r.againS / r.baselineS)).toFixed(1)} × its paired \`sources list\``],
    )
  }
  const table = ['| measure | value | verdict |', '|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')
  const header = `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${ROUNDS} rounds per size (fresh home each round; load average ${os.loadavg()[0]!.toFixed(1)} at the end).`
  console.log(`${header}\n\n${table}`)
  writeSection(`${header}\n\n${table}`)
  return table
}

const writeSection = (text: string): void => writeBenchmarkSection('first-sync', text)

// Run alone: `node dist/test/bench/first-sync.js [COUNT...]`.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  await benchFirstSync(COUNTS.length > 0 ? COUNTS : undefined)
}
