/**
 * YouTube upload throughput and memory (issue 10): a 2 GiB file of random bytes uploaded by the real uploader
 * (resumable protocol, 8 MiB chunks, each answered 308 by the YouTube fake, which writes the assembled file to
 * disk) against a plain loopback copy of the same file (one streaming HTTP PUT to a tiny node server writing to
 * disk), in the same run. Each side runs in its own process (test/bench/youtube-upload-child.ts) so its peak RSS
 * (getrusage maxRSS) is its own; the servers run here. Rounds are paired, the order flips every round, and the
 * figure is the median of the per-pair throughput ratios (plain time / uploader time). Limits: ratio ≥ 0.80, peak
 * RSS of the uploading process ≤ 150 MB.
 *
 *   npm run bench                                          (all benchmarks; RECFLOW_BENCH_SKIP=youtube-upload leaves it out)
 *   npx tsc -p tsconfig.json && node dist/test/bench/youtube-upload.js [MiB]   (this one alone; default 2048)
 *
 * The file is generated once in RECFLOW_BENCH_DIR (default $TMPDIR/recflow-bench) and reused; RECFLOW_BENCH_ROUNDS
 * sets the rounds (default 3).
 */
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startYoutubeFake } from '../fakes/youtube.js'
import { median, writeBenchmarkSection } from './report.js'

const ROOT = process.cwd()
const BENCH_DIR = process.env.RECFLOW_BENCH_DIR ?? path.join(os.tmpdir(), 'recflow-bench')
const ROUNDS = Number(process.env.RECFLOW_BENCH_ROUNDS ?? 3)
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'youtube-upload-child.js')


function randomFile(mib: number): string {
  const file = path.join(BENCH_DIR, `random-${mib}m.bin`)
  if (fs.existsSync(file) && fs.statSync(file).size === mib * 1048576) return file
  fs.mkdirSync(BENCH_DIR, { recursive: true })
  console.error(`youtube-upload bench: writing ${mib} MiB of random bytes to ${file} (once)…`)
  const fd = fs.openSync(`${file}.part`, 'w')
  for (let i = 0; i < mib / 8; i++) fs.writeSync(fd, crypto.randomBytes(8 * 1048576))
  fs.closeSync(fd)
  fs.renameSync(`${file}.part`, file)
  return file
}

/** The baseline's receiving end: a PUT streamed to a file on disk, answered 200. */
async function startPlainServer(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const out = fs.createWriteStream(path.join(dir, 'plain-copy.bin'))
    req.pipe(out)
    out.on('finish', () => {
      res.writeHead(200)
      res.end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/copy`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

function runChild(args: string[]): Promise<{ ms: number; maxRssMiB: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim()) as { ms: number; maxRssMiB: number }) : reject(new Error(`child ${args[0]} exited ${code}`))))
  })
}

export async function benchYoutubeUpload(mib = 2048): Promise<void> {
  const file = randomFile(mib)
  const size = fs.statSync(file).size
  const work = fs.mkdtempSync(path.join(BENCH_DIR, 'youtube-upload-'))
  const plain = await startPlainServer(work)
  const ratios: number[] = []
  const times = { youtube: [] as number[], plain: [] as number[] }
  let peak = 0
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const sides = round % 2 === 0 ? (['youtube', 'plain'] as const) : (['plain', 'youtube'] as const)
      const got: Record<string, number> = {}
      for (const side of sides) {
        if (side === 'plain') {
          const r = await runChild(['plain', plain.url, file])
          fs.rmSync(path.join(work, 'plain-copy.bin'), { force: true })
          got.plain = r.ms
        } else {
          const fake = await startYoutubeFake({ tokens: ['bench-token'], dir: path.join(work, `fake-${round}`) })
          try {
            const r = await runChild(['youtube', fake.url, file])
            if (fake.videos.length !== 1 || fake.videos[0]!.bytes !== size) throw new Error('the fake did not assemble exactly one complete video')
            got.youtube = r.ms
            peak = Math.max(peak, r.maxRssMiB)
          } finally {
            await fake.close()
            fs.rmSync(path.join(work, `fake-${round}`), { recursive: true, force: true })
          }
        }
      }
      times.youtube.push(got.youtube!)
      times.plain.push(got.plain!)
      ratios.push(got.plain! / got.youtube!)
      console.error(`youtube-upload round ${round + 1}: uploader ${(got.youtube! / 1000).toFixed(2)} s, plain ${(got.plain! / 1000).toFixed(2)} s, ratio ${ratios.at(-1)!.toFixed(3)}`)
    }
  } finally {
    await plain.close()
    fs.rmSync(work, { recursive: true, force: true })
  }
  const mbps = (ms: number) => (size / 1048576 / (ms / 1000)).toFixed(0)
  const ratio = median(ratios)
  const peakMB = (peak * 1048576) / 1e6
  const text = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'} (load average ${os.loadavg()[0]!.toFixed(1)} at the end), ${ROUNDS} paired rounds, ${mib} MiB random file, 8 MiB chunks.`,
    '',
    '| measure | value | verdict |',
    '|---|---|---|',
    `| uploader (resumable, 8 MiB chunks, each 308) wall, median | ${(median(times.youtube) / 1000).toFixed(2)} s (${mbps(median(times.youtube))} MiB/s) | |`,
    `| plain loopback PUT of the same file, wall, median | ${(median(times.plain) / 1000).toFixed(2)} s (${mbps(median(times.plain))} MiB/s) | |`,
    `| throughput ratio uploader / plain, median of per-pair ratios (min–max) | **${ratio.toFixed(2)}** (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) | limit ≥ 0.80: ${ratio >= 0.8 ? 'ok' : 'FAILS'} |`,
    `| peak RSS of the uploading process (max of rounds) | ${peakMB.toFixed(0)} MB | limit 150 MB: ${peakMB <= 150 ? 'ok' : 'FAILS'} |`,
  ].join('\n')
  console.log(text)
  writeBenchmarkSection('youtube-upload', text)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await benchYoutubeUpload(process.argv[2] ? Number(process.argv[2]) : undefined)
}
