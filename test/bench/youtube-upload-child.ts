/**
 * One side of the YouTube upload benchmark (test/bench/youtube-upload.ts), run as its own process so its peak RSS
 * is its own: `node youtube-upload-child.js youtube|plain URL FILE [CHUNK_BYTES]`.
 *   youtube  the real uploader (src/providers/youtube) against the YouTube fake at URL, default 8 MiB chunks
 *   plain    one streaming PUT of the file to URL (node:http piping fs.createReadStream), nothing else
 * Prints one JSON line: {"ms": wall of the transfer, "maxRssMiB": peak RSS of this process}.
 */
import fs from 'node:fs'
import http from 'node:http'
import { pipeline } from 'node:stream/promises'
import { systemClock } from '../../src/platform/clock.js'
import { resolveServiceUrls } from '../../src/platform/config.js'
import { silentLogger } from '../../src/platform/logger.js'
import { createYoutubeUploader } from '../../src/providers/youtube/index.js'

const [mode, url, file, chunk] = process.argv.slice(2) as [string, string, string, string | undefined]

async function plainPut(): Promise<void> {
  const size = fs.statSync(file).size
  await new Promise<void>((resolve, reject) => {
    const req = http.request(url, { method: 'PUT', headers: { 'content-length': String(size), 'content-type': 'application/octet-stream' } }, (res) => {
      res.resume()
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))))
    })
    req.on('error', reject)
    pipeline(fs.createReadStream(file, { highWaterMark: 1024 * 1024 }), req).catch(reject)
  })
}

async function youtube(): Promise<void> {
  const uploader = createYoutubeUploader(
    { credentialId: 1, chunkBytes: chunk ? Number(chunk) : undefined, accessToken: async () => 'bench-token' },
    { urls: resolveServiceUrls({ RECFLOW_YOUTUBE_API_URL: url }), logger: silentLogger, clock: systemClock },
  )
  const request = {
    platform: 'youtube' as const,
    insert: {
      query: { part: 'snippet,status' as const, notifySubscribers: false },
      body: { snippet: { title: 'Benchmark upload', description: '', categoryId: '27' }, status: { privacyStatus: 'private' as const, selfDeclaredMadeForKids: false } },
    },
  }
  await uploader.upload({ mediaFile: file, request, checkpoint: {} }, { onCheckpoint: async () => {} })
}

const started = performance.now()
await (mode === 'plain' ? plainPut() : youtube())
const ms = performance.now() - started
console.log(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024 }))
